"""The result of scanning one host: one JSON object per line (docs/discovery.md, "Output").

The scanner writes these lines, `--import` turns nmap's XML into them, a re-run resumes from
them, and the server reads them back from an upload. Reading is strict and bounded: a line that
is not what the scanner writes is refused with its line number and field.
"""

import datetime
import ipaddress
import json
import re
from dataclasses import asdict, dataclass, field

from django.utils.dateparse import parse_datetime

from oversight.core.jsondata import loads
from oversight.register.values import BadValue, parse_mac

SCHEMA = 1

# What a device shows about its identity, merged from every probe (see `merge`).
TEXT_FIELDS = (
    'manufacturer',
    'model',
    'firmware',
    'serial_number',
    'hardware_id',
    'mac',
    'http_server',
    'www_authenticate',
    'html_title',
    'rtsp_server',
)
OBSERVED_FIELDS = (*TEXT_FIELDS, 'onvif_scopes')
LABELS = {
    'manufacturer': 'Manufacturer',
    'model': 'Model',
    'firmware': 'Firmware',
    'serial_number': 'Serial number',
    'hardware_id': 'Hardware ID',
    'mac': 'MAC address',
    'http_server': 'HTTP Server header',
    'www_authenticate': 'WWW-Authenticate challenge',
    'html_title': 'Web page title',
    'rtsp_server': 'RTSP Server header',
    'onvif_scopes': 'ONVIF scopes',
}

# For each field, the probes that can show it, best first. A probe is named "<kind>:<port>" or "<kind>".
PRIORITY = {
    'manufacturer': ('onvif', 'nmap'),
    'model': ('onvif', 'sadp', 'dhip', 'nmap'),
    'firmware': ('onvif', 'sadp', 'dhip', 'nmap'),
    'serial_number': ('onvif', 'sadp', 'dhip'),
    'hardware_id': ('onvif',),
    'mac': ('neighbours', 'onvif', 'sadp', 'dhip', 'nmap'),
    'http_server': ('http', 'https', 'nmap'),
    'www_authenticate': ('http', 'https', 'rtsp', 'nmap'),
    'html_title': ('http', 'https', 'nmap'),
    'rtsp_server': ('rtsp', 'nmap'),
    'onvif_scopes': ('wsd',),
}
# Which key of a probe's findings holds each field, where it is named differently.
PROBE_KEYS = {
    'http': {'http_server': 'server', 'html_title': 'title'},
    'https': {'http_server': 'server', 'html_title': 'title'},
    'rtsp': {'rtsp_server': 'server'},
    'wsd': {'onvif_scopes': 'scopes'},
}

MAX_TEXT = 1024
MAX_SCOPES = 64
MAX_LIST = 64
MAX_PROBES_JSON = 32 * 1024


# Seconds one host may take: the agent's own time-outs end a host within minutes.
MAX_ELAPSED = 24 * 60 * 60


class ResultError(ValueError):
    """A line that cannot be read; the message names the line and the field."""


def parse_moment(text: str, name: str) -> datetime.datetime | None:
    """A time in results (`scan.started`, `scanned_at`…) as an aware datetime; naive ones are UTC.

    The one reader of times in results: what the agent writes, what nmap's import writes, what an
    upload says. A time that is not one (a 13th month, a 30th of February) is a ResultError naming `name`.
    """
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError as exc:
        raise ResultError(f'"{name}": {text[:40]!r} is not a real date and time ({exc})') from exc
    if value is None:
        raise ResultError(f'"{name}": {text[:40]!r} is not a date and time such as 2026-02-27T10:00:00Z')
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError as exc:
        raise ResultError(f'"{name}": {text[:40]!r} is out of range') from exc


def _moment_text(data: dict, name: str, *, prefix: str = '') -> str:
    """A time field checked by parse_moment, kept as the text it was given."""
    text = _text(data, name, limit=40, prefix=prefix)
    parse_moment(text, f'{prefix}{name}')
    return text


@dataclass
class HostResult:
    address: str
    state: str = 'down'  # up: something answered; down: nothing did
    source: str = 'scan'  # scan (oversight discover) or nmap (--import)
    scanned_at: str = ''
    elapsed: float = 0.0
    observed: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)  # observed field -> the probe that showed it
    probes: dict = field(default_factory=dict)  # probe -> what it found
    services: list = field(default_factory=list)  # {'port', 'transport', 'protocol'} of open ports
    errors: list = field(default_factory=list)  # {'probe', 'message'}: what a device did wrong
    notes: list = field(default_factory=list)  # {'probe', 'message'}: worth knowing, not wrong
    identification: dict | None = None

    def to_json(self) -> str:
        data = {'schema': SCHEMA, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, separators=(',', ':'))

    def error(self, probe: str, message: str) -> None:
        self.errors.append({'probe': probe, 'message': message})

    def note(self, probe: str, message: str) -> None:
        self.notes.append({'probe': probe, 'message': message})


def merge(result: HostResult) -> None:
    """Fill `observed` and `sources` from the probes' findings, each field from its best probe."""
    observed, sources = {}, {}
    for name, kinds in PRIORITY.items():
        for kind in kinds:
            for probe in sorted(p for p in result.probes if p.split(':', 1)[0] == kind):
                value = result.probes[probe].get(PROBE_KEYS.get(kind, {}).get(name, name))
                if name == 'mac' and value:
                    value = _mac_or_empty(value)
                if value:
                    observed[name], sources[name] = value, probe
                    break
            if name in observed:
                break
    result.observed, result.sources = observed, sources


def _mac_or_empty(text) -> str:
    try:
        return parse_mac(str(text).strip())
    except BadValue:
        return ''


# Reading lines back


@dataclass
class ScanMeta:
    """The optional first line of an upload: {"scan": {...}} with when, what was scanned, and by what."""

    started: str = ''
    finished: str = ''
    scope: list = field(default_factory=list)
    tool: str = ''
    organisation: str = ''

    def to_json(self) -> str:
        return json.dumps({'scan': asdict(self)}, separators=(',', ':'))


NO_HOSTS = 'no host results: is this the output of `oversight discover`?'
# How read_lines names a problem's place: 'line 5: "observed.mac" ...'.
_PLACE = re.compile(r'line (\d+): (?:"([^"]+)")?')


def problem_place(problem: str) -> tuple[int | None, str]:
    """The line number and the field a problem from `read_lines` names, where it names them."""
    if (place := _PLACE.match(problem)) is None:
        return None, ''
    return int(place[1]), place[2] or ''


def read_lines(text: str, *, max_hosts: int) -> tuple[ScanMeta, list[HostResult], list[str]]:
    """Parse JSON lines; returns (meta, results, problems). Nothing is partly accepted: problems mean refusal."""
    meta = ScanMeta()
    results: list[HostResult] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(problems) >= 20:
            problems.append('… and more: fix these first.')
            break
        try:
            data = loads(line)
        except ValueError as exc:
            problems.append(f'line {number}: not JSON ({exc})')
            continue
        if not isinstance(data, dict):
            problems.append(f'line {number}: not a JSON object')
            continue
        try:
            if 'scan' in data and 'address' not in data:
                meta = _meta(data['scan'])
                continue
            result = _result(data)
        except ResultError as exc:
            problems.append(f'line {number}: {exc}')
            continue
        if result.address in seen:
            problems.append(f'line {number}: address {result.address} was already given on line {seen[result.address]}')
            continue
        seen[result.address] = number
        results.append(result)
        if len(results) > max_hosts:
            problems.append(f'more than {max_hosts:,} hosts: split the scan into smaller ranges')
            break
    if not results and not problems:
        problems.append(NO_HOSTS)
    return meta, results, problems


def done_addresses(text: str) -> set[str]:
    """The hosts a results file already has, for --resume (lines that cannot be read are not done)."""
    done = set()
    for line in text.splitlines():
        try:
            data = loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get('address'), str):
            done.add(data['address'])
    return done


def _meta(data) -> ScanMeta:
    if not isinstance(data, dict):
        raise ResultError('"scan" must be an object')
    meta = ScanMeta()
    for name in ('tool', 'organisation'):
        setattr(meta, name, _text(data, name, limit=200))
    for name in ('started', 'finished'):
        setattr(meta, name, _moment_text(data, name, prefix='scan.'))
    scope = data.get('scope', [])
    if not isinstance(scope, list) or len(scope) > 4096:
        raise ResultError('"scan.scope" must be a list of at most 4,096 networks')
    for item in scope:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError as exc:
            raise ResultError(f'"scan.scope": {str(item)[:60]!r} is not a network') from exc
    meta.scope = [str(ipaddress.ip_network(str(item), strict=False)) for item in scope]
    return meta


def _result(data: dict) -> HostResult:
    if data.get('schema', SCHEMA) != SCHEMA:
        raise ResultError(f'schema {data.get("schema")!r} is not one this server reads (expected {SCHEMA})')
    address = data.get('address')
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError as exc:
        raise ResultError(f'"address": {str(address)[:60]!r} is not an IP address') from exc
    state = data.get('state', 'up')
    if state not in ('up', 'down'):
        raise ResultError('"state" must be "up" or "down"')
    source = data.get('source', 'scan')
    if source not in ('scan', 'nmap'):
        raise ResultError('"source" must be "scan" or "nmap"')
    observed = data.get('observed', {})
    if not isinstance(observed, dict):
        raise ResultError('"observed" must be an object')
    clean = {}
    for name in TEXT_FIELDS:
        value = _text(observed, name, prefix='observed.')
        if value:
            clean[name] = value
    if clean.get('mac'):
        clean['mac'] = _mac_or_empty(clean['mac'])
        if not clean['mac']:
            raise ResultError(f'"observed.mac": {observed["mac"][:40]!r} is not a MAC address')
    scopes = observed.get('onvif_scopes', [])
    if not isinstance(scopes, list) or len(scopes) > MAX_SCOPES or not all(isinstance(s, str) for s in scopes):
        raise ResultError(f'"observed.onvif_scopes" must be a list of at most {MAX_SCOPES} strings')
    if any(len(s) > 512 for s in scopes):
        raise ResultError('"observed.onvif_scopes": a scope is longer than 512 characters')
    if scopes:
        clean['onvif_scopes'] = scopes
    probes = data.get('probes', {})
    if not isinstance(probes, dict) or len(json.dumps(probes)) > MAX_PROBES_JSON:
        raise ResultError(f'"probes" must be an object of at most {MAX_PROBES_JSON // 1024} KiB')
    identification = data.get('identification')
    if identification is not None and not isinstance(identification, dict):
        raise ResultError('"identification" must be an object')
    elapsed = data.get('elapsed', 0.0)
    if isinstance(elapsed, bool) or not isinstance(elapsed, int | float) or not 0 <= elapsed <= MAX_ELAPSED:
        raise ResultError(f'"elapsed" must be a number of seconds from 0 to {MAX_ELAPSED:,}')
    return HostResult(
        address=address,
        state=state,
        source=source,
        scanned_at=_moment_text(data, 'scanned_at'),
        elapsed=float(elapsed),
        observed=clean,
        sources=_string_map(data, 'sources'),
        probes=probes,
        services=_records(data, 'services', ('port', 'transport', 'protocol')),
        errors=_records(data, 'errors', ('probe', 'message')),
        notes=_records(data, 'notes', ('probe', 'message')),
        identification=identification,
    )


def _text(data: dict, name: str, *, limit: int = MAX_TEXT, prefix: str = '') -> str:
    value = data.get(name, '')
    if value is None:
        return ''
    if not isinstance(value, str):
        raise ResultError(f'"{prefix}{name}" must be text')
    if len(value) > limit:
        raise ResultError(f'"{prefix}{name}" is longer than {limit:,} characters')
    return value.strip()


def _string_map(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict) or len(value) > MAX_LIST:
        raise ResultError(f'"{name}" must be an object')
    return {str(k)[:40]: str(v)[:40] for k, v in value.items()}


def _records(data: dict, name: str, keys: tuple[str, ...]) -> list:
    value = data.get(name, [])
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise ResultError(f'"{name}" must be a list of at most {MAX_LIST} entries')
    records = []
    for item in value:
        if not isinstance(item, dict):
            raise ResultError(f'"{name}" entries must be objects')
        record = {}
        for key in keys:
            raw = item.get(key, '')
            if key == 'port':
                if not isinstance(raw, int) or not 0 < raw < 65536:
                    raise ResultError(f'"{name}": {str(raw)[:20]!r} is not a port number')
                record[key] = raw
            else:
                record[key] = str(raw)[:300]
        records.append(record)
    return records
