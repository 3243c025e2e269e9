"""`oversight fleet`: run the emulated device fleet on loopback addresses until stopped (docs/discovery.md)."""

import ipaddress
import time

from django.core.management.base import BaseCommand, CommandError

from oversight.discovery.fleet import DEMO_NETWORK, Fleet, FleetPorts, benchmark_fleet, default_ports, demo_fleet

REFUSED = 2


class Command(BaseCommand):
    # A network tool: the web site's checks (URLs, admin) have nothing to say about it.
    requires_system_checks: list = []
    help = (
        'Run emulated cameras and recorders (Hikvision, Dahua and their relabels, Uniview, Axis, Bosch, Hanwha, '
        'and misbehaving devices) on loopback addresses, to try `oversight discover` against.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--network', default=DEMO_NETWORK, help=f'A loopback network (default {DEMO_NETWORK}).')
        parser.add_argument(
            '--size',
            type=int,
            help='Run this many devices of every kind (the benchmark mix) instead of the demo network.',
        )
        parser.add_argument(
            '--high-ports', action='store_true', help='Serve web and RTSP on 10080, 10443 and 10554 (no root needed).'
        )
        parser.add_argument('--seconds', type=float, help='Stop by itself after this many seconds.')

    def handle(self, *args, network, size, high_ports, seconds, **options):
        try:
            net = ipaddress.ip_network(network)
        except ValueError as exc:
            raise CommandError(f'"{network}" is not a network.', returncode=REFUSED) from exc
        if not net.is_loopback:
            raise CommandError(
                f'{network} is not a loopback network: the fleet only runs on 127.0.0.0/8.', returncode=REFUSED
            )
        if size is not None and not 1 <= size <= net.num_addresses - 2:
            raise CommandError(f'--size must be from 1 to {net.num_addresses - 2} for {network}.', returncode=REFUSED)
        devices = benchmark_fleet(network, size) if size else demo_fleet(network)
        fleet = Fleet(devices, FleetPorts.unprivileged() if high_ports else default_ports())
        try:
            fleet.start()
        except OSError as exc:
            raise CommandError(
                f'The fleet cannot bind its addresses: {exc.strerror or exc}.', returncode=REFUSED
            ) from exc
        for device in devices if not size else devices[:20]:
            kind = device.kind
            self.stdout.write(f'  {device.address:<15} {kind.manufacturer:<14} {kind.model:<22} {kind.behaviour}')
        if size and size > 20:
            self.stdout.write(f'  … and {size - 20} more')
        self.stdout.write(
            f'Emulated fleet ready: {len(devices)} devices on {network}. Scan it with:\n'
            f'  oversight discover {network} --ports {fleet.ports.scan_option()}',
        )
        self.stdout.flush()
        try:
            time.sleep(seconds) if seconds else _forever()
        except KeyboardInterrupt:
            pass
        finally:
            fleet.stop()
        self.stdout.write('Emulated fleet stopped.')


def _forever():
    while True:
        time.sleep(3600)
