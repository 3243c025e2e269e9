"""The declared maker and brand, resolved through the vendors reference data (names, sub-brands, relabels)."""

from oversight.vendors.resolution import NameIndex

from .signals import LABELS, FieldError, Finding, field_problem, quoted
from .signatures import Memo

_SIGNAL = LABELS['manufacturer'][1]


class DeclaredNames:
    """(manufacturer, brand) -> what the names say, memoised per pair."""

    def __init__(self, names: NameIndex):
        self.names = names
        self._memo = Memo(self._classify)

    def __call__(self, manufacturer: str, brand: str) -> Finding | FieldError | None:
        return self._memo[(manufacturer, brand)]

    def _classify(self, pair: tuple[str, str]) -> Finding | FieldError | None:
        manufacturer, brand = pair
        return (
            field_problem('manufacturer', manufacturer)
            or field_problem('brand', brand)
            or self.resolve(manufacturer.strip(), brand.strip())
        )

    def resolve(self, manufacturer: str, brand: str) -> Finding | None:
        if not manufacturer and not brand:
            return None
        resolution = self.names.resolve(manufacturer, brand)
        if not resolution.known:
            typed = ' and '.join(quoted(name) for name in (manufacturer, brand) if name)
            return Finding.of(
                None,
                0.0,
                (f'{typed} is not a maker or brand in the reference data.',),
                device=False,
                signal=_SIGNAL,
            )
        fact = self.names.brand(brand) or self.names.brand(manufacturer)
        # The name the equipment is sold under, when that is a relabel or a sub-brand rather than the maker's own.
        sold_as = fact.name if fact and fact.kind != 'own' and fact.name != resolution.made_by else None
        return Finding.of(
            resolution.made_by,
            resolution.confidence,
            resolution.evidence,
            device=False,
            signal=_SIGNAL,
            brand=sold_as,
            declared=resolution.manufacturer,
        )
