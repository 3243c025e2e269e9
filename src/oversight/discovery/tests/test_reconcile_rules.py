"""The matching rules on their own: order of strength, capacity, and where a model alone may match."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from oversight.discovery.reconcile import reconcile

CCTV = SimpleNamespace(category='internal_cctv')


@dataclass(eq=False)
class Device:
    address: str
    mac_address: str = ''
    serial_number: str = ''
    model: str = ''
    firmware: str = ''
    maker: str = ''
    confidence: float = 0.0
    concern: bool | None = None


@dataclass(eq=False)
class Line:
    pk: int
    site_id: int = 1
    quantity: int = 1
    ip_address: str | None = None
    mac_address: str = ''
    serial_number: str = ''
    model: str = ''
    firmware: str = ''
    manufacturer_declared: str = 'Hikvision'
    manufacturer_id: int | None = None
    made_by_id: int | None = None
    network: str = 'core'
    system: SimpleNamespace = field(default_factory=lambda: CCTV)


def test_the_strongest_evidence_wins():
    device = Device('10.0.0.5', mac_address='44:19:B6:00:00:01', serial_number='ABC12345')
    by_address = Line(1, ip_address='10.0.0.5')
    by_serial = Line(2, serial_number='abc-12345')
    by_mac = Line(3, mac_address='44:19:B6:00:00:01')
    outcome = reconcile([device], [by_address, by_serial, by_mac], ['10.0.0.0/24'])
    assert outcome.matches[device] == (by_mac, 'mac', 1.0)
    # The address's line is then unseen: its address was scanned and another device took the match.
    assert [(line.pk, reason) for line, _, _, reason in outcome.unseen] == [
        (1, 'its address 10.0.0.5 was scanned'),
        (2, 'other devices at its site were seen'),
    ]


def test_a_line_takes_at_most_its_quantity():
    anchor = Device('10.0.0.1', mac_address='44:19:B6:00:00:01')
    cameras = [Device(f'10.0.0.{n}', model='DS-2CD2143G2-I') for n in (2, 3, 4)]
    lines = [Line(1, mac_address='44:19:B6:00:00:01'), Line(2, model='ds-2cd2143g2-i', quantity=2)]
    outcome = reconcile([anchor, *cameras], lines, ['10.0.0.0/24'])
    matched = [d.address for d in cameras if d in outcome.matches]
    assert matched == ['10.0.0.2', '10.0.0.3'] and cameras[2] not in outcome.matches
    assert outcome.unseen == []


def test_a_model_alone_matches_only_at_sites_the_scan_covers():
    camera = Device('10.0.0.9', model='IPC-HFW2431S-S-S2')
    elsewhere = Line(1, site_id=7, model='IPC-HFW2431S-S-S2', quantity=3)
    outcome = reconcile([camera], [elsewhere], ['10.0.0.0/24'])
    assert outcome.matches == {} and outcome.unseen == []  # nothing ties site 7 to this network

    anchor_line = Line(2, site_id=7, ip_address='10.0.0.1')
    anchor = Device('10.0.0.1')
    outcome = reconcile([camera, anchor], [elsewhere, anchor_line], ['10.0.0.0/24'])
    assert outcome.matches[camera][1] == 'model'
    assert [(line.pk, expected, seen) for line, expected, seen, _ in outcome.unseen] == [(1, 3, 1)]


def test_lines_that_are_not_expected_are_not_reported_unseen():
    isolated = Line(1, model='X', network='isolated')
    drones = Line(2, model='Matrice 300 RTK', system=SimpleNamespace(category='drone'))
    outside = Line(3, ip_address='10.9.9.9')
    anchor = Line(4, ip_address='10.0.0.1')
    outcome = reconcile([Device('10.0.0.1')], [isolated, drones, outside, anchor], ['10.0.0.0/24'])
    assert outcome.unseen == []


def test_an_accepted_device_keeps_its_line():
    device = Device('10.0.0.5')
    line = Line(1, ip_address='10.0.0.99')
    outcome = reconcile([device], [line], ['10.0.0.0/24'], accepted={device: line})
    assert outcome.matches[device] == (line, 'accepted', 1.0) and outcome.unseen == []


def test_firmware_written_differently_is_the_same_firmware():
    """`V5.5.52 build 190114` beside `V5.5.52build 190114` was once reported as a mismatch."""
    for declared, shown in (
        ('V5.5.52 build 190114', 'V5.5.52build 190114'),
        ('v5.5.52 Build 190114', 'V5.5.52  build  190114'),
        ('5.5.52 build 190114', 'V5.5.52build190114'),
    ):
        device = Device('10.0.0.5', mac_address='44:19:B6:00:00:01', firmware=shown)
        line = Line(1, mac_address='44:19:B6:00:00:01', firmware=declared)
        outcome = reconcile([device], [line], ['10.0.0.0/24'])
        assert outcome.matches[device][0] is line and device not in outcome.mismatches, (declared, shown)
    device = Device('10.0.0.5', mac_address='44:19:B6:00:00:01', firmware='V5.5.53 build 190114')
    line = Line(1, mac_address='44:19:B6:00:00:01', firmware='V5.5.52 build 190114')
    outcome = reconcile([device], [line], ['10.0.0.0/24'])
    assert [m['kind'] for m in outcome.mismatches[device]] == ['firmware']
