"""What is known about one device, and what one piece of it shows about who made it."""

import json
import re
from dataclasses import dataclass, field

# The columns of `oversight identify`, in the order evidence is listed.
FIELDS = (
    'manufacturer',
    'brand',
    'model',
    'firmware',
    'mac',
    'http_server',
    'www_authenticate',
    'html_title',
    'rtsp_server',
)

# How evidence names each signal: (as a sentence starts, as a sentence refers to it).
LABELS = {
    'manufacturer': ('Declared maker', 'the declared maker or brand'),
    'brand': ('Declared brand', 'the declared maker or brand'),
    'model': ('Model', 'the model number'),
    'firmware': ('Firmware', 'the firmware version'),
    'mac': ('MAC address', 'the MAC address'),
    'http_server': ('HTTP Server header', 'the HTTP Server header'),
    'www_authenticate': ('WWW-Authenticate realm', 'the authentication realm'),
    'html_title': ('HTML title', 'the web page title'),
    'rtsp_server': ('RTSP Server header', 'the RTSP Server header'),
    'onvif_scopes': ('ONVIF scope', 'the ONVIF scopes'),
}

# Real values are short (a long digest challenge is a few hundred characters); anything longer is junk.
MAX_FIELD_CHARS = 1024

# Control characters, C1 controls and lone surrogates (undecodable bytes read with surrogateescape).
_BINARY = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]')


@dataclass(frozen=True)
class Signals:
    """The identity a register declares and what the device shows on the network; any may be empty."""

    manufacturer: str = ''
    brand: str = ''
    model: str = ''
    firmware: str = ''
    mac: str = ''
    http_server: str = ''
    www_authenticate: str = ''
    html_title: str = ''
    rtsp_server: str = ''
    # WS-Discovery scopes: one string separated by white space (as the Scopes element carries them) or a list.
    onvif_scopes: str | tuple[str, ...] | list[str] = ''


@dataclass(frozen=True, eq=False, slots=True)
class Vote:
    """What a finding counts for when signals are combined; equal votes are one shared object (see `vote`)."""

    maker: str | None  # the canonical maker it points to; None for a note that counts for nobody
    weight: float  # how strongly it points there, 0..1
    # Shown by the device itself (firmware, MAC, banners, model family) rather than declared by a person.
    device: bool
    signal: str  # what showed it, as evidence names it ("the firmware version")
    brand: str | None  # the brand it shows the device is sold under, when not the maker's own name
    declared: str | None  # for declared names: the maker the declaration names (a brand's owner)


_votes: dict[tuple, Vote] = {}


def vote(maker, weight, device, signal, brand=None, declared=None) -> Vote:
    """The one Vote with these values, so that combinations of votes can be memoised by identity."""
    key = (maker, weight, device, signal, brand, declared)
    found = _votes.get(key)
    if found is None:
        found = _votes[key] = Vote(*key)
    return found


@dataclass(frozen=True, eq=False, slots=True)
class Finding:
    """What one signal showed: a vote and the evidence saying so. Built once per distinct value and shared."""

    vote: Vote
    evidence: tuple[str, ...]
    # The evidence as JSON array items, encoded once, so output lines are assembled rather than serialised.
    evidence_json: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, 'evidence_json', ', '.join(json.dumps(line) for line in self.evidence))

    @classmethod
    def of(cls, maker, weight, evidence, *, device, signal, brand=None, declared=None) -> 'Finding':
        return cls(vote(maker, weight, device, signal, brand, declared), tuple(evidence))


@dataclass(frozen=True, eq=False, slots=True)
class FieldError:
    """A value that cannot be read: the whole row is unknown and says which column is at fault."""

    column: str
    message: str

    def __str__(self) -> str:
        return f'column "{self.column}": {self.message}'


def field_problem(column: str, value: str) -> FieldError | None:
    """Why a value cannot be used at all (absurd length, binary data), or None."""
    if len(value) > MAX_FIELD_CHARS:
        return FieldError(column, f'longer than {MAX_FIELD_CHARS:,} characters')
    if _BINARY.search(value):
        return FieldError(column, 'contains binary data or control characters')
    return None


def quoted(value: str, limit: int = 80) -> str:
    """A value as evidence quotes it: stripped and cut short."""
    value = value.strip()
    return f'"{value}"' if len(value) <= limit else f'"{value[: limit - 1]}…"'
