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


def normalise(name: str) -> str:
    """The resolution key of a name: lower-case ASCII letters and digits without legal-form words."""
    text = unicodedata.normalize('NFKD', name or '').encode('ascii', 'ignore').decode().lower()
    text = text.replace('&', ' and ')
    words = [w for w in _WORD.findall(text) if w not in _LEGAL_FORMS]
    return ''.join(words)


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving a declared maker and brand."""

    manufacturer: str | None  # canonical name of the declared maker (or the brand's owner)
    made_by: str | None  # who really made it, through sub-brands and relabels
    confidence: float
    evidence: tuple[str, ...] = field(default_factory=tuple)

    @property
    def known(self) -> bool:
        return self.made_by is not None


UNKNOWN = Resolution(None, None, 0.0, ())

# How far a brand's relation to its maker can be trusted, as a probability-like weight.
CONFIDENCE_WEIGHT = {'high': 0.9, 'medium': 0.7, 'low': 0.5}


@dataclass(frozen=True)
class BrandFact:
    name: str
    kind: str  # own, sub_brand, relabel
    owner: str | None
    made_by: str
    confidence: str
    evidence: str


class NameIndex:
    """An in-memory index of maker names and brands, built once from the reference data."""

    def __init__(self, maker_names: dict[str, str], brands: dict[str, BrandFact]):
        self.maker_names = maker_names  # normalised name -> canonical maker
        self.brands = brands  # normalised brand name -> BrandFact

    @classmethod
    def from_db(cls) -> 'NameIndex':
        from .models import Brand, ManufacturerName

        makers = dict(ManufacturerName.objects.values_list('normalised', 'manufacturer__name'))
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
        """Resolve a declared maker and brand; a brand's relabel evidence decides who really made it."""
        declared = self.maker(manufacturer)
        evidence: list[str] = []
        if declared:
            evidence.append(f'"{manufacturer}" is a name of {declared}.')
        # A brand typed in the manufacturer column ("EZVIZ", "Lorex") is still a brand.
        fact = self.brand(brand) or (self.brand(manufacturer) if manufacturer else None)
        if fact is None:
            if declared is None:
                return UNKNOWN
            return Resolution(declared, declared, 0.9, tuple(evidence))
        if fact.kind == 'own':
            evidence.append(f'{fact.name} is the own brand of {fact.made_by}.')
        elif fact.kind == 'sub_brand':
            evidence.append(
                f'{fact.name} is a sub-brand of {fact.made_by} ({fact.confidence} confidence): {fact.evidence}'
            )
        else:
            evidence.append(
                f'{fact.name} products are relabelled {fact.made_by} products ({fact.confidence} confidence): '
                f'{fact.evidence}'
            )
        if declared and declared not in (fact.owner, fact.made_by):
            evidence.append(f'The declared maker {declared} and the brand {fact.name} disagree.')
        return Resolution(
            declared or fact.owner or fact.made_by,
            fact.made_by,
            CONFIDENCE_WEIGHT[fact.confidence] if fact.kind == 'relabel' else 0.9,
            tuple(evidence),
        )
