"""Which makers each concern list covers, and which designations apply to a maker.

Build a `ConcernIndex` once where it is needed (a page, an import, a findings run): three
queries, then every question is answered in memory, so loops over register lines or returns
never query per row. A list that covers affiliates (NDAA s.889, the FCC Covered List, the
Commissioner's 2022 list) extends each designated maker to its subsidiaries, affiliates and
joint ventures, through every level, by the corporate relations in force on the chosen day.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone


class UnknownConcernList(LookupError):
    def __init__(self, slug: str):
        super().__init__(f'There is no concern list "{slug}".')
        self.slug = slug


@dataclass(frozen=True)
class ListFact:
    slug: str
    name: str
    authority: str
    covers_affiliates: bool


@dataclass(frozen=True)
class Designated:
    """A designation as it applies to one maker: directly, or `through` the designated parent."""

    maker: str
    concern_list: str  # slug
    concern_list_name: str
    designated: str  # the maker the list names
    date: datetime.date
    scope: str
    reason: str
    source_url: str

    @property
    def through(self) -> str | None:
        return self.designated if self.designated != self.maker else None

    @property
    def reason_label(self) -> str:
        from .models import Designation

        return Designation.Reason(self.reason).label if self.reason in Designation.Reason.values else self.reason


class ConcernIndex:
    def __init__(
        self,
        lists: dict[str, ListFact],
        designations: list[Designated],
        children: dict[str, set[str]],
    ):
        self.lists = lists
        self._children = children
        self._makers: dict[str, set[str]] = {slug: set() for slug in lists}
        self._by_maker: dict[str, list[Designated]] = defaultdict(list)
        for designation in designations:
            named = designation.designated
            reach = self._group_of(named) if lists[designation.concern_list].covers_affiliates else {named}
            self._makers[designation.concern_list] |= reach
            for maker in sorted(reach):
                self._by_maker[maker].append(dataclasses.replace(designation, maker=maker))

    @classmethod
    def from_db(cls, on: datetime.date | None = None) -> 'ConcernIndex':
        """The lists as they stand on `on` (default today): designations made by then, relations in force then."""
        from .models import ConcernList, CorporateRelation, Designation

        on = on or timezone.localdate()
        lists = {
            slug: ListFact(slug, name, authority, covers)
            for slug, name, authority, covers in ConcernList.objects.values_list(
                'slug', 'name', 'authority', 'covers_affiliates'
            )
        }
        designations = [
            Designated(maker, slug, lists[slug].name, maker, date, scope, reason, source_url)
            for maker, slug, date, scope, reason, source_url in Designation.objects.filter(date__lte=on)
            .order_by('concern_list__slug', 'manufacturer__name')
            .values_list('manufacturer__name', 'concern_list__slug', 'date', 'scope', 'reason', 'source_url')
        ]
        children: dict[str, set[str]] = defaultdict(set)
        relations = CorporateRelation.objects.values_list('parent__name', 'child__name', 'since', 'until')
        for parent, child, since, until in relations:
            if (since is None or since <= on) and (until is None or until >= on):
                children[parent].add(child)
        return cls(lists, designations, children)

    def _group_of(self, maker: str) -> set[str]:
        """The maker and everything it owns, through every level (relations may form cycles)."""
        group, pending = {maker}, [maker]
        while pending:
            for child in self._children.get(pending.pop(), ()):
                if child not in group:
                    group.add(child)
                    pending.append(child)
        return group

    def _slug(self, concern_list) -> str:
        slug = concern_list if isinstance(concern_list, str) else concern_list.slug
        if slug not in self.lists:
            raise UnknownConcernList(slug)
        return slug

    def makers_of_concern(self, concern_list) -> frozenset[str]:
        """Canonical names of the makers a list covers (a ConcernList or its slug)."""
        return frozenset(self._makers[self._slug(concern_list)])

    def is_of_concern(self, maker: str | None, concern_list) -> bool:
        return maker is not None and maker in self.makers_of_concern(concern_list)

    def designations(self, maker: str | None) -> tuple[Designated, ...]:
        """Every designation that applies to a maker, directly or through a parent, by list."""
        return tuple(self._by_maker.get(maker, ())) if maker else ()


def makers_of_concern(concern_list, on: datetime.date | None = None) -> frozenset[str]:
    """One-off form of `ConcernIndex.makers_of_concern`; build an index instead when asking many times."""
    return ConcernIndex.from_db(on).makers_of_concern(concern_list)


def designations_for(maker: str, on: datetime.date | None = None) -> tuple[Designated, ...]:
    """One-off form of `ConcernIndex.designations`."""
    return ConcernIndex.from_db(on).designations(maker)
