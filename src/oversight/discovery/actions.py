"""Every write of the discovery app: scan tokens, uploaded scans, reconciliation, and accepting a device.

Each action runs in one transaction with its audit rows. An upload's devices are part of its scan:
the scan's audit row records the upload (file, counts), not one row per device. Accepting a device
creates the equipment line through the register's own action, so the line has its history.
"""

import ipaddress
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import record_change, save_audited, snapshot
from oversight.core.bulk import copy
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, may_edit_body
from oversight.core.text import hidden_character
from oversight.core.tokens import digest, lookup_digest, new_secret
from oversight.register import actions as register_actions
from oversight.register.models import EquipmentLine

from .identify import DeviceIdentifier
from .models import DiscoveredDevice, Scan, ScanToken, UnseenLine
from .nmap import NmapError, read_nmap
from .reconcile import covered_sites, mismatches, reconcile
from .results import NO_HOSTS, parse_moment, read_lines
from .signals import scan_reconciled

TOKEN_PREFIX = 'ovs_'
# One upload: a /16 of answering hosts is far beyond any camera network, and the body size is bounded too.
MAX_HOSTS = 65_536
# The most addresses a scan's scope may claim: 10.0.0.0/8, the largest private network.
MAX_SCOPE_ADDRESSES = 2**24
# A device's fields of what it showed and how it was identified, as reconciliation has no need of them.
SHOWN = ('observed', 'sources', 'probes', 'services', 'errors', 'notes', 'designations', 'evidence')


@dataclass(frozen=True)
class TokenActor:
    """Who the audit names for an upload made with a scan token (there is no signed-in person)."""

    username: str
    pk: None = None


# Tokens


@transaction.atomic
def create_token(actor, organisation, name: str) -> tuple[ScanToken, str]:
    """A new token and its secret, which is shown this once and never stored."""
    check(actor, may_edit_body, organisation.pk)
    name = name.strip()
    if not name:
        raise ValidationError({'name': _('Name the token after what will use it, e.g. "Custody network agent".')})
    secret = new_secret(TOKEN_PREFIX)
    token = ScanToken(
        organisation=organisation, name=name[:100], prefix=secret[:12], digest=digest(secret), created_by=actor
    )
    save_audited(actor, token, f'Created scan token "{token.name}"')
    return token, secret


@transaction.atomic
def revoke_token(actor, token: ScanToken) -> ScanToken:
    check(actor, may_edit_body, token.organisation_id)
    token = ScanToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked is not None:
        raise ValidationError(_('The token "%(name)s" was already revoked.') % {'name': token.name})
    token.revoked, token.revoked_by = timezone.now(), actor
    return save_audited(actor, token, f'Revoked scan token "{token.name}"')


def token_for(secret: str) -> ScanToken | None:
    """The active token with this secret, or None. Its last use is noted (not audited: it is not a change)."""
    key = lookup_digest(secret, TOKEN_PREFIX)
    if key is None:
        return None
    token = ScanToken.objects.active().select_related('organisation').filter(digest=key).first()
    if token is not None:
        ScanToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token


# Scans


@transaction.atomic
def record_scan(
    actor, organisation, content: bytes, *, source: str, filename: str = '', token: ScanToken | None = None
) -> Scan:
    """Store an upload (JSON lines from `oversight discover`, or nmap XML), identify and reconcile it.

    All or nothing: a file with any unreadable line is refused whole, naming every line at fault.
    """
    meta, results, scope = _checked_upload(actor, organisation, content, filename, token)
    identify = DeviceIdentifier()
    times = sorted(parse_moment(r.scanned_at, 'scanned_at') for r in results if r.scanned_at)
    scan = Scan.objects.create(
        organisation=organisation,
        source=source,
        tool=meta.tool[:200],
        filename=filename[:255],
        token=token,
        uploaded_by=actor if getattr(actor, 'pk', None) else None,
        started=parse_moment(meta.started, 'scan.started') or (times[0] if times else None),
        finished=parse_moment(meta.finished, 'scan.finished') or (times[-1] if times else None),
        scope=scope,
    )
    devices = []
    for result in results:
        if result.state != 'up':
            continue
        found = identify(result.observed)
        observed = result.observed
        devices.append(
            DiscoveredDevice(
                scan=scan,
                address=result.address,
                mac_address=observed.get('mac', ''),
                manufacturer=observed.get('manufacturer', '')[:200],
                model=observed.get('model', '')[:200],
                firmware=observed.get('firmware', '')[:200],
                serial_number=observed.get('serial_number', '')[:200],
                observed=observed,
                sources=result.sources,
                probes=result.probes,
                services=result.services,
                errors=result.errors,
                notes=result.notes,
                maker=found['maker'] or '',
                brand=found['brand'] or '',
                confidence=found['confidence'],
                concern=found['concern'],
                designations=found['designations'],
                evidence=found['evidence'] + ([f'Could not identify: {found["error"]}'] if found.get('error') else []),
            )
        )
    # COPY on PostgreSQL (core.bulk): bulk_create sends the rows as arrays whose every element psycopg
    # quotes in Python, about half of a 20,000-device task. Reconciliation reads the devices back.
    copy(DiscoveredDevice, devices)
    scan.counts = {
        'hosts': len(results),
        'up': len(devices),
        'errors': sum(1 for d in devices if d.errors),
        'concern': sum(1 for d in devices if d.concern),
    }
    _reconcile(scan)
    what = filename or ('the discovery agent' if token else 'an upload')
    record_change(actor, scan, ObjectChange.Action.CREATE, None, _scan_state(scan), f'Uploaded from {what}')
    return scan


def _checked_upload(actor, organisation, content: bytes, filename: str, token: ScanToken | None):
    _check_uploader(actor, organisation, filename, token)
    meta, results = _read_upload(content)
    _check_meta(meta, organisation)
    scope = meta.scope or _scope(r.address for r in results)
    _check_scope(scope)
    return meta, results, scope


def _check_uploader(actor, organisation, filename: str, token: ScanToken | None) -> None:
    if token is None:
        check(actor, may_edit_body, organisation.pk)
    elif token.organisation_id != organisation.pk or token.revoked is not None:
        raise PermissionDenied
    if hidden := hidden_character(filename):
        raise ValidationError(
            {'file': _('The file name: %(hidden)s') % {'hidden': hidden}}
        )  # it is shown in the list of scans


def _check_meta(meta, organisation) -> None:
    if meta.organisation and meta.organisation != organisation.slug:
        # A scan made for another body: the token (or the person) may not write to it, and this body
        # must not receive it either.
        raise PermissionDenied(f'This scan says it is for "{meta.organisation}", not {organisation}.')


def check_upload(actor, organisation, content: bytes, *, filename: str = '', token: ScanToken | None = None) -> None:
    """Refuse now what can be told at once: who uploads for which body, and the first line (the scan line the
    agent sends first: another body's scan, a scope too wide, a line that is not JSON).

    Every other line is read by the worker's `record_scan`, whose task fails naming each bad line: reading
    20,000 lines took seconds, too long for the request (issue 13), and nmap XML is read there whole.
    """
    _check_uploader(actor, organisation, filename, token)
    if content.lstrip(b'\xef\xbb\xbf \t\r\n').startswith(b'<'):
        return
    text = content.removeprefix(b'\xef\xbb\xbf')
    first = len(text) - len(text.lstrip())  # blank lines before the first are kept, so its number is right
    end = text.find(b'\n', first)
    meta, _hosts, problems = read_lines(_decoded(text[: len(text) if end < 0 else end]), max_hosts=MAX_HOSTS)
    if end >= 0 and not text[end:].isspace():  # more lines follow: the hosts are the worker's to find
        problems = [problem for problem in problems if problem != NO_HOSTS]
    if problems:
        raise ValidationError({'file': problems})
    _check_meta(meta, organisation)
    _check_scope(meta.scope)  # without one, the scope is made from the hosts' addresses, by the worker


@transaction.atomic
def reconcile_scan(actor, scan: Scan) -> Scan:
    """Compare the scan with the register as it is now (after the register changed)."""
    check(actor, may_edit_body, scan.organisation_id)
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    before = _scan_state(scan)
    _reconcile(scan)
    record_change(actor, scan, ObjectChange.Action.UPDATE, before, _scan_state(scan), 'Compared with the register')
    return scan


@transaction.atomic
def accept_device(actor, device: DiscoveredDevice, **fields) -> EquipmentLine:
    """Add a discovered device to the body's register as a new line, and record that it is that line.

    `fields` are the equipment line's (site, system, manufacturer_declared, model...). The line is
    created by the register's own action (validation, identification, audit).
    """
    device = DiscoveredDevice.objects.select_for_update().select_related('scan__organisation').get(pk=device.pk)
    scan = device.scan
    check(actor, may_edit_body, scan.organisation_id)
    if device.line_id is not None:
        raise ValidationError(
            _('The device at %(address)s already matches a line of the register.') % {'address': device.address}
        )
    message = f'Accepted from network scan {scan.pk}: the device at {device.address}'
    line = register_actions.create_line(actor, scan.organisation, message=message, **fields)
    before = snapshot(device)
    device.line, device.match, device.match_confidence = line, DiscoveredDevice.Match.ACCEPTED, 1.0
    device.mismatches = mismatches(device, line)
    device.save(update_fields=['line', 'match', 'match_confidence', 'mismatches'])
    record_change(actor, device, ObjectChange.Action.UPDATE, before, snapshot(device), message)
    _count(scan)
    scan.save(update_fields=['counts'])
    scan_reconciled.send(sender=Scan, scan=scan)
    return line


def suggested_line(device: DiscoveredDevice) -> dict:
    """What the accept form starts from: the device's own identity, as a register line would declare it, at
    the site the scan covered when it covered one. How it is connected is the editor's to say: answering a
    scan does not tell an isolated network from the core one."""
    scan = device.scan
    lines = EquipmentLine.objects.filter(organisation_id=scan.organisation_id)
    matched = lines.filter(pk__in=scan.devices.exclude(match=DiscoveredDevice.Match.MODEL).values('line'))
    sites = covered_sites(lines.exclude(ip_address=None).only('site_id', 'ip_address'), scan.scope, matched)
    return {
        'site': next(iter(sites)) if len(sites) == 1 else None,
        'manufacturer_declared': device.manufacturer or device.brand or device.maker,
        'model': device.model,
        'firmware': device.firmware,
        'serial_number': device.serial_number,
        'mac_address': device.mac_address,
        'ip_address': device.address,
        'quantity': 1,
    }


def _reconcile(scan: Scan) -> None:
    # Without what the devices showed and how they were identified, which reconciliation does not read:
    # decoding that JSON was most of reading back 20,000 devices.
    devices = list(scan.devices.select_related('line').defer(*SHOWN))
    lines = list(
        EquipmentLine.objects.filter(organisation_id=scan.organisation_id).select_related(
            'system', 'manufacturer', 'made_by'
        )
    )
    accepted = {d: d.line for d in devices if d.match == DiscoveredDevice.Match.ACCEPTED and d.line_id}
    outcome = reconcile(devices, lines, scan.scope, accepted)
    changed = []
    for device in devices:
        line, rule, confidence = outcome.matches.get(device, (None, '', None))
        mismatches = outcome.mismatches.get(device, [])
        if (device.line, device.match, device.match_confidence, device.mismatches) != (
            line,
            rule,
            confidence,
            mismatches,
        ):
            device.line, device.match, device.match_confidence, device.mismatches = line, rule, confidence, mismatches
            changed.append(device)
    # Only the devices whose match changed are written: bulk_update builds a CASE per row and field, which
    # for a first upload of 20,000 mostly undeclared devices cost a minute and changed nothing.
    DiscoveredDevice.objects.bulk_update(changed, ['line', 'match', 'match_confidence', 'mismatches'], batch_size=500)
    scan.unseen.all().delete()
    UnseenLine.objects.bulk_create(
        UnseenLine(scan=scan, line=line, expected=expected, seen=seen, reason=reason)
        for line, expected, seen, reason in outcome.unseen
    )
    scan.reconciled = timezone.now()
    _count(scan)
    scan.save(update_fields=['counts', 'reconciled'])
    scan_reconciled.send(sender=Scan, scan=scan)


def _count(scan: Scan) -> None:
    devices = scan.devices.all()
    unseen = list(scan.unseen.values_list('expected', 'seen'))
    scan.counts = {
        **scan.counts,
        'matched': devices.filter(line__isnull=False).count(),
        'undeclared': devices.undeclared().count(),
        'mismatched': devices.mismatched().count(),
        'unseen': len(unseen),
        'unseen_devices': sum(expected - seen for expected, seen in unseen),
    }


def _read_upload(content: bytes):
    text = content.lstrip(b'\xef\xbb\xbf \t\r\n')
    if text.startswith(b'<'):
        try:
            meta, results = read_nmap(content)
        except NmapError as exc:
            raise ValidationError({'file': str(exc)}) from exc
        if not results:
            raise ValidationError({'file': _('The nmap file lists no hosts.')})
        if len(results) > MAX_HOSTS:
            raise ValidationError(
                {'file': _('The nmap file lists more than %(most)s hosts.') % {'most': f'{MAX_HOSTS:,}'}}
            )
        return meta, results
    meta, results, problems = read_lines(_decoded(content), max_hosts=MAX_HOSTS)
    if problems:
        raise ValidationError({'file': problems})
    return meta, results


def _decoded(content: bytes) -> str:
    try:
        return content.decode('utf-8-sig')
    except UnicodeDecodeError as exc:
        raise ValidationError({'file': _('The file is neither UTF-8 JSON lines nor nmap XML.')}) from exc


def _check_scope(scope: list[str]) -> None:
    """A scan's scope marks every register line in it that the scan did not see as unseen, so it may claim no
    more than a scan can cover: the largest private network, 10.0.0.0/8 ("0.0.0.0/0" would claim them all)."""
    covered = sum(ipaddress.ip_network(network).num_addresses for network in scope)
    if covered > MAX_SCOPE_ADDRESSES:
        widest = max(scope, key=lambda network: ipaddress.ip_network(network).num_addresses)
        raise ValidationError(
            {
                'file': _(
                    '"scan.scope" covers %(covered)s addresses (it includes %(widest)s); a scan may claim at most '
                    '%(most)s, as every register line in its scope that it did not see is marked unseen. '
                    'Give the networks that were scanned.'
                )
                % {'covered': f'{covered:,}', 'widest': widest, 'most': f'{MAX_SCOPE_ADDRESSES:,}'}
            }
        )


def _scope(addresses) -> list[str]:
    by_version: dict[int, list] = {}
    for address in addresses:
        ip = ipaddress.ip_address(address)
        by_version.setdefault(ip.version, []).append(ipaddress.ip_network(ip))
    return [str(n) for version in sorted(by_version) for n in ipaddress.collapse_addresses(by_version[version])]


def _scan_state(scan: Scan) -> dict:
    return {'source': scan.source, 'filename': scan.filename, 'tool': scan.tool, 'counts': scan.counts}


@transaction.atomic
def remove_old_scans(before, *, dry_run: bool = False) -> list[Scan]:
    """Retention (`oversight clean-up`): scans uploaded before `before`, with their devices, except each
    body's newest, which stays as what is known of its network. Each removal has its audit row. Returns
    the scans removed (or, with dry_run, those that would be)."""
    newest = Scan.objects.values('organisation').annotate(newest=Max('pk')).values('newest')
    old = list(Scan.objects.filter(uploaded__lt=before).exclude(pk__in=newest).order_by('pk'))
    if dry_run:
        return old
    for scan in old:
        record_change(None, scan, ObjectChange.Action.DELETE, _scan_state(scan), None, 'Removed after its retention')
    Scan.objects.filter(pk__in=[s.pk for s in old]).delete()
    return old
