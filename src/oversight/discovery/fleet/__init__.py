"""The emulated device fleet: cameras and recorders on loopback addresses, for tests, the demo and benchmarks."""

from .catalogue import DEMO_NETWORK, FLEET_PASSWORD, FLEET_USERNAME, KINDS, Device, benchmark_fleet, demo_fleet
from .servers import Fleet, FleetPorts, default_ports

__all__ = [
    'DEMO_NETWORK',
    'FLEET_PASSWORD',
    'FLEET_USERNAME',
    'KINDS',
    'Device',
    'Fleet',
    'FleetPorts',
    'benchmark_fleet',
    'default_ports',
    'demo_fleet',
]
