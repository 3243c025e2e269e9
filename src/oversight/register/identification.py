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


def identify_line(index: IdentificationIndex, line) -> None:
    """Set the line's declared maker, real maker, confidence, evidence and concern from its declared identity.

    An unrecognised device stays unknown (no maker, concern unknown): it is never guessed.
    """
    result = index.identifier.identify(
        Signals(
            manufacturer=line.manufacturer_declared,
            brand=line.brand,
            model=line.model,
            firmware=line.firmware,
            mac=line.mac_address,
        )
    )
    declared = index.names.resolve(line.manufacturer_declared, line.brand).manufacturer
    line.manufacturer = index.makers.get(declared) if declared else None
    line.made_by = index.makers.get(result.maker) if result.maker else None
    line.confidence = result.confidence if result.maker else None
    line.concern = result.concern
    line.evidence = list(result.evidence) or [
        'Nothing is declared for this line to identify it by (maker, brand, model, firmware or MAC address): '
        'who made it is unknown.'
    ]
