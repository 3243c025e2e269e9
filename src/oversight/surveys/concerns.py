"""Which manufacturer lines of a return are of concern under the campaign's concern list.

A line is of concern when the maker it resolves to (through names, sub-brands and relabels, by
vendors.resolution) is covered by the campaign's list (vendors.concerns, affiliates included when
the list says so). The maker named is the declared one when the list covers it (a Honeywell line
is named Honeywell), otherwise the real maker behind the brand (a Lorex line is named Dahua).
"""

from oversight.vendors.concerns import ConcernIndex
from oversight.vendors.resolution import NameIndex


class ConcernResolver:
    """Built once per page, import or findings run; answers per (manufacturer, brand), memoised."""

    def __init__(self, concern_list, names: NameIndex | None = None, concerns: ConcernIndex | None = None):
        self.names = names or NameIndex.from_db()
        self.makers = (concerns or ConcernIndex.from_db()).makers_of_concern(concern_list)
        self._memo: dict[tuple[str, str], str | None] = {}

    def maker_of_concern(self, manufacturer: str, brand: str = '') -> str | None:
        """The canonical name of the maker of concern behind a line, or None when it is of no concern or unknown."""
        key = (manufacturer or '', brand or '')
        if key not in self._memo:
            resolution = self.names.resolve(*key)
            if resolution.manufacturer in self.makers:
                self._memo[key] = resolution.manufacturer
            elif resolution.made_by in self.makers:
                self._memo[key] = resolution.made_by
            else:
                self._memo[key] = None
        return self._memo[key]

    def line_makers(self, lines: list[dict]) -> list[str | None]:
        """The maker of concern (or None) of each manufacturer line."""
        return [self.maker_of_concern(line['manufacturer'], line['brand']) for line in lines]
