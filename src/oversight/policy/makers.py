"""What the policy rules need to know about makers, read once per evaluation from the vendors data."""

import datetime
from dataclasses import dataclass, field

from oversight.vendors.resolution import normalise

# The statement of 24 November 2022 names no company; Oversight treats a maker headquartered here
# as subject to the PRC National Intelligence Law (see docs/policy.md).
PRC = 'China'


@dataclass(frozen=True)
class MakerFacts:
    countries: dict[int, str] = field(default_factory=dict)  # maker id -> country of headquarters
    lists: dict[str, frozenset[str]] = field(default_factory=dict)  # concern list slug -> makers it covers
    list_names: dict[str, str] = field(default_factory=dict)
    name_keys: dict[str, int] = field(default_factory=dict)  # normalised maker name -> maker id
    # (name, maker id) -> is_name_of: a register repeats a few names over thousands of identities.
    _names_of: dict = field(default_factory=dict, compare=False, repr=False)

    def in_prc(self, maker_id) -> bool:
        return maker_id is not None and self.countries.get(maker_id) == PRC

    def on_list(self, slug: str, maker) -> bool:
        return maker is not None and maker.name in self.lists.get(slug, ())

    def is_name_of(self, name: str, maker) -> bool:
        """Whether `name` (as typed) is one of the maker's own names rather than another brand."""
        known = self._names_of.get((name, maker.pk))
        if known is None:
            key = normalise(name)
            known = self._names_of[name, maker.pk] = key == normalise(maker.name) or self.name_keys.get(key) == maker.pk
        return known

    @classmethod
    def from_db(cls, today: datetime.date | None = None) -> 'MakerFacts':
        """Countries, and each concern list's makers as they stand on `today`: extended to subsidiaries
        and affiliates where the list covers them (NDAA s.889 does), per vendors.concerns."""
        from oversight.vendors.concerns import ConcernIndex
        from oversight.vendors.models import Manufacturer, ManufacturerName

        index = ConcernIndex.from_db(today)
        return cls(
            countries=dict(Manufacturer.objects.values_list('pk', 'country')),
            lists={slug: index.makers_of_concern(slug) for slug in index.lists},
            list_names={slug: fact.name for slug, fact in index.lists.items()},
            name_keys=dict(ManufacturerName.objects.values_list('normalised', 'manufacturer_id')),
        )
