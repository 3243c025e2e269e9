"""Name resolution: whatever a person types for a maker or brand, to the canonical maker.

Names are compared by a normalised key (case, spacing, punctuation and legal-form words
removed), so "HIKVISION", "Hik Vision" and "Hangzhou Hikvision Digital Technology Co., Ltd."
meet the keys the reference data registers. A name with no key is unknown: never guessed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# Legal-form words carry no identity: "Axis AB" and "Axis Communications AB" differ in "communications".
_LEGAL_FORMS = {
    'co',
    'company',
    'corp',
    'corporation',
    'inc',
    'incorporated',
    'ltd',
    'limited',
    'llc',
    'plc',
    'gmbh',
    'ag',
    'ab',
    'sa',
    'sas',
    'srl',
    'spa',
    'bv',
    'nv',
    'oy',
    'as',
    'kk',
    'pty',
    'pte',
    'the',
}
_WORD = re.compile(r'[a-z0-9]+')
# "S.A.", "A/S", "S.p.A.", "B.V.": letters joined by dots or slashes are one word, so the
# legal form is recognised ("Parrot S.A." and "Parrot" meet; "Milestone Systems A/S" and "Milestone Systems").
_DOTTED = re.compile(r'(?<![a-z0-9])(?:[a-z][./]){1,3}[a-z](?![a-z0-9])\.?')


def normalise(name: str) -> str:
    """The resolution key of a name: lower-case ASCII letters and digits without legal-form words."""
    text = unicodedata.normalize('NFKD', name or '').encode('ascii', 'ignore').decode().lower()
    text = text.replace('&', ' and ')
    text = _DOTTED.sub(lambda m: m.group(0).replace('.', '').replace('/', ''), text)
    words = [w for w in _WORD.findall(text) if w not in _LEGAL_FORMS]
    return ''.join(words)


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving a declared maker and brand."""

    manufacturer: str | None  # canonical name of the declared maker, else of the brand's owner
    made_by: str | None  # who really made it, through sub-brands and relabels
    confidence: float
    evidence: tuple[str, ...] = field(default_factory=tuple)

    @property
    def known(self) -> bool:
        return self.made_by is not None


UNKNOWN = Resolution(None, None, 0.0, ())

# How far a brand's relation to its maker can be trusted, as a probability-like weight.
CONFIDENCE_WEIGHT = {'high': 0.9, 'medium': 0.7, 'low': 0.5}
# A name the reference data registers for a maker, or a maker's own brand.
NAMED_MAKER_CONFIDENCE = 0.9


@dataclass(frozen=True)
class BrandFact:
    name: str
    kind: str  # own, sub_brand, relabel
    owner: str | None
    made_by: str
    confidence: str
    evidence: str


class NameIndex:
    """An in-memory index of maker names and brands, built once from the reference data.

    Resolution is a lookup of exact keys, never a similarity search: a name whose key the
    reference data does not register is unknown, and so is a key registered for two makers.
    """

    def __init__(self, maker_names: dict[str, str], brands: dict[str, BrandFact]):
        self.maker_names = maker_names  # normalised name -> canonical maker
        self.brands = brands  # normalised brand name -> BrandFact

    @classmethod
    def from_db(cls) -> 'NameIndex':
        from .models import Brand, ManufacturerName

        makers: dict[str, str] = {}
        ambiguous: set[str] = set()
        for key, maker in ManufacturerName.objects.values_list('normalised', 'manufacturer__name'):
            if makers.setdefault(key, maker) != maker:
                ambiguous.add(key)
        for key in ambiguous:
            del makers[key]
        brands = {
            b.normalised: BrandFact(
                b.name, b.kind, b.owner.name if b.owner else None, b.made_by.name, b.confidence, b.evidence
            )
            for b in Brand.objects.select_related('owner', 'made_by')
        }
        return cls(makers, brands)

    def maker(self, name: str) -> str | None:
        return self.maker_names.get(normalise(name)) if name else None

    def brand(self, name: str) -> BrandFact | None:
        return self.brands.get(normalise(name)) if name else None

    def resolve(self, manufacturer: str = '', brand: str = '') -> Resolution:
        """Resolve a declared maker and brand; a brand's evidence decides who really made it."""
        manufacturer, brand = (manufacturer or '').strip(), (brand or '').strip()
        declared, declared_as = self.maker(manufacturer), manufacturer
        # A brand typed in the manufacturer column ("EZVIZ", "Lorex") is still a brand.
        fact = self.brand(brand) or self.brand(manufacturer)
        if declared is None and fact is None and brand:
            # A maker's name typed in the brand column, with no usable maker beside it.
            declared, declared_as = self.maker(brand), brand
        if fact is None and declared:
            # A maker's own-name brand says who makes its products ("Lorex Technology Inc." -> Lorex -> Dahua).
            fact = self.brand(declared)
        if declared is None and fact is None:
            return UNKNOWN

        evidence: list[str] = []
        if declared and normalise(declared_as) == normalise(str(declared)):
            evidence.append(f'Declared maker: {declared}.')  # '"Honeywell" is a name of Honeywell' says nothing
        elif declared:
            evidence.append(f'"{declared_as}" is a name of {declared}.')
        elif manufacturer and self.brand(manufacturer) is None:
            evidence.append(f'The declared maker "{manufacturer}" is not in the reference data.')
        if brand and self.brand(brand) is None and self.maker(brand) is None:
            evidence.append(f'The brand "{brand}" is not in the reference data.')
        if fact is None:
            return Resolution(declared, declared, NAMED_MAKER_CONFIDENCE, tuple(evidence))

        if fact.kind == 'own':
            if declared != fact.made_by:
                evidence.append(f'{fact.name} is the own brand of {fact.made_by}.')
            confidence = NAMED_MAKER_CONFIDENCE
        else:
            if fact.kind == 'sub_brand':
                owned = f', owned by {fact.owner}' if fact.owner and fact.owner != fact.made_by else ''
                relation = f'{fact.name} is a sub-brand of {fact.made_by}{owned}'
            else:
                relation = f'{fact.name} products are relabelled {fact.made_by} products'
            evidence.append(f'{relation} ({fact.confidence} confidence): {fact.evidence}')
            confidence = CONFIDENCE_WEIGHT[fact.confidence]
        if declared and declared not in (fact.owner, fact.made_by):
            evidence.append(f'The declared maker {declared} and the brand {fact.name} disagree; the brand decides.')
        return Resolution(declared or fact.owner, fact.made_by, confidence, tuple(evidence))
