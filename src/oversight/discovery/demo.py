"""Demo data: Kent Police's camera network as its register declares it, a scan of the emulated fleet
against it, and the fleet itself for `oversight demo --fleet`.

The register lines go through the register's actions (identified and audited). The demo scan is a
real scan of the emulated devices on loopback, uploaded as the agent would upload it, so the
Discovery pages show undeclared devices, unseen lines and relabel mismatches from the start.
"""

from oversight.organisations.models import Organisation
from oversight.register import actions as register_actions
from oversight.register.models import Category, EquipmentLine, Site, System

from . import actions
from .fleet import DEMO_NETWORK, FLEET_PASSWORD, FLEET_USERNAME, Fleet, demo_fleet
from .fleet.catalogue import DEMO_DEVICES, DEMO_UNSEEN, KINDS, Device, address_in
from .models import Scan
from .results import ScanMeta
from .scanner.engine import ScanOptions, run
from .scanner.onvif import Credentials
from .scanner.ports import parse_ports

DEMO_BODY = 'kent-police'
DEMO_SITE = 'Camera network, Maidstone (emulated)'
DEMO_SYSTEM = ('Internal CCTV', Category.INTERNAL_CCTV)
MESSAGE = 'Demo camera network'


def load(log) -> None:
    organisation = Organisation.objects.filter(slug=DEMO_BODY).first()
    if organisation is None:
        log(f'{DEMO_BODY} is not among the organisations: no demo network.')
        return
    if Site.objects.filter(organisation=organisation, name=DEMO_SITE).exists():
        log(f'{organisation} already has its demo camera network; left as it is.')
        return
    lines = declare_network(organisation, DEMO_NETWORK)
    log(f'{organisation}: {len(lines)} register lines on the emulated network {DEMO_NETWORK}.')
    try:
        found = demo_scan(organisation, DEMO_NETWORK)
    except OSError as exc:
        log(f'The emulated fleet could not start here ({exc.strerror or exc}): no demo scan.')
        return
    counts = found.counts
    log(
        f'Demo scan: {counts["up"]} devices, {counts["undeclared"]} undeclared, '
        f'{counts["mismatched"]} mismatched, {counts["unseen"]} register lines unseen.'
    )


def start_fleet(log):
    """Start the emulated fleet beside the demo server; returns the function that stops it."""
    fleet = Fleet(demo_fleet(DEMO_NETWORK))
    try:
        fleet.start()
    except OSError as exc:
        log(f'The emulated fleet could not start ({exc.strerror or exc}); serving the demo without it.')
        return None
    log(f'Emulated fleet: {len(fleet.devices)} devices on {DEMO_NETWORK}. Scan it with:')
    log(f'  oversight discover {DEMO_NETWORK} --ports {fleet.ports.scan_option()} --output scan.jsonl')
    log('and upload scan.jsonl on the Discovery page as kent.editor.')
    return fleet.stop


def declare_network(organisation, network: str) -> list[EquipmentLine]:
    """Kent's register lines for the emulated network: declared devices (by MAC, serial, address or
    model) and lines with no device behind them."""
    site = register_actions.create_site(
        None,
        organisation,
        name=DEMO_SITE,
        address=f'Emulated network {network} (oversight fleet)',
        kind=Site.Kind.OTHER,
        sensitive=True,
        message=MESSAGE,
    )
    name, category = DEMO_SYSTEM
    system = System.objects.filter(organisation=organisation, name=name).first() or register_actions.create_system(
        None, organisation, name=name, category=category, message=MESSAGE
    )
    lines = []
    for entry in DEMO_DEVICES:
        if entry.declared is None:
            continue
        device = Device(address_in(network, entry.number), KINDS[entry.kind], entry.number)
        declared = dict(entry.declared)
        match = declared.pop('match')
        # Each line carries only what it is to be matched by: its MAC, serial or address, or nothing (model).
        identifies = {
            'mac': {'mac_address': device.mac},
            'serial': {'serial_number': device.serial},
            'ip': {'ip_address': device.address},
            'model': {'notes': 'Counted by model: the units carry no label.'},
        }[match]
        fields = {
            'model': device.kind.model,
            'firmware': device.kind.firmware.split(',', 1)[0],
            'quantity': 1,
            'network': EquipmentLine.Network.CORE,
            **identifies,
            **declared,
        }
        lines.append(_line(organisation, site, system, fields))
    for entry in DEMO_UNSEEN:
        fields = {'ip_address': address_in(network, entry.number), 'quantity': 1, **entry.fields}
        lines.append(_line(organisation, site, system, {'network': EquipmentLine.Network.CORE, **fields}))
    return lines


def _line(organisation, site, system, fields) -> EquipmentLine:
    return register_actions.create_line(None, organisation, site=site, system=system, message=MESSAGE, **fields)


def demo_scan(organisation, network: str) -> Scan:
    """Scan the emulated fleet (with the demo devices' ONVIF credentials) and upload it for `organisation`."""
    fleet = Fleet(demo_fleet(network)).start()
    try:
        text = scan_fleet(fleet, network)
    finally:
        fleet.stop()
    return actions.record_scan(
        None, organisation, text.encode(), source=Scan.Source.DEMO, filename='Demo scan of the emulated network'
    )


def scan_fleet(fleet: Fleet, network: str, *, probe_timeout: float = 1.0) -> str:
    """A results file's text for a scan of the fleet's network (short time-outs: it is all on loopback)."""
    options = ScanOptions(
        ports=parse_ports(fleet.ports.scan_option()),
        timeout=probe_timeout * 8,
        probe_timeout=probe_timeout,
        credentials=Credentials(FLEET_USERNAME, FLEET_PASSWORD),
        neighbours=None,
    )
    lines = [ScanMeta(scope=[network], tool='oversight discover (demo)').to_json()]
    addresses = sorted({d.address for d in fleet.devices} | {address_in(network, e.number) for e in DEMO_UNSEEN})
    run(addresses, options, lambda result: lines.append(result.to_json()))
    return '\n'.join(lines) + '\n'
