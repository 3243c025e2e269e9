"""Which manufacturer lines of a return are of concern under the campaign's concern list.

The one rule, used by the return pages, the demo and the findings engine alike: a line is of
concern when its declared maker (or the brand's owner) or its real maker, through sub-brands and
relabels (vendors.resolution), is covered by the campaign's list (vendors.concerns, affiliates
included when the list says so). It is named by the declared maker when the list designates that
maker itself (a Honeywell line is Honeywell), otherwise by the real maker (a Lorex line is Dahua,
an EZVIZ line Hikvision).
"""

import datetime
from dataclasses import dataclass

from oversight.vendors.concerns import ConcernIndex
from oversight.vendors.resolution import NameIndex


@dataclass(frozen=True)
class LineVerdict:
    maker_of_concern: str | None  # canonical name, or None when of no concern or unknown
    known: bool  # whether the reference data recognises the line's maker at all


class ConcernResolver:
    """Built once per page, import or findings run (a few queries); answers per (manufacturer, brand), memoised."""

    def __init__(self, concern_list, on: datetime.date | None = None, names: NameIndex | None = None):
        self.names = names or NameIndex.from_db()
        concerns = ConcernIndex.from_db(on)
        slug = concern_list if isinstance(concern_list, str) else concern_list.slug
        self.covered = concerns.makers_of_concern(slug)
        self.designated = {
            maker
            for maker in self.covered
            if any(d.concern_list == slug and d.through is None for d in concerns.designations(maker))
        }
        self._memo: dict[tuple[str, str], LineVerdict] = {}

    def verdict(self, manufacturer: str, brand: str = '') -> LineVerdict:
        key = (manufacturer or '', brand or '')
        found = self._memo.get(key)
        if found is None:
            resolution = self.names.resolve(*key)
            declared, made_by = resolution.manufacturer, resolution.made_by
            if declared in self.designated:
                found = LineVerdict(declared, True)
            elif made_by in self.covered:
                found = LineVerdict(made_by, True)
            elif declared in self.covered:
                found = LineVerdict(declared, True)
            else:
                found = LineVerdict(None, resolution.known)
            self._memo[key] = found
        return found

    def maker_of_concern(self, manufacturer: str, brand: str = '') -> str | None:
        """The canonical name of the maker of concern behind a line, or None when it is of no concern or unknown."""
        return self.verdict(manufacturer, brand).maker_of_concern

    def line_makers(self, lines: list[dict]) -> list[str | None]:
        """The maker of concern (or None) of each manufacturer line."""
        return [self.maker_of_concern(line['manufacturer'], line['brand']) for line in lines]
