"""A national-scale survey campaign as an interchange file (docs/interchange.md), for benchmarks/findings.py.

Deterministic for a seed: 5,000 bodies by default, each answering the 8 categories, with about 150,000
manufacturer lines in all. Makers are a realistic mix: designated makers, their sub-brands and relabels
(Lorex, EZVIZ, Honeywell), makers of no concern, and names the reference data does not know.

    .venv/bin/python benchmarks/findings_data.py OUT.csv RECIPIENTS.txt [--bodies N] [--seed S]
"""

import argparse
import csv
import datetime
import random

# Share of bodies operating each category: 5.45 categories a body, 1 to 10 lines each, 5.5 on average,
# so 5,000 bodies give about 150,000 lines.
OPERATES = {
    'external_cctv': 0.92,
    'internal_cctv': 0.98,
    'anpr': 0.90,
    'body_worn_video': 0.96,
    'drone': 0.68,
    'helicopter': 0.12,
    'facial_recognition': 0.35,
    'other': 0.54,
}
MAKERS = {
    'camera': [
        ('Hikvision', ''),
        ('HIKVISION', ''),
        ('Dahua Technology', ''),
        ('Lorex', ''),
        ('', 'EZVIZ'),
        ('Honeywell', 'Performance'),
        ('Huawei', ''),
        ('NUUO', ''),
        ('Axis', ''),
        ('Axis Communications AB', ''),
        ('Bosch', ''),
        ('Hanwha Vision', 'Wisenet'),
        ('Avigilon', ''),
        ('Milestone', ''),
        ('Acme CCTV Ltd', ''),
    ],
    'body_worn_video': [('Axon', ''), ('Reveal', ''), ('Motorola Solutions', ''), ('Hikvision', '')],
    'drone': [('DJI', ''), ('SZ DJI Technology Co., Ltd.', ''), ('Parrot', ''), ('Skydio', ''), ('Autel Robotics', '')],
    'anpr': [('Genetec', 'AutoVu'), ('Hikvision', ''), ('Dahua', ''), ('Motorola Solutions', 'Vigilant')],
}
POOL = {
    'external_cctv': 'camera',
    'internal_cctv': 'camera',
    'anpr': 'anpr',
    'body_worn_video': 'body_worn_video',
    'drone': 'drone',
    'helicopter': 'camera',
    'facial_recognition': 'camera',
    'other': 'camera',
}
DEADLINE = datetime.datetime(2024, 8, 30, 17, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


def body_names(count: int) -> list[str]:
    return [f'Benchmark body {number:05d}' for number in range(1, count + 1)]


def rows(bodies: list[str], seed: int):
    rng = random.Random(seed)
    for body in bodies:
        # A tenth of the returns arrive after the deadline.
        submitted = DEADLINE + datetime.timedelta(hours=rng.uniform(-1500, 150))
        when = submitted.isoformat(timespec='seconds')
        for category, share in OPERATES.items():
            if rng.random() >= share:
                yield [body, category, 'no', '', '', '', '', '', when]
                continue
            aware = rng.choice(('yes', 'yes', 'no', 'unknown', ''))
            makers = MAKERS[POOL[category]]
            for _ in range(rng.randint(1, 10)):
                manufacturer, brand = rng.choice(makers)
                model = f'{rng.choice("ABCDEFGH")}{rng.randint(100, 9999)}-{rng.choice(("IR", "LE", "V", ""))}'
                quantity = str(rng.randint(1, 200)) if rng.random() < 0.97 else ''
                yield [body, category, 'yes', manufacturer, brand, model, quantity, aware, when]


def write(path: str, recipients_path: str, bodies: int = 5000, seed: int = 2024) -> tuple[int, int]:
    """Write the interchange file and the recipients list; returns (rows, manufacturer lines). Needs Django set up."""
    from oversight.surveys.interchange import COLUMNS

    names = body_names(bodies)
    count = lines = 0
    with open(path, 'w', newline='', encoding='utf-8') as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for row in rows(names, seed):
            writer.writerow(row)
            count += 1
            lines += bool(row[3] or row[4])
    with open(recipients_path, 'w', encoding='utf-8') as file:
        file.write('\n'.join(names) + '\n')
    return count, lines


if __name__ == '__main__':
    import os

    import django

    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings.dev')
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out')
    parser.add_argument('recipients')
    parser.add_argument('--bodies', type=int, default=5000)
    parser.add_argument('--seed', type=int, default=2024)
    options = parser.parse_args()
    written, lines = write(options.out, options.recipients, options.bodies, options.seed)
    print(f'{written:,} rows, {lines:,} manufacturer lines, {options.bodies:,} bodies')
