"""Who made an equipment line, as the register records it: the identification engine, applied to a line.

The register calls `identify_line(index, line)` with an index built once per action (`build_index()`),
so importing a thousand lines reads the reference data once. The engine is the same one behind
`oversight identify` and the discovery agent, so a line, a CSV row and a scanned device with the same
identity get the same answer.
"""

from dataclasses import dataclass

from oversight.identification.engine import Identifier
from oversight.identification.signals import Signals
from oversight.vendors.models import Manufacturer
from oversight.vendors.resolution import NameIndex

# What a line declares about its identity: a change to any of them means identifying it again.
IDENTITY_FIELDS = ('manufacturer_declared', 'brand', 'model', 'firmware', 'mac_address')


@dataclass(frozen=True)
class IdentificationIndex:
    names: NameIndex
    identifier: Identifier
    makers: dict[str, Manufacturer]  # canonical name -> maker


def build_index() -> IdentificationIndex:
    """The reference data an action needs to identify any number of lines, read in a few queries."""
    names = NameIndex.from_db()
    identifier = Identifier.from_db()
    return IdentificationIndex(
        names=names, identifier=identifier, makers={m.name: m for m in Manufacturer.objects.all()}
    )


def identification(index: IdentificationIndex, declared: dict) -> dict:
    """Who made a device declaring these values (IDENTITY_FIELDS): the line fields that say it.

    An unrecognised device stays unknown (no maker, concern unknown): it is never guessed.
    """
    result = index.identifier.identify(
        Signals(
            manufacturer=declared['manufacturer_declared'],
            brand=declared['brand'],
            model=declared['model'],
            firmware=declared['firmware'],
            mac=declared['mac_address'],
        )
    )
    name = index.names.resolve(declared['manufacturer_declared'], declared['brand']).manufacturer
    return {
        'manufacturer': index.makers.get(name) if name else None,
        'made_by': index.makers.get(result.maker) if result.maker else None,
        'confidence': result.confidence if result.maker else None,
        'concern': result.concern,
        'evidence': list(result.evidence)
        or [
            'Nothing is declared for this line to identify it by (maker, brand, model, firmware or MAC address): '
            'who made it is unknown.'
        ],
    }


def identify_line(index: IdentificationIndex, line) -> None:
    """Set the line's declared maker, real maker, confidence, evidence and concern from its declared identity."""
    for name, value in identification(index, {name: getattr(line, name) for name in IDENTITY_FIELDS}).items():
        setattr(line, name, value)


class Identities:
    """Who made each distinct declared identity, worked out once however many lines of a file declare it.

    A force's register repeats a few hundred identities over tens of thousands of lines.
    """

    def __init__(self):
        self.index = None  # read on the first identity asked for: a file that identifies nothing reads nothing
        self.found: dict[tuple, dict] = {}

    def fields(self, declared: dict) -> dict:
        """The identification as stored values: makers by key, as a plan keeps them."""
        key = tuple(declared[name] for name in IDENTITY_FIELDS)
        found = self.found.get(key)
        if found is None:
            if self.index is None:
                self.index = build_index()
            found = identification(self.index, declared)
            found['manufacturer_id'] = getattr(found.pop('manufacturer'), 'pk', None)
            found['made_by_id'] = getattr(found.pop('made_by'), 'pk', None)
            self.found[key] = found
        return found
