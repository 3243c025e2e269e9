"""The discovery demo: Kent Police's camera network in its register, a scan of it, and the fleet beside the demo."""

import io

import pytest
from django.core.management import CommandError, call_command

from oversight.discovery import demo
from oversight.discovery.fleet import Fleet, demo_fleet
from oversight.discovery.models import Scan
from oversight.register.models import EquipmentLine

from .conftest import free_network


@pytest.fixture
def network(monkeypatch):
    chosen = free_network()
    monkeypatch.setattr(demo, 'DEMO_NETWORK', chosen)
    return chosen


def test_the_demo_declares_the_network_scans_it_and_runs_once(body_a, network):
    messages = []
    demo.load(messages.append)
    scan = Scan.objects.get(organisation=body_a, source=Scan.Source.DEMO)
    assert scan.scope == [network]
    assert scan.counts['undeclared'] >= 5 and scan.counts['mismatched'] >= 3 and scan.counts['unseen'] == 3
    assert any('Demo scan:' in m for m in messages)
    lines = EquipmentLine.objects.filter(site__name=demo.DEMO_SITE).count()

    demo.load(messages.append)
    assert Scan.objects.filter(source=Scan.Source.DEMO).count() == 1
    assert EquipmentLine.objects.filter(site__name=demo.DEMO_SITE).count() == lines
    assert 'already has its demo camera network' in messages[-1]


def test_the_fleet_starts_beside_the_demo_and_stops(network):
    messages = []
    stop = demo.start_fleet(messages.append)
    try:
        assert any(f'oversight discover {network}' in m for m in messages)
    finally:
        stop()
    # Stopped: the addresses are free again.
    stop_again = demo.start_fleet(messages.append)
    stop_again()


def test_a_fleet_that_cannot_start_leaves_the_demo_serving(network, monkeypatch):
    def refuse(self, timeout=60):
        raise OSError(98, 'Address already in use')

    monkeypatch.setattr(demo.Fleet, 'start', refuse)
    messages = []
    assert demo.start_fleet(messages.append) is None
    assert 'could not start' in messages[0]


def test_the_fleet_runs_on_loopback_only():
    with pytest.raises(ValueError, match='not a loopback address'):
        Fleet(demo_fleet('10.20.0.0/24'))


def test_the_fleet_command_serves_until_its_time_is_up(network):
    out = io.StringIO()
    call_command('fleet', '--network', network, '--size', '3', '--seconds', '0.2', stdout=out)
    text = out.getvalue()
    assert 'Emulated fleet ready: 3 devices' in text and f'oversight discover {network} --ports' in text
    assert text.rstrip().endswith('Emulated fleet stopped.')
    with pytest.raises(CommandError, match='not a loopback network'):
        call_command('fleet', '--network', '10.20.0.0/24', '--seconds', '0.1')
