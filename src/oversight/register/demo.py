"""A realistic demo register for six policing bodies: sites, systems and a few hundred equipment lines.

Kent Police and Essex Police get full registers; four other bodies lighter ones. The equipment mixes
makers of no concern (Axis, Bosch, Hanwha, Motorola Solutions and Avigilon, Axon, Reveal, Parrot...)
with Hikvision, Dahua, DJI and their relabels (Honeywell, LTS, Lorex, EZVIZ, Imou), some carrying
firmware strings in the ODM's format and MAC addresses from the ODM's OUI block
(shared/research/identification.md, sections 1.3 and 2.1). Makers the reference data does not know
(NDI, NEC, Trakka) stay unknown, as they would in a real register.

The rows go through the register's own import (validation, identification, audit), so every line
has its history. Deterministic (one seeded random per body) and idempotent: a body that already has
sites is left as it is. Runs after the vendors reference data and the organisations are loaded.
"""

import datetime
import random
from dataclasses import dataclass, field

from oversight.core.spreadsheets import Sheet
from oversight.organisations.models import Organisation

from .actions import apply_plan
from .imports import EquipmentImporter, SiteImporter
from .models import Category, Site

MESSAGE = 'Demo register'


@dataclass(frozen=True)
class Product:
    manufacturer: str  # as a body might declare it
    brand: str
    model: str
    firmware: str = ''
    oui: str = ''  # the first three octets the device's MAC carries
    capabilities: str = ''  # any of: audio thermal night


# Products by the slot they fill; each slot is one system category. The weights follow no survey:
# they give a mixed estate in which Hikvision and Dahua are common, as the 2022 survey found.
CATALOGUE = {
    'internal': (
        (4, Product('Hikvision', '', 'DS-2CD2143G2-I', 'V5.7.3 build 220112', 'C0:56:E3', 'night')),
        (
            2,
            Product(
                'Hangzhou Hikvision Digital Technology Co., Ltd.',
                '',
                'DS-2CD2543G2-IS',
                'V5.7.1 build 211020',
                '44:19:B6',
                'audio night',
            ),
        ),
        (3, Product('Dahua', '', 'IPC-HDBW2431E-S-S2', '2.800.0000000.8.R', '3C:EF:8C', 'night')),
        (2, Product('Honeywell', '', 'HEN28103', '2.420.Honeywell 00.0.R', '90:02:A9', 'night')),
        (1, Product('LTS', '', 'CMIP8242W-28M', 'V5.5.52 build 190114', 'C4:2F:90', 'night')),
        (4, Product('Axis Communications', '', 'M3106-L Mk II', '10.12.199', 'AC:CC:8E')),
        (3, Product('Bosch', '', 'FLEXIDOME IP 5100i', '7.80.0128')),
        (2, Product('Hanwha Vision', 'Wisenet', 'XND-6080RV', '', '', 'night')),
        (2, Product('Avigilon', '', '5.0C-H5A-DO1-IR', '', '', 'night')),
    ),
    'perimeter': (
        (3, Product('Hikvision', '', 'DS-2CD2T87G2-L', 'V5.7.10 build 221108', 'BC:AD:28', 'night')),
        (2, Product('Dahua Technology', '', 'IPC-HFW2431S-S-S2', '2.800.0000000.8.R', 'E0:50:8B', 'night')),
        (1, Product('Honeywell', 'Performance', 'HBW4PER2', '2.420.Honeywell 00.0.R', '90:02:A9', 'night')),
        (1, Product('Uniview', '', 'IPC2124LB-SF28KM-G', 'IPC_G6103-B0008P10D1711C39', '48:EA:63', 'night')),
        (4, Product('Axis', '', 'P1455-LE', '11.8.64', 'B8:A4:4F', 'night')),
        (3, Product('Bosch', '', 'DINION IP 3000i', '7.86.0066', '', 'night')),
        (2, Product('Hanwha Vision', 'Wisenet', 'XNO-8080R', '', '', 'night')),
    ),
    'public': (
        (3, Product('Hikvision', '', 'DS-2DE4425IW-DE', 'V5.6.15 build 200324', '54:C4:15', 'night')),
        (2, Product('Dahua', '', 'SD49225XA-HNR', '2.800.0000000.16.R', '4C:11:BF', 'night')),
        (3, Product('Axis', '', 'Q6135-LE', '10.12.165', 'AC:CC:8E', 'night')),
        (2, Product('Bosch', '', 'AUTODOME IP 5000i', '7.80.0128', '', 'night')),
        (2, Product('Avigilon', '', '2.0C-H5A-PTZ-DP36', '', '', 'night')),
        (1, Product('Hanwha Vision', 'Wisenet', 'XNP-6400RW', '', '', 'night')),
    ),
    'nvr': (
        (3, Product('Hikvision', '', 'DS-7616NI-K2', 'V4.30.085 build 200916', 'C0:56:E3')),
        (2, Product('Dahua', '', 'NVR5216-16P-4KS2E', '4.001.0000000.3.R', '90:02:A9')),
        (1, Product('NUUO', '', 'NVRmini2 NE-4160', '03.11.0000.0016', '7C:F4:29')),
        (3, Product('Milestone Systems', '', 'XProtect Corporate', '2023 R2')),
        (2, Product('Genetec', '', 'Security Center', '5.11')),
    ),
    'interview': (
        (2, Product('Hikvision', '', 'DS-2CD2525FWD-IS', 'V5.5.82 build 190909', '44:19:B6', 'audio')),
        (3, Product('Axis', '', 'M3086-V', '11.11.73', 'B8:A4:4F', 'audio')),
        (1, Product('Bosch', '', 'FLEXIDOME IP micro 3000i', '7.86.0066', '', 'audio')),
    ),
    'anpr': (
        (3, Product('Genetec', 'AutoVu', 'SharpV', '', '', 'night')),
        (2, Product('Hikvision', '', 'iDS-TCM403-GIR', 'V5.5.80 build 210301', 'C0:56:E3', 'night')),
        (1, Product('Dahua', '', 'ITC237-PW6M-IRLZF', '2.800.0000000.3.R', '90:02:A9', 'night')),
        (2, Product('Axis', '', 'Q1700-LE', '11.11.73', 'B8:A4:4F', 'night')),
        (2, Product('Motorola Solutions', 'Vigilant', 'Reaper HD', '', '', 'night')),
        (2, Product('NDI Recognition Systems', '', 'HDR-C', '', '', 'night')),
    ),
    'bodyworn': (
        (3, Product('Axon', '', 'Body 3', '', '', 'audio')),
        (2, Product('Axon', '', 'Body 4', '', '', 'audio night')),
        (3, Product('Reveal', '', 'D5', '', '', 'audio')),
        (1, Product('Reveal', '', 'K7', '', '', 'audio')),
        (3, Product('Motorola Solutions', '', 'VB400', '', '', 'audio')),
    ),
    'drone': (
        (3, Product('DJI', '', 'Matrice 300 RTK', '', '', 'thermal night')),
        (2, Product('SZ DJI Technology Co., Ltd.', '', 'Matrice 30T', '', '', 'thermal night')),
        (3, Product('DJI', '', 'Mavic 3 Enterprise (M3T)', '', '', 'thermal')),
        (2, Product('DJI', '', 'Mavic 2 Enterprise Advanced', '', '', 'thermal')),
        (1, Product('Parrot', '', 'ANAFI USA', '', '', 'thermal')),
        (1, Product('Skydio', '', 'X10', '', '', 'thermal night')),
    ),
    'helicopter': (
        (2, Product('Teledyne FLIR', '', 'Star SAFIRE 380-HDc', '', '', 'thermal night')),
        (1, Product('Trakka Systems', '', 'TrakkaCam TC-300', '', '', 'thermal night')),
    ),
    'recognition': ((1, Product('NEC', '', 'NeoFace Reveal', '', '', '')),),
}

# slot -> (system name, category, devices per line, network weights isolated/core/unknown, addressed)
SLOTS = {
    'internal': ('Internal CCTV', Category.INTERNAL_CCTV, (2, 24), (6, 3, 1), True),
    'perimeter': ('Perimeter CCTV', Category.EXTERNAL_CCTV, (2, 12), (5, 4, 1), True),
    'public': ('Public space CCTV', Category.EXTERNAL_CCTV, (1, 6), (3, 6, 1), True),
    'nvr': ('Internal CCTV', Category.INTERNAL_CCTV, (1, 3), (5, 5, 0), True),
    'interview': ('Interview recording', Category.OTHER, (2, 8), (8, 1, 1), True),
    'anpr': ('ANPR', Category.ANPR, (1, 8), (1, 9, 0), True),
    'bodyworn': ('Body-worn video', Category.BODY_WORN_VIDEO, (40, 600), (9, 0, 1), False),
    'drone': ('Drones', Category.DRONE, (1, 6), (9, 0, 1), False),
    'helicopter': ('Helicopter cameras', Category.HELICOPTER, (1, 2), (9, 0, 1), False),
    'recognition': ('Retrospective facial recognition', Category.FACIAL_RECOGNITION, (1, 1), (0, 1, 0), False),
}

# Site kind -> (slot, how many lines: lowest, highest) for a full register; light registers take fewer.
LAYOUT = {
    Site.Kind.HEADQUARTERS: (('internal', (3, 4)), ('perimeter', (2, 3)), ('nvr', (1, 1)), ('recognition', (1, 1))),
    Site.Kind.CONTROL_ROOM: (('internal', (2, 3)), ('nvr', (1, 1))),
    Site.Kind.CUSTODY: (('internal', (4, 6)), ('perimeter', (1, 2)), ('interview', (1, 2)), ('nvr', (1, 1))),
    Site.Kind.POLICE_STATION: (('internal', (2, 4)), ('perimeter', (1, 2))),
    Site.Kind.PUBLIC_SPACE: (('public', (4, 6)),),
    Site.Kind.ROADSIDE: (('anpr', (2, 4)),),
    Site.Kind.VEHICLE: (('bodyworn', (2, 3)),),
    Site.Kind.AIR_SUPPORT: (('drone', (3, 4)), ('helicopter', (1, 1))),
}
SENSITIVE_KINDS = {Site.Kind.HEADQUARTERS, Site.Kind.CONTROL_ROOM, Site.Kind.CUSTODY}

NOTES = (
    'Scheduled for replacement in the estates programme.',
    'Replaced under warranty in 2022, same model.',
    'Supplier: regional framework contract; maintenance renewed annually.',
    'Cameras cover the custody corridor, cells and charge desk.',
    'Two units out of service, awaiting parts.',
    'Monitored from the force control room, recorded for 31 days.',
)


@dataclass(frozen=True)
class Body:
    name: str
    county: str
    headquarters: str
    custody: tuple[str, ...]
    stations: tuple[str, ...]
    centres: tuple[str, ...]
    roads: tuple[str, ...]
    full: bool = False
    # Lines every demo of this body has, at the named site: (site, slot, product).
    fixed: tuple[tuple[str, str, Product], ...] = field(default=())


KENT_RELABELS = (
    (
        'Canterbury Custody Suite',
        'internal',
        Product('Honeywell', '', 'HEN28103', '2.420.Honeywell 00.0.R', '90:02:A9', 'night'),
    ),
    (
        'Dartford Police Station',
        'internal',
        Product('LTS', '', 'CMIP8242W-28M', 'V5.5.52 build 190114', 'C4:2F:90', 'night'),
    ),
    ('Margate Police Station', 'perimeter', Product('Lorex', '', 'LNB4173SB', '2.460.LR00.2.R', '90:02:A9', 'night')),
    (
        'Sevenoaks Police Station',
        'internal',
        Product('EZVIZ', '', 'CS-C6N', 'V5.3.0 build 200630', '0C:A6:4C', 'audio night'),
    ),
    (
        'Gravesend Police Station',
        'internal',
        Product('Imou', '', 'IPC-K7F-5H0WE', '2.800.0000000.5.R', '00:D9:8B', 'audio night'),
    ),
    (
        'Headquarters, Maidstone',
        'internal',
        Product('Axis Communications AB', '', 'P3265-LVE', '11.11.73', '00:40:8C', 'night'),
    ),
)

BODIES = (
    Body(
        'Kent Police',
        'Kent',
        'Maidstone',
        custody=('Canterbury', 'Medway', 'Tonbridge', 'Folkestone'),
        stations=('Ashford', 'Dartford', 'Gravesend', 'Sevenoaks', 'Margate', 'Dover'),
        centres=('Canterbury', 'Maidstone'),
        roads=('M20', 'A2 Dover approach', 'M2'),
        full=True,
        fixed=KENT_RELABELS,
    ),
    Body(
        'Essex Police',
        'Essex',
        'Chelmsford',
        custody=('Basildon', 'Colchester', 'Harlow', 'Southend'),
        stations=('Braintree', 'Brentwood', 'Clacton', 'Grays', 'Rayleigh'),
        centres=('Chelmsford', 'Southend'),
        roads=('A12', 'A127', 'M11'),
        full=True,
    ),
    Body('Sussex Police', 'East Sussex', 'Lewes', ('Brighton',), ('Crawley', 'Hastings'), ('Brighton',), ('A27',)),
    Body(
        'Thames Valley Police',
        'Oxfordshire',
        'Kidlington',
        ('Reading',),
        ('Oxford', 'Milton Keynes'),
        ('Oxford',),
        ('M4',),
    ),
    Body(
        'West Yorkshire Police',
        'West Yorkshire',
        'Wakefield',
        ('Leeds',),
        ('Bradford', 'Huddersfield'),
        ('Leeds',),
        ('M62',),
    ),
    Body(
        'British Transport Police', 'London', 'Camden', ('Euston',), ('Birmingham New Street',), ("King's Cross",), ()
    ),
)


def _sites(body: Body) -> list[dict[str, str]]:
    """Site rows for the site import: name, address, postcode, kind, sensitive."""

    def site(name, kind, town):
        return {'name': name, 'address': f'{town}, {body.county}', 'postcode': '', 'kind': kind}

    rows = [site(f'Headquarters, {body.headquarters}', Site.Kind.HEADQUARTERS, body.headquarters)]
    if body.full:
        rows.append(site(f'Force Control Room, {body.headquarters}', Site.Kind.CONTROL_ROOM, body.headquarters))
    rows += [site(f'{town} Custody Suite', Site.Kind.CUSTODY, town) for town in body.custody]
    rows += [site(f'{town} Police Station', Site.Kind.POLICE_STATION, town) for town in body.stations]
    rows += [site(f'{town} town centre', Site.Kind.PUBLIC_SPACE, town) for town in body.centres]
    rows += [site(f'{road} ANPR sites', Site.Kind.ROADSIDE, body.county) for road in body.roads]
    rows.append(site('Vehicle fleet', Site.Kind.VEHICLE, body.county))
    rows.append(site('Drone unit' if not body.full else 'Air support unit', Site.Kind.AIR_SUPPORT, body.county))
    for row in rows:
        row['sensitive'] = 'yes' if row['kind'] in SENSITIVE_KINDS else 'no'
    return rows


class LineMaker:
    """Equipment rows for one body, from its own seeded random, so every run writes the same register."""

    def __init__(self, body: Body, number: int):
        self.body, self.number = body, number
        self.random = random.Random(f'oversight-demo:{body.name}')
        self.addresses = 0

    def lines(self, sites: list[dict[str, str]]) -> list[dict[str, str]]:
        rows = []
        for site in sites:
            for slot, (low, high) in LAYOUT[site['kind']]:
                if slot in ('recognition', 'helicopter') and not self.body.full:
                    continue
                count = self.random.randint(low, high) if self.body.full else max(1, low - 1)
                weights, products = zip(*CATALOGUE[slot], strict=True)
                for product in self.random.choices(products, weights, k=count):
                    rows.append(self.line(site['name'], slot, product))
        rows += [self.line(site, slot, product) for site, slot, product in self.body.fixed]
        return rows

    def line(self, site: str, slot: str, product: Product) -> dict[str, str]:
        system, category, (low, high), network_weights, addressed = SLOTS[slot]
        rng = self.random
        installed = datetime.date(2013, 1, 1) + datetime.timedelta(days=rng.randint(0, 12 * 365))
        lifetime = datetime.timedelta(days=365 * rng.randint(6, 10))
        upgrade = installed + lifetime if rng.random() < 0.85 else None
        return {
            'site': site,
            'system': system,
            'category': category,
            'manufacturer': product.manufacturer,
            'brand': product.brand,
            'model': product.model,
            'firmware': product.firmware if rng.random() < 0.85 else '',
            'serial_number': f'{product.model[:3].upper()}{rng.randint(10**7, 10**8 - 1)}'
            if rng.random() < 0.5
            else '',
            'mac_address': self.mac(product) if product.oui and rng.random() < 0.8 else '',
            'ip_address': self.address() if addressed and rng.random() < 0.7 else '',
            'quantity': str(rng.randint(low, high)),
            'installed_on': installed.isoformat(),
            'next_upgrade': upgrade.isoformat() if upgrade else '',
            'video': 'no' if slot == 'recognition' else 'yes',
            'audio': 'yes' if 'audio' in product.capabilities else 'no',
            'thermal': 'yes' if 'thermal' in product.capabilities else 'no',
            'night_vision': 'yes' if 'night' in product.capabilities else 'no',
            'network': rng.choices(('isolated', 'core', 'unknown'), network_weights)[0],
            'notes': rng.choice(NOTES) if rng.random() < 0.1 else '',
        }

    def mac(self, product: Product) -> str:
        return product.oui + ''.join(f':{self.random.randrange(256):02X}' for _ in range(3))

    def address(self) -> str:
        self.addresses += 1
        return f'10.{self.number}.{self.addresses // 250}.{self.addresses % 250 + 2}'


def _import(importer, rows: list[dict[str, str]]) -> int:
    sheet = Sheet(headers=list(importer.columns), rows=list(enumerate(rows, start=2)))
    plan = importer.plan(sheet)
    if plan.problem_count:
        raise RuntimeError(f'The demo register does not validate: {plan.first_errors[:5]}')
    apply_plan(None, importer.organisation, plan, MESSAGE)
    return plan.to_write


def load(log) -> None:
    for number, body in enumerate(BODIES, start=1):
        organisation = Organisation.objects.filter(name=body.name).first()
        if organisation is None:
            log(f'{body.name} is not among the organisations; its demo register is skipped.')
            continue
        if Site.objects.filter(organisation=organisation).exists():
            log(f'{body.name} already has a register; left as it is.')
            continue
        sites = _sites(body)
        _import(SiteImporter(organisation), sites)
        count = _import(EquipmentImporter(organisation), LineMaker(body, number).lines(sites))
        log(f'{body.name}: {len(sites)} sites and {count} equipment lines.')
