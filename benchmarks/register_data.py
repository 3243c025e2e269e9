"""A force's register as import files (docs/register.md), for benchmarks/register_import.py.

Deterministic for a seed: a sites file and an equipment file of N lines (10,000 and 100,000 in the
benchmark) across 400 sites and 30 systems, as a large force's register looks. Lines repeat a few
hundred declared identities (maker, brand, model, firmware), as real registers do; one line in twenty
gives a MAC address. Written as .xlsx (what bodies upload) with the register's own export writer.

    .venv/bin/python benchmarks/register_data.py SITES.xlsx EQUIPMENT.xlsx [--lines N] [--seed S]
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'src'))

from oversight.core.exports import xlsx_bytes

SITES = 400
SITE_COLUMNS = ('name', 'address', 'postcode', 'kind', 'sensitive')
EQUIPMENT_COLUMNS = (
    'id',
    'site',
    'system',
    'category',
    'manufacturer',
    'brand',
    'model',
    'firmware',
    'serial_number',
    'mac_address',
    'ip_address',
    'quantity',
    'installed_on',
    'next_upgrade',
    'video',
    'audio',
    'thermal',
    'night_vision',
    'network',
    'notes',
)
SYSTEMS = [
    *((f'Custody CCTV {n}', 'internal_cctv') for n in range(1, 9)),
    *((f'Town centre CCTV {n}', 'external_cctv') for n in range(1, 11)),
    *((f'ANPR ring {n}', 'anpr') for n in range(1, 5)),
    ('Body worn video', 'body_worn_video'),
    ('Drone unit', 'drone'),
    ('Air support', 'helicopter'),
    ('Live facial recognition', 'facial_recognition'),
    ('Interview recording', 'other'),
    ('Station intercoms', 'other'),
]
# (maker, brand, model prefix, OUI) — designated makers, their relabels, and makers of no concern.
MAKERS = [
    ('Hikvision', '', 'DS-2CD', '44:19:B6'),
    ('HIKVISION', '', 'DS-2DE', 'C0:56:E3'),
    ('Dahua Technology', '', 'IPC-HFW', '3C:EF:8C'),
    ('Lorex', '', 'LNB', ''),
    ('Ezviz Inc', 'EZVIZ', 'CS-C', ''),
    ('Honeywell', 'Performance', 'H4W', ''),
    ('Axis', '', 'P32', '00:40:8C'),
    ('Axis Communications AB', '', 'Q60', 'AC:CC:8E'),
    ('Bosch', '', 'FLEXIDOME', ''),
    ('Hanwha Vision', 'Wisenet', 'XNV', ''),
    ('Avigilon', '', 'H5A', ''),
    ('Axon', '', 'Body', ''),
    ('DJI', '', 'Matrice', ''),
    ('Genetec', 'AutoVu', 'SharpV', ''),
    ('Acme CCTV Ltd', '', 'AC', ''),
]
KINDS = ('police_station', 'custody', 'public_space', 'vehicle', 'other')


def site_rows(rng: random.Random):
    for n in range(1, SITES + 1):
        yield [f'Site {n:03d}', f'{n} High Street', f'AB{n % 90 + 1} {n % 9}CD', rng.choice(KINDS), n % 10 == 0]


def identities(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """A few hundred (maker, brand, model, firmware, OUI) a force's register repeats."""
    found = []
    for maker, brand, prefix, oui in MAKERS:
        for model in range(rng.randint(8, 16)):
            for firmware in range(rng.randint(1, 3)):
                found.append((maker, brand, f'{prefix}{1000 + model * 7}', f'V{5 + firmware}.{model % 4}.1', oui))
    return found


def equipment_rows(rng: random.Random, lines: int):
    known = identities(rng)
    for n in range(lines):
        maker, brand, model, firmware, oui = rng.choice(known)
        system, category = rng.choice(SYSTEMS)
        mac = ''
        if oui and n % 20 == 0:
            mac = f'{oui}:{n >> 16 & 255:02X}:{n >> 8 & 255:02X}:{n & 255:02X}'
        yield [
            '',
            f'Site {rng.randint(1, SITES):03d}',
            system,
            category,
            maker,
            brand,
            model,
            firmware,
            f'SN{n:08d}',
            mac,
            f'10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}' if n % 3 == 0 else '',
            rng.choice((1, 1, 1, 2, 4, 8)),
            f'20{rng.randint(12, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}',
            '' if n % 4 else '2027-04-01',
            'yes',
            'yes' if n % 11 == 0 else 'no',
            'yes' if n % 29 == 0 else 'no',
            'yes' if n % 5 == 0 else 'no',
            rng.choice(('isolated', 'core', 'unknown')),
            '' if n % 7 else 'Replaced after storm damage',
        ]


def write(sites_path: str, equipment_path: str, lines: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    with open(sites_path, 'wb') as out:
        out.write(xlsx_bytes(SITE_COLUMNS, site_rows(rng), title='sites'))
    with open(equipment_path, 'wb') as out:
        out.write(xlsx_bytes(EQUIPMENT_COLUMNS, equipment_rows(rng, lines), title='equipment'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('sites')
    parser.add_argument('equipment')
    parser.add_argument('--lines', type=int, default=10_000)
    parser.add_argument('--seed', type=int, default=13)
    options = parser.parse_args()
    write(options.sites, options.equipment, options.lines, options.seed)


if __name__ == '__main__':
    main()
