"""Matching equipment lines to Known Exploited Vulnerabilities, as far as the data allows and no further.

Each catalogue entry gets a matching rule from data/kev-matching.json (the model families and
firmware ranges its CVE record publishes, with the source); an entry without one is matched by its
vendor alone. A line is a candidate when it was made by, or declared as, the entry's vendor. It is
then "affected" only when its model is in a listed family and its firmware is in the listed range;
"not affected" when the model or firmware is clearly outside; otherwise "possibly affected", with
the reason the data cannot decide. Relabelled products (made by the vendor, sold under another
name) are matched only through the listed families, unless the rule says the entry covers them.
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from oversight.vendors.resolution import normalise

from . import catalogue
from .firmware import build_date, hikvision_version
from .models import KevCatalogue


class Status(StrEnum):
    AFFECTED = 'affected'
    POSSIBLY = 'possibly_affected'
    NOT_AFFECTED = 'not_affected'

    @property
    def label(self) -> str:
        return self.value.replace('_', ' ').capitalize()


class MatchingDataError(ValueError):
    """data/kev-matching.json says something the matcher cannot follow."""


@dataclass(frozen=True)
class FirmwareRange:
    """Affected firmware: a Hikvision version range (inclusive), or a build date before a day."""

    scheme: str  # 'hikvision' or 'build-date'
    low: tuple | None = None
    high: tuple | None = None
    before: datetime.date | None = None
    text: str = ''

    def contains(self, firmware: str) -> bool | None:
        """True or False where the firmware string can be read; None where it cannot."""
        if self.scheme == 'hikvision':
            version = hikvision_version(firmware)
            return None if version is None else self.low <= version <= self.high
        built = build_date(firmware)
        return None if built is None else built < self.before


@dataclass(frozen=True)
class Family:
    published: str  # as the CVE record writes it
    pattern: re.Pattern
    firmware: FirmwareRange | None = None
    all_versions: bool = False  # the product is end-of-life: every unit is affected


@dataclass(frozen=True)
class MatchRule:
    vendor: str
    vendor_keys: frozenset[str]
    source_url: str
    note: str
    families: tuple[Family, ...] = ()
    covers_relabels: bool = False
    curated: bool = True


@dataclass(frozen=True)
class Vulnerability:
    cve: str
    name: str
    short_description: str
    required_action: str
    date_added: datetime.date
    due_date: datetime.date
    rule: MatchRule
    secondary: bool = False  # known from secondary sources, not yet from CISA's catalogue file
    sources: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f'https://nvd.nist.gov/vuln/detail/{self.cve}'


@dataclass(frozen=True)
class Device:
    """What matching needs to know about an equipment line."""

    declared: frozenset[str]  # normalised names as declared: manufacturer and brand
    made_by: str  # normalised name of who really made it ('' when unknown)
    made_by_name: str
    label: str  # how the line is named to people, e.g. "Honeywell HEN28103"
    model: str
    firmware: str

    @classmethod
    def of(cls, line) -> 'Device':
        made_by = line.made_by.name if line.made_by_id else ''
        declared = frozenset(filter(None, (normalise(line.manufacturer_declared), normalise(line.brand))))
        label = ' '.join(filter(None, (line.brand or line.manufacturer_declared, line.model))) or 'This line'
        return cls(declared, normalise(made_by), made_by, label, line.model or '', line.firmware or '')


@dataclass(frozen=True)
class Match:
    vulnerability: Vulnerability
    status: Status
    reason: str
    family: str = ''


def _parse_firmware(spec: dict, where: str) -> FirmwareRange:
    scheme = spec.get('scheme')
    if scheme == 'hikvision':
        low, high = hikvision_version(spec.get('from', '')), hikvision_version(spec.get('to', ''))
        if low is None or high is None or low > high:
            raise MatchingDataError(f'{where}: "from" and "to" must be Hikvision versions in order.')
        return FirmwareRange(scheme, low=low, high=high, text=f'{spec["from"]} to {spec["to"]}')
    if scheme == 'build-date':
        try:
            before = datetime.date.fromisoformat(spec.get('before', ''))
        except (TypeError, ValueError) as exc:
            raise MatchingDataError(f'{where}: "before" must be a date (yyyy-mm-dd).') from exc
        return FirmwareRange(scheme, before=before, text=f'built before {before.day} {before:%B %Y}')
    raise MatchingDataError(f'{where}: unknown firmware scheme {scheme!r} (use "hikvision" or "build-date").')


def _parse_rule(spec: dict, aliases: dict[str, list[str]]) -> MatchRule:
    where = spec.get('cveID', '?')
    families = []
    for index, item in enumerate(spec.get('families') or []):
        place = f'{where} families[{index}]'
        try:
            pattern = re.compile(item['model_pattern'])
        except (KeyError, re.error) as exc:
            raise MatchingDataError(f'{place}: "model_pattern" is missing or not a regular expression.') from exc
        firmware = _parse_firmware(item['firmware'], place) if item.get('firmware') else None
        families.append(
            Family(item.get('published', item['model_pattern']), pattern, firmware, item.get('all_versions', False))
        )
    relabels = spec.get('relabels', 'not-listed')
    if relabels not in ('not-listed', 'covered'):
        raise MatchingDataError(f'{where}: "relabels" must be "not-listed" or "covered".')
    if not spec.get('source_url'):
        raise MatchingDataError(f'{where}: every matching rule needs its "source_url".')
    vendor = spec['vendor']
    return MatchRule(
        vendor=vendor,
        vendor_keys=frozenset(normalise(n) for n in aliases.get(vendor, [vendor])),
        source_url=spec['source_url'],
        note=spec.get('note', ''),
        families=tuple(families),
        covers_relabels=relabels == 'covered',
    )


def _vulnerability(entry: dict, rule: MatchRule) -> Vulnerability:
    return Vulnerability(
        cve=entry['cveID'],
        name=entry['vulnerabilityName'].strip(),
        short_description=entry['shortDescription'].strip(),
        required_action=entry['requiredAction'].strip(),
        date_added=datetime.date.fromisoformat(entry['dateAdded']),
        due_date=datetime.date.fromisoformat(entry['dueDate']),
        rule=rule,
        secondary=entry.get('provenance') == 'secondary',
        sources=tuple(entry.get('sources', ())),
    )


class Catalogue:
    """The KEV entries in use with their matching rules, indexed by vendor name."""

    def __init__(self, document: dict, matching: dict):
        aliases = matching.get('vendor_names', {})
        rules = {spec['cveID']: _parse_rule(spec, aliases) for spec in matching.get('rules', [])}
        self.vulnerabilities: list[Vulnerability] = []
        for entry in [*document['vulnerabilities'], *document.get('additions', [])]:
            rule = rules.get(entry['cveID']) or MatchRule(
                vendor=entry['vendorProject'],
                vendor_keys=frozenset(
                    normalise(n) for n in aliases.get(entry['vendorProject'], [entry['vendorProject']])
                ),
                source_url=f'https://nvd.nist.gov/vuln/detail/{entry["cveID"]}',
                note='Oversight has no matching rule for this entry yet: it is matched by its vendor only.',
                curated=False,
            )
            self.vulnerabilities.append(_vulnerability(entry, rule))
        self.version = document.get('catalogVersion', '')
        self._by_vendor: dict[str, list[Vulnerability]] = {}
        for vulnerability in self.vulnerabilities:
            for key in vulnerability.rule.vendor_keys:
                self._by_vendor.setdefault(key, []).append(vulnerability)

    def get(self, cve: str) -> Vulnerability:
        return next(v for v in self.vulnerabilities if v.cve == cve)

    def matches(self, device: Device) -> list[Match]:
        """The entries the device is affected or possibly affected by."""
        candidates: dict[str, Vulnerability] = {}
        for key in (*device.declared, device.made_by):
            for vulnerability in self._by_vendor.get(key, ()):
                candidates[vulnerability.cve] = vulnerability
        found = (match(device, v) for v in candidates.values())
        return [m for m in found if m.status != Status.NOT_AFFECTED]


# The catalogue this process built, with the (revision, refreshed) of the stored one it was built from.
_held: tuple[tuple, Catalogue] | None = None


def current() -> Catalogue:
    """The catalogue in the database with its matching rules: built again in this process when a refresh
    on any node has replaced it since, which one small query per call finds out."""
    global _held
    stamp = tuple(KevCatalogue.objects.values_list('revision', 'refreshed').get())
    held = _held
    if held is None or held[0] != stamp:
        held = _held = (stamp, Catalogue(catalogue.stored(), catalogue.matching_data()))
    return held[1]


def _model_key(model: str) -> str:
    return re.sub(r'\s+', ' ', model.strip().upper())[:100]


def match(device: Device, vulnerability: Vulnerability) -> Match:
    rule = vulnerability.rule
    direct = bool(device.declared & rule.vendor_keys)
    via_maker = device.made_by in rule.vendor_keys
    if not (direct or via_maker):
        maker = f'made by {device.made_by_name}' if device.made_by_name else 'of unknown make'
        return Match(
            vulnerability,
            Status.NOT_AFFECTED,
            f'{device.label} is {maker}; {vulnerability.cve} concerns {rule.vendor} products.',
        )
    # A line made by the vendor with no name declared is the vendor's own product, identified by other signals.
    relabel = not direct and bool(device.declared)
    made = f'{device.label} is made by {rule.vendor}' + (' and sold under another name' if relabel else '')
    if not rule.families:
        if relabel and not rule.covers_relabels:
            return Match(
                vulnerability,
                Status.NOT_AFFECTED,
                f'{made}; {vulnerability.cve} names no models, and its data does not say relabelled products are '
                f'affected. {rule.note} Ask the supplier whether it applies.',
            )
        return Match(vulnerability, Status.POSSIBLY, f'{made}. {rule.note}'.strip())
    published = '; '.join(f.published for f in rule.families)
    if not device.model:
        return Match(vulnerability, Status.POSSIBLY, f'{made}, but its model is not recorded. Affected: {published}.')
    model = _model_key(device.model)
    family = next((f for f in rule.families if f.pattern.search(model)), None)
    if family is None:
        why = ' Relabelled products are matched only by the model numbers the record lists.' if relabel else ''
        return Match(
            vulnerability,
            Status.NOT_AFFECTED,
            f'Model {device.model} is not in the affected families ({published}).{why}',
        )
    in_family = f'{made}; model {device.model} is in the {family.published} family'
    if family.all_versions:
        return Match(
            vulnerability, Status.AFFECTED, f'{in_family}, affected in every version. {rule.note}', family.published
        )
    if family.firmware is None:
        return Match(
            vulnerability,
            Status.POSSIBLY,
            f'{in_family}; the data gives no fixed firmware. {rule.note}',
            family.published,
        )
    if not device.firmware:
        return Match(
            vulnerability,
            Status.POSSIBLY,
            f'{in_family}, affected in firmware {family.firmware.text}; its firmware is not recorded.',
            family.published,
        )
    inside = family.firmware.contains(device.firmware)
    if inside is None:
        return Match(
            vulnerability,
            Status.POSSIBLY,
            f'{in_family}, affected in firmware {family.firmware.text}; its firmware "{device.firmware[:60]}" '
            'cannot be read as a version to compare.',
            family.published,
        )
    if inside:
        return Match(
            vulnerability,
            Status.AFFECTED,
            f'{in_family}, and its firmware {device.firmware} is in the affected range ({family.firmware.text}).',
            family.published,
        )
    return Match(
        vulnerability,
        Status.NOT_AFFECTED,
        f'{in_family}, but its firmware {device.firmware} is outside the affected range ({family.firmware.text}).',
        family.published,
    )


@dataclass(frozen=True)
class LineMatch:
    line: object  # register.EquipmentLine
    match: Match


def match_lines(lines, source: Catalogue | None = None) -> list[LineMatch]:
    """Every (line, entry) pair where the line is affected or possibly affected by the entry."""
    source = source or current()
    # Lines of one make, model and firmware match alike: each distinct device is matched once.
    found: dict[tuple, list] = {}
    matched = []
    for line in lines:
        key = (line.manufacturer_declared, line.brand, line.made_by_id, line.model, line.firmware)
        if key not in found:
            found[key] = source.matches(Device.of(line))
        matched.extend(LineMatch(line, m) for m in found[key])
    return matched
