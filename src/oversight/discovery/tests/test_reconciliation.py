"""Done when (issue 6): a scan of the emulated fleet, reconciled against a demo body's register."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.models import ObjectChange
from oversight.discovery import actions
from oversight.discovery.demo import DEMO_SITE, declare_network
from oversight.discovery.fleet.catalogue import address_in
from oversight.discovery.models import DiscoveredDevice, Scan
from oversight.register.models import EquipmentLine, Site, System


@pytest.fixture
def reconciled(body_a, fleet, fleet_scan):
    declare_network(body_a, fleet.network)
    return actions.record_scan(None, body_a, fleet_scan.encode(), source=Scan.Source.DEMO)


def device(scan, number, network):
    return scan.devices.get(address=address_in(network, number))


def test_the_fleet_reconciles_against_the_register(reconciled, fleet):
    scan, net = reconciled, fleet.network
    # Declared devices are found by MAC, serial, address and model, in that order of strength.
    assert {n: device(scan, n, net).match for n in (10, 11, 12, 13, 14, 15, 16)} == {
        10: 'mac',
        11: 'serial',
        12: 'ip',
        13: 'model',
        14: 'serial',
        15: 'ip',
        16: 'ip',
    }
    # Undeclared: on the network, not in the register.
    undeclared = {d.address for d in scan.devices.undeclared()}
    assert {address_in(net, n) for n in (20, 21, 22, 23, 24)} <= undeclared
    assert device(scan, 20, net).maker == 'Hikvision'
    assert device(scan, 23, net).maker == 'Dahua'  # an Amcrest: a Dahua-made relabel
    # Unseen: two addressed lines with nothing there, and one of the two LTS cameras.
    unseen = {(u.line.ip_address, u.expected, u.seen) for u in scan.unseen.select_related('line')}
    assert (address_in(net, 40), 1, 0) in unseen and (address_in(net, 41), 1, 0) in unseen
    assert (None, 2, 1) in unseen
    assert scan.counts['unseen'] == 3 and scan.counts['unseen_devices'] == 3


def test_relabels_come_out_as_mismatches_with_the_evidence(reconciled, fleet):
    honeywell = device(reconciled, 12, fleet.network)
    maker = next(m for m in honeywell.mismatches if m['kind'] == 'maker')
    assert maker['declared'] == 'Honeywell' and maker['identified'] == 'Dahua'
    assert maker['known_relabel'] is True  # the reference data already records Honeywell as a Dahua relabel
    assert any('2.420.Honeywell' in line for line in honeywell.evidence)
    lts = next(m for m in device(reconciled, 13, fleet.network).mismatches if m['kind'] == 'maker')
    assert (lts['declared'], lts['identified']) == ('LTS', 'Hikvision')
    # A line declared as a Bosch camera is a Dahua one: maker and model both contradict the register.
    fake = device(reconciled, 16, fleet.network).mismatches
    assert {m['kind'] for m in fake} >= {'maker', 'model'}
    assert next(m for m in fake if m['kind'] == 'maker')['known_relabel'] is False
    # Devices that are what the register says are not mismatches.
    assert device(reconciled, 10, fleet.network).mismatches == []
    assert device(reconciled, 15, fleet.network).mismatches == []


def test_an_accepted_device_lands_in_the_register_with_its_history(reconciled, fleet, editor_a, body_a):
    undeclared = device(reconciled, 21, fleet.network)  # a Dahua camera nobody declared
    site = Site.objects.get(organisation=body_a, name=DEMO_SITE)
    system = System.objects.get(organisation=body_a, name='Internal CCTV')
    fields = {**actions.suggested_line(undeclared), 'site': site, 'system': system}
    line = actions.accept_device(editor_a, undeclared, **fields)

    assert line.organisation == body_a and line.mac_address == undeclared.mac_address
    assert line.made_by.name == 'Dahua' and line.concern is True
    created = ObjectChange.objects.for_object(line).get()
    assert created.action == ObjectChange.Action.CREATE and created.user == editor_a
    assert f'network scan {reconciled.pk}' in created.message
    undeclared.refresh_from_db()
    assert undeclared.line == line and undeclared.match == DiscoveredDevice.Match.ACCEPTED
    assert ObjectChange.objects.for_object(undeclared).filter(user=editor_a).exists()
    reconciled.refresh_from_db()
    assert reconciled.counts['undeclared'] == 5 - 1 + _broken_hosts(reconciled)

    # Compared again, the accepted device stays matched to its line.
    actions.reconcile_scan(editor_a, reconciled)
    undeclared.refresh_from_db()
    assert undeclared.line == line


def test_accepting_twice_or_as_a_viewer_is_refused(reconciled, fleet, viewer_a, editor_a):
    matched = device(reconciled, 10, fleet.network)
    with pytest.raises(ValidationError, match='already matches'):
        actions.accept_device(editor_a, matched)
    with pytest.raises(PermissionDenied):
        actions.accept_device(viewer_a, device(reconciled, 22, fleet.network))
    assert EquipmentLine.objects.filter(ip_address=address_in(fleet.network, 22)).count() == 0


def _broken_hosts(scan) -> int:
    """The misbehaving devices answer something, so they are on the network and undeclared too."""
    return scan.devices.filter(maker='').undeclared().count()
