"""Matching equipment lines to Known Exploited Vulnerabilities, as far as the data allows and no further.

Each catalogue entry gets a matching rule from data/kev-matching.json (the model families and
firmware ranges its CVE record publishes, with the source); an entry without one is matched by its
vendor alone. A line is a candidate when it was made by, or declared as, the entry's vendor. It is
then "affected" only when its model is in a listed family and its firmware is in the listed range;
"not affected" when the model or firmware is clearly outside; otherwise "possibly affected", with
the reason the data cannot decide. Relabelled products (made by the vendor, sold under another
name) are matched only through the listed families, unless the rule says the entry covers them.

A match's reason is kept with a kept evaluation and read in either language, so it is lazy
(`interpolate_lazy`): written in the reader's language when read, with the rule's note in Welsh where
kev-matching.json gives one (`note_cy`). The catalogue's own words (names, descriptions, required actions)
are CISA's, quoted in English.
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from oversight.core.dates import govuk_date_lazy
from oversight.core.languages import interpolate_lazy, remembered, shown
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
        """In the active language when it is shown (exports write it in English)."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.AFFECTED: remembered(_('Affected')),
    Status.POSSIBLY: remembered(_('Possibly affected')),
    Status.NOT_AFFECTED: remembered(_('Not affected')),
}


THIS_LINE = _('This line')  # a line with no maker or model recorded
NO_RULE = _('Oversight has no matching rule for this entry yet: it is matched by its vendor only.')
_shown_lazy = lazy(shown, str)


class MatchingDataError(ValueError):
    """data/kev-matching.json says something the matcher cannot follow."""


@dataclass(frozen=True)
class FirmwareRange:
    """Affected firmware: a Hikvision version range (inclusive), or a build date before a day."""

    scheme: str  # 'hikvision' or 'build-date'
    low: tuple | None = None
    high: tuple | None = None
    before: datetime.date | None = None
    text: str = ''  # lazy: in the reader's language

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
    note_cy: str = ''

    @property
    def shown_note(self):
        """The note in the reader's language when read (lazy: it goes into kept reasons)."""
        return _shown_lazy(self.note, self.note_cy)


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
        label = ' '.join(filter(None, (line.brand or line.manufacturer_declared, line.model))) or THIS_LINE
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
        text = interpolate_lazy(_('%(low)s to %(high)s'), low=spec['from'], high=spec['to'])
        return FirmwareRange(scheme, low=low, high=high, text=text)
    if scheme == 'build-date':
        try:
            before = datetime.date.fromisoformat(spec.get('before', ''))
        except (TypeError, ValueError) as exc:
            raise MatchingDataError(f'{where}: "before" must be a date (yyyy-mm-dd).') from exc
        text = interpolate_lazy(_('built before %(date)s'), date=govuk_date_lazy(before))
        return FirmwareRange(scheme, before=before, text=text)
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
        note_cy=spec.get('note_cy', ''),
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
                note=NO_RULE,
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
    cve, note = vulnerability.cve, rule.shown_note
    direct = bool(device.declared & rule.vendor_keys)
    via_maker = device.made_by in rule.vendor_keys
    if not (direct or via_maker):
        if device.made_by_name:
            message = _('%(device)s is made by %(maker)s; %(cve)s concerns %(vendor)s products.')
        else:
            message = _('%(device)s is of unknown make; %(cve)s concerns %(vendor)s products.')
        reason = interpolate_lazy(message, device=device.label, maker=device.made_by_name, cve=cve, vendor=rule.vendor)
        return Match(vulnerability, Status.NOT_AFFECTED, reason)
    # A line made by the vendor with no name declared is the vendor's own product, identified by other signals.
    relabel = not direct and bool(device.declared)
    if relabel:
        made = interpolate_lazy(
            _('%(device)s is made by %(vendor)s and sold under another name'), device=device.label, vendor=rule.vendor
        )
    else:
        made = interpolate_lazy(_('%(device)s is made by %(vendor)s'), device=device.label, vendor=rule.vendor)
    if not rule.families:
        if relabel and not rule.covers_relabels:
            message = _(
                '%(made)s; %(cve)s names no models, and its data does not say relabelled products are affected. '
                '%(note)s Ask the supplier whether it applies.'
            )
            return Match(vulnerability, Status.NOT_AFFECTED, interpolate_lazy(message, made=made, cve=cve, note=note))
        if rule.note:
            reason = interpolate_lazy('%(made)s. %(note)s', made=made, note=note)
        else:
            reason = interpolate_lazy('%(made)s.', made=made)
        return Match(vulnerability, Status.POSSIBLY, reason)
    published = '; '.join(f.published for f in rule.families)
    if not device.model:
        message = _('%(made)s, but its model is not recorded. Affected: %(published)s.')
        return Match(vulnerability, Status.POSSIBLY, interpolate_lazy(message, made=made, published=published))
    model = _model_key(device.model)
    family = next((f for f in rule.families if f.pattern.search(model)), None)
    if family is None:
        if relabel:
            message = _(
                'Model %(model)s is not in the affected families (%(published)s). Relabelled products are matched '
                'only by the model numbers the record lists.'
            )
        else:
            message = _('Model %(model)s is not in the affected families (%(published)s).')
        reason = interpolate_lazy(message, model=device.model, published=published)
        return Match(vulnerability, Status.NOT_AFFECTED, reason)
    message = _('%(made)s; model %(model)s is in the %(family)s family')
    in_family = interpolate_lazy(message, made=made, model=device.model, family=family.published)
    values = {'in_family': in_family, 'note': note}
    if family.all_versions:
        reason = interpolate_lazy(_('%(in_family)s, affected in every version. %(note)s'), **values)
        return Match(vulnerability, Status.AFFECTED, reason, family.published)
    if family.firmware is None:
        reason = interpolate_lazy(_('%(in_family)s; the data gives no fixed firmware. %(note)s'), **values)
        return Match(vulnerability, Status.POSSIBLY, reason, family.published)
    values.update(affected=family.firmware.text, firmware=device.firmware)
    if not device.firmware:
        message = _('%(in_family)s, affected in firmware %(affected)s; its firmware is not recorded.')
        return Match(vulnerability, Status.POSSIBLY, interpolate_lazy(message, **values), family.published)
    inside = family.firmware.contains(device.firmware)
    if inside is None:
        message = _(
            '%(in_family)s, affected in firmware %(affected)s; its firmware "%(firmware)s" cannot be read as a '
            'version to compare.'
        )
        values['firmware'] = device.firmware[:60]
        return Match(vulnerability, Status.POSSIBLY, interpolate_lazy(message, **values), family.published)
    if inside:
        message = _('%(in_family)s, and its firmware %(firmware)s is in the affected range (%(affected)s).')
        return Match(vulnerability, Status.AFFECTED, interpolate_lazy(message, **values), family.published)
    message = _('%(in_family)s, but its firmware %(firmware)s is outside the affected range (%(affected)s).')
    return Match(vulnerability, Status.NOT_AFFECTED, interpolate_lazy(message, **values), family.published)


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
