"""Reconciliation: which register line each discovered device is, what the register says that is not
there, and where the device contradicts what was declared. docs/discovery.md states the rules.

Devices are matched to lines in rounds, strongest evidence first: MAC address, serial number, IP
address, then model. A line takes at most `quantity` devices. A model alone is weak evidence, so it
only matches lines at sites the scan is known to cover: sites of lines matched by a stronger rule,
or with an address inside the scanned networks. Nothing here touches the database.
"""

import ipaddress
import re
from dataclasses import dataclass, field

# (rule, confidence that the device is the line), strongest first.
RULES = (('mac', 1.0), ('serial', 0.95), ('ip', 0.7), ('model', 0.4))
CONFIDENCE = dict(RULES) | {'accepted': 1.0}
# A maker identified with less confidence than this is not held against the register.
MISMATCH_CONFIDENCE = 0.5
# Categories whose equipment sits on camera networks; others (drones, body-worn video) are never expected.
NETWORKED_CATEGORIES = {'external_cctv', 'internal_cctv', 'anpr', 'other'}
_SPACE = re.compile(r'[\s_-]+')


@dataclass
class Outcome:
    matches: dict = field(default_factory=dict)  # device -> (line, rule, confidence)
    mismatches: dict = field(default_factory=dict)  # device -> [mismatch, ...]
    unseen: list = field(default_factory=list)  # (line, expected, seen, reason)


def reconcile(devices, lines, scope: list[str], accepted: dict | None = None) -> Outcome:
    """Match `devices` (DiscoveredDevice) to `lines` (EquipmentLine of the same body).

    `accepted` maps devices to the line they were accepted as; those matches stand.
    """
    networks = [ipaddress.ip_network(n) for n in scope]
    outcome = Outcome()
    room = {line.pk: line.quantity for line in lines}
    by_pk = {line.pk: line for line in lines}
    for device, line in (accepted or {}).items():
        if line.pk in room:
            _take(outcome, room, device, by_pk[line.pk], 'accepted')
    waiting = sorted((d for d in devices if d not in outcome.matches), key=lambda d: _address_key(d.address))

    sites = {line.site_id for line in lines if line.ip_address and _in_scope(line.ip_address, networks)}
    for rule, _ in RULES:
        if rule == 'model':
            sites |= {line.site_id for line, found_rule, _ in outcome.matches.values() if found_rule != 'model'}
        index: dict[str, list] = {}
        for line in lines:
            key = _line_key(line, rule)
            if key and (rule != 'model' or line.site_id in sites):
                index.setdefault(key, []).append(line)
        still = []
        for device in waiting:
            key = _device_key(device, rule)
            candidates = [line for line in index.get(key, ()) if room[line.pk] > 0] if key else []
            if candidates:
                _take(outcome, room, device, min(candidates, key=lambda line: line.pk), rule)
            else:
                still.append(device)
        waiting = still

    for device, (line, _, _) in outcome.matches.items():
        found = mismatches(device, line)
        if found:
            outcome.mismatches[device] = found
    outcome.unseen = _unseen(lines, room, networks, sites)
    return outcome


def mismatches(device, line) -> list[dict]:
    """Where what the device shows contradicts what the line declares: maker first, then model and firmware."""
    found = []
    maker = device.maker
    declared_maker = line.manufacturer.name if line.manufacturer_id else ''
    if maker and device.confidence >= MISMATCH_CONFIDENCE and maker.casefold() != declared_maker.casefold():
        made_by = line.made_by.name if line.made_by_id else ''
        known = made_by.casefold() == maker.casefold()
        declared = line.manufacturer_declared
        if known:
            message = (
                f'Declared as {declared}; the device shows it was made by {maker}, '
                f'as the register already records ({declared} is sold under its own name, made by {maker}).'
            )
        elif declared_maker:
            register = f'the register counts it as made by {made_by}' if made_by else 'the register does not know'
            message = f'Declared as {declared}; the device shows it was made by {maker} ({register}).'
        else:
            message = f'Declared as {declared}, a name the reference data does not know; the device shows {maker}.'
        found.append(
            {
                'kind': 'maker',
                'declared': declared,
                'identified': maker,
                'register_made_by': made_by,
                'known_relabel': known,
                'concern': device.concern,
                'confidence': device.confidence,
                'message': message,
            }
        )
    if line.model and device.model and _normal(line.model) != _normal(device.model):
        found.append(
            {
                'kind': 'model',
                'declared': line.model,
                'identified': device.model,
                'message': f'Declared model {line.model}; the device reports {device.model}.',
            }
        )
    if line.firmware and device.firmware and not _same_firmware(line.firmware, device.firmware):
        found.append(
            {
                'kind': 'firmware',
                'declared': line.firmware,
                'identified': device.firmware,
                'message': f'Declared firmware {line.firmware}; the device runs {device.firmware}.',
            }
        )
    return found


def _take(outcome: Outcome, room: dict, device, line, rule: str) -> None:
    room[line.pk] -= 1
    outcome.matches[device] = (line, rule, CONFIDENCE[rule])


def _unseen(lines, room: dict, networks, sites: set) -> list:
    unseen = []
    for line in lines:
        left = room[line.pk]
        if left <= 0:
            continue
        seen = line.quantity - left
        if line.ip_address and _in_scope(line.ip_address, networks):
            reason = f'its address {line.ip_address} was scanned'
        elif (
            not line.ip_address
            and line.site_id in sites
            and line.system.category in NETWORKED_CATEGORIES
            and line.network != 'isolated'
        ):
            reason = 'other devices at its site were seen'
        else:
            continue
        unseen.append((line, line.quantity, seen, reason))
    return unseen


def _line_key(line, rule: str) -> str:
    if rule == 'mac':
        return line.mac_address
    if rule == 'serial':
        return _serial(line.serial_number)
    if rule == 'ip':
        return _address(line.ip_address)
    # Model: only for lines that name no single device of their own.
    if line.mac_address or line.serial_number or line.ip_address:
        return ''
    return _normal(line.model)


def _device_key(device, rule: str) -> str:
    if rule == 'mac':
        return device.mac_address
    if rule == 'serial':
        return _serial(device.serial_number)
    if rule == 'ip':
        return _address(device.address)
    return _normal(device.model)


def _serial(text: str) -> str:
    # Short values ("1", "N/A") are placeholders, not serials.
    value = _SPACE.sub('', (text or '').casefold())
    return value if len(value) >= 4 and value not in ('none', 'unknown') else ''


def _address(text) -> str:
    if not text:
        return ''
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ''


def _address_key(text: str):
    address = ipaddress.ip_address(text)
    return (address.version, int(address))


def _normal(text: str) -> str:
    return _SPACE.sub('', (text or '').upper())


_LEADING_V = re.compile(r'^v(?=\d)')


def normal_firmware(text: str) -> str:
    """A firmware string as compared: case, spaces ("V5.5.52 build 190114" is "V5.5.52build 190114") and a
    leading "V" before the number are how it was written down, not which firmware it is."""
    return _LEADING_V.sub('', _SPACE.sub('', (text or '').casefold()))


def _same_firmware(declared: str, shown: str) -> bool:
    a, b = normal_firmware(declared), normal_firmware(shown)
    # Devices add build dates ("2.800.0000000.16.R, build: 2021-06-04"): a declared prefix is the same version.
    return a == b or b.startswith(a) or a.startswith(b)


def covered_sites(lines, scope: list[str], matched) -> set:
    """The sites a scan covers: of `lines` at addresses inside `scope`, and of `matched` lines (matched by
    MAC, serial, address or acceptance), as reconciliation counts them."""
    networks = [ipaddress.ip_network(n) for n in scope]
    in_scope = {line.site_id for line in lines if line.ip_address and _in_scope(line.ip_address, networks)}
    return in_scope | {line.site_id for line in matched}


def _in_scope(address, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in networks)
