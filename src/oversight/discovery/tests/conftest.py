"""The emulated fleet, started once per test module on a loopback network of its own.

Each module picks a random 127.x.y.0/24, so modules (and parallel runs) never share addresses;
everything stays on loopback.
"""

import random

import pytest

from oversight.discovery.demo import scan_fleet
from oversight.discovery.fleet import Fleet, demo_fleet


def free_network() -> str:
    """A /24 in 127.100.0.0-127.254.255.0: nothing else on this machine uses those addresses."""
    rng = random.SystemRandom()
    return f'127.{rng.randint(100, 254)}.{rng.randint(0, 255)}.0/24'


def start_fleet(devices_for):
    """Start a fleet on a free network, trying another network if one is taken."""
    for _ in range(5):
        network = free_network()
        fleet = Fleet(devices_for(network))
        try:
            return fleet.start(), network
        except OSError:
            continue
    raise RuntimeError('No free loopback network for the emulated fleet.')


@pytest.fixture(scope='module')
def fleet():
    """The demo network's devices (declared, undeclared, relabelled and misbehaving) on a network of their own."""
    running, network = start_fleet(demo_fleet)
    running.network = network
    yield running
    running.stop()


@pytest.fixture(scope='module')
def fleet_scan(fleet):
    """One scan of the fleet (JSON lines), shared by the module's tests."""
    return scan_fleet(fleet, fleet.network)
