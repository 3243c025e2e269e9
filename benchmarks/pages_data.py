"""A national register in a throwaway database, for benchmarks/pages.py: N bodies, M equipment lines.

Deterministic for a seed. Kent Police holds --body-lines lines (the "force with a large register" of the
policy page); the other lines are spread over the other bodies. Registers repeat themselves as real ones
do: a site's cameras were installed in a few batches (one date, one upgrade date, one network each) from a
short list of makers and models, so 100,000 lines hold a few hundred distinct identities. About one site
for every 25 lines and one system for every 100, so 1M lines give some 40,000 sites.

Rows go in with bulk_create (no actions, no audit rows: the pages read the register, not its history).
Who made each line is worked out once per distinct declared identity by the register's own engine.

    DATABASE_URL=sqlite:////tmp/pages.sqlite3 .venv/bin/python benchmarks/pages_data.py --bodies 50 --lines 100000

It migrates the database first, and signs nobody in: it makes two users, `regulator` and `kent` (an editor
of Kent Police), both with the password printed at the end.
"""

import argparse
import datetime
import os
import random
import sys
import time

PASSWORD = 'Pages-benchmark-2026'
# (declared maker, brand, model, firmware): a realistic mix of designated makers, their relabels and others.
IDENTITIES = [
    ('Hikvision', '', 'DS-2CD2143G2-I', 'V5.7.3'),
    ('Hikvision', '', 'DS-2CD2386G2-IU', 'V5.7.1'),
    ('HIKVISION', '', 'DS-2DE4425IW-DE', 'V5.6.5'),
    ('Hikvision', '', 'iDS-TCM403-BI', ''),
    ('Dahua Technology', '', 'IPC-HFW2431S-S-S2', 'V2.800'),
    ('Dahua', '', 'SD49425XB-HNR', ''),
    ('Lorex', '', 'LNB4421', ''),
    ('', 'EZVIZ', 'C3W', ''),
    ('Honeywell', 'Performance', 'HEN28103', ''),
    ('Huawei', '', 'M2120-10-EI', ''),
    ('Axis', '', 'P3245-LVE', '10.12.1'),
    ('Axis Communications AB', '', 'Q1798-LE', ''),
    ('Bosch', '', 'FLEXIDOME IP 5000i', ''),
    ('Hanwha Vision', 'Wisenet', 'XNV-8080R', ''),
    ('Avigilon', '', 'H5A-BO', ''),
    ('Motorola Solutions', 'Vigilant', 'ANPR-3', ''),
    ('Genetec', 'AutoVu', 'SharpV', ''),
    ('Axon', '', 'Body 4', ''),
    ('Reveal', '', 'D7', ''),
    ('DJI', '', 'Matrice 30T', ''),
    ('SZ DJI Technology Co., Ltd.', '', 'Mavic 3 Enterprise', ''),
    ('Parrot', '', 'Anafi USA', ''),
    ('Acme CCTV Ltd', '', 'AC-100', ''),
    ('Unknown Vendor', '', '', ''),
]
CATEGORIES = ['external_cctv', 'internal_cctv', 'anpr', 'body_worn_video', 'drone', 'other']
SITE_KINDS = ['police_station', 'custody', 'headquarters', 'control_room', 'public_space', 'roadside']


def setup_django():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings.dev')
    import django

    django.setup()


def identities_resolved():
    """Each identity's (manufacturer, made_by, confidence, evidence, concern), from the register's engine."""
    from types import SimpleNamespace

    from oversight.register.identification import build_index, identify_line

    index = build_index()
    resolved = {}
    for maker, brand, model, firmware in IDENTITIES:
        line = SimpleNamespace(manufacturer_declared=maker, brand=brand, model=model, firmware=firmware, mac_address='')
        identify_line(index, line)
        resolved[(maker, brand, model, firmware)] = line
    return resolved


def bodies(count: int):
    """Kent Police first, then the other seeded bodies, then made-up ones up to `count`."""
    from oversight.organisations.models import Organisation

    kent = Organisation.objects.get(name='Kent Police')
    existing = list(Organisation.objects.bodies().exclude(pk=kent.pk).order_by('name'))
    made = [
        Organisation(name=f'Benchmark body {n:05d}', slug=f'benchmark-body-{n:05d}', kind='local_authority')
        for n in range(max(0, count - 1 - len(existing)))
    ]
    Organisation.objects.bulk_create(made, batch_size=1000)
    others = existing + list(Organisation.objects.filter(slug__startswith='benchmark-body-').order_by('slug'))
    return [kent, *others[: count - 1]]


def body_register(organisation, lines: int, rng: random.Random, resolved: dict, start: int):
    """Sites, systems and lines of one body, unsaved; `start` numbers its sites and systems uniquely."""
    from oversight.register.models import EquipmentLine, Site, System

    sites = [
        Site(
            organisation=organisation,
            name=f'Site {start + n:06d} {rng.choice(["North", "South", "East", "West", "Central"])}',
            postcode=f'ME{n % 20} {n % 9}AB',
            kind=rng.choice(SITE_KINDS),
            sensitive=rng.random() < 0.3,
        )
        for n in range(max(3, lines // 25))
    ]
    systems = [
        System(organisation=organisation, name=f'System {start + n:06d}', category=CATEGORIES[n % len(CATEGORIES)])
        for n in range(max(2, lines // 100))
    ]
    today = datetime.date(2026, 1, 1)
    made = []
    while len(made) < lines:
        # One installation batch: a site, a system, a date, a network and a handful of models.
        site, system = rng.choice(sites), rng.choice(systems)
        installed = today - datetime.timedelta(days=rng.randrange(0, 3650, 30))
        upgrade = None if rng.random() < 0.3 else installed + datetime.timedelta(days=365 * rng.randint(5, 9))
        network = rng.choice(['isolated', 'core', 'unknown'])
        for _ in range(min(rng.randint(5, 40), lines - len(made))):
            identity = rng.choice(IDENTITIES[: 12 + rng.randint(0, 12)])
            found = resolved[identity]
            made.append(
                EquipmentLine(
                    organisation=organisation,
                    site=site,
                    system=system,
                    manufacturer_declared=identity[0] or identity[1],
                    brand=identity[1],
                    model=identity[2],
                    firmware=identity[3],
                    quantity=rng.randint(1, 12),
                    installed_on=installed,
                    next_upgrade=upgrade,
                    network=network,
                    manufacturer=found.manufacturer,
                    made_by=found.made_by,
                    confidence=found.confidence,
                    evidence=found.evidence,
                    concern=found.concern,
                )
            )
    return sites, systems, made


def build(body_count: int, line_count: int, body_lines: int, seed: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from oversight.accounts.models import User
    from oversight.organisations.models import Organisation
    from oversight.register.models import EquipmentLine, Site, System

    call_command('migrate', verbosity=0)
    rng = random.Random(seed)
    resolved = identities_resolved()
    chosen = bodies(body_count)
    rest = line_count - body_lines
    shares = [body_lines] + [rest // (body_count - 1) + (n < rest % (body_count - 1)) for n in range(body_count - 1)]
    numbered = 0
    for organisation, lines in zip(chosen, shares, strict=True):
        with transaction.atomic():
            sites, systems, made = body_register(organisation, lines, rng, resolved, numbered)
            numbered += len(sites) + len(systems)
            Site.objects.bulk_create(sites, batch_size=2000)
            System.objects.bulk_create(systems, batch_size=2000)
            EquipmentLine.objects.bulk_create(made, batch_size=2000)
    if connection.vendor == 'postgresql':
        # Autovacuum would get to it within the minute; the benchmark should not start before it has.
        with connection.cursor() as cursor:
            cursor.execute('ANALYZE')
    password = make_password(PASSWORD)
    regulator = Organisation.objects.get(slug='obscc')
    users = User.objects.bulk_create(
        [
            User(username='regulator', organisation=regulator, role=User.Role.REGULATOR, password=password),
            User(username='kent', organisation=chosen[0], role=User.Role.EDITOR, password=password),
        ]
    )
    # allauth lets people in only with a verified address.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=f'{u.username}@benchmark.invalid', verified=True, primary=True) for u in users
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--bodies', type=int, default=50)
    parser.add_argument('--lines', type=int, default=100_000)
    parser.add_argument('--body-lines', type=int, help="Kent Police's lines (default: half of --lines)")
    parser.add_argument('--seed', type=int, default=13)
    args = parser.parse_args()
    if 'DATABASE_URL' not in os.environ:
        sys.exit('Set DATABASE_URL to a throwaway database.')
    body_lines = args.lines // 2 if args.body_lines is None else args.body_lines
    if args.bodies < 2 or not 0 < body_lines <= args.lines:
        sys.exit('Need at least 2 bodies and 0 < --body-lines <= --lines.')
    setup_django()
    started = time.monotonic()
    build(args.bodies, args.lines, body_lines, args.seed)
    print(
        f'{args.bodies:,} bodies, {args.lines:,} lines ({body_lines:,} at Kent Police) '
        f'in {time.monotonic() - started:.0f} s; users regulator and kent, password {PASSWORD}'
    )


if __name__ == '__main__':
    main()
