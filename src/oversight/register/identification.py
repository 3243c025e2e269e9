"""Who made an equipment line, as the register records it.

The register calls one function, `identify_line(index, line)`, with an index built once per action
(`build_index()`), so the fuller identification engine (firmware, MAC and model signals) can replace
both without touching the actions, the import or the pages.
"""

from dataclasses import dataclass

from oversight.vendors.concerns import ConcernIndex
from oversight.vendors.models import Manufacturer
from oversight.vendors.resolution import NameIndex

# What a line declares about its identity: a change to any of them means identifying it again.
IDENTITY_FIELDS = ('manufacturer_declared', 'brand', 'model', 'firmware', 'mac_address')


@dataclass(frozen=True)
class IdentificationIndex:
    names: NameIndex
    makers: dict[str, Manufacturer]  # canonical name -> maker
    concerns: ConcernIndex  # which concern lists cover each maker, affiliates included


def build_index() -> IdentificationIndex:
    """The reference data an action needs to identify any number of lines, read in a few queries."""
    return IdentificationIndex(
        names=NameIndex.from_db(),
        makers={m.name: m for m in Manufacturer.objects.all()},
        concerns=ConcernIndex.from_db(),
    )


def identify_line(index: IdentificationIndex, line) -> None:
    """Set the line's resolved maker, real maker, confidence, evidence and concern from its declared identity.

    An unrecognised name stays unknown (no maker, concern unknown): it is never guessed.
    """
    resolution = index.names.resolve(line.manufacturer_declared, line.brand)
    if not resolution.known:
        line.manufacturer = line.made_by = None
        line.confidence = line.concern = None
        typed = ' / '.join(f'"{name}"' for name in (line.manufacturer_declared, line.brand) if name)
        line.evidence = [
            f'{typed or "No maker"} is not a maker or brand in the reference data: who made it is unknown.'
        ]
        return
    line.manufacturer = index.makers.get(resolution.manufacturer)
    line.made_by = index.makers.get(resolution.made_by)
    line.confidence = resolution.confidence
    line.evidence = list(resolution.evidence)
    # Of concern when any list covers the declared maker or the real one (a relabel's ODM).
    line.concern = any(index.concerns.designations(maker) for maker in (resolution.manufacturer, resolution.made_by))
