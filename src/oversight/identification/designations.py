"""The designations that apply to an identified maker, as `oversight identify` reports them.

vendors.concerns decides which makers each concern list covers (subsidiaries and affiliates included
where the list says so); this module only chooses the lists and shapes each designation as a plain dict:
`{"concern_list": slug, "list_name", "authority", "maker": the maker it applies to, "designated": the
maker the list names (a parent, when it applies through ownership), "reason": code, "scope",
"date": ISO date, "source_url"}`.
"""

from oversight.vendors.concerns import ConcernIndex, Designated


class DesignationIndex:
    def __init__(self, concerns: ConcernIndex, concern_list: str | None = None):
        """All lists, or only one (by slug); LookupError for a slug that names no list."""
        if concern_list and concern_list not in concerns.lists:
            known = ', '.join(sorted(concerns.lists)) or 'none'
            raise LookupError(f'There is no concern list "{concern_list}". Concern lists: {known}.')
        self.concerns = concerns
        self.concern_list = concern_list
        self._memo: dict[str, tuple[dict, ...]] = {}

    @classmethod
    def from_db(cls, concern_list: str | None = None) -> 'DesignationIndex':
        return cls(ConcernIndex.from_db(), concern_list)

    def of(self, makers: tuple[str, ...]) -> tuple[dict, ...]:
        """The designations of any of the makers, in list order."""
        found: list[dict] = []
        for maker in makers:
            if maker not in self._memo:
                self._memo[maker] = tuple(
                    self._shape(d)
                    for d in self.concerns.designations(maker)
                    if self.concern_list in (None, d.concern_list)
                )
            found.extend(self._memo[maker])
        return tuple(found)

    def _shape(self, designation: Designated) -> dict:
        return {
            'concern_list': designation.concern_list,
            'list_name': designation.concern_list_name,
            'authority': self.concerns.lists[designation.concern_list].authority,
            'maker': designation.maker,
            'designated': designation.designated,
            'reason': designation.reason,
            'scope': designation.scope,
            'date': designation.date.isoformat(),
            'source_url': designation.source_url,
        }
