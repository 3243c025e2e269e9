"""Benchmark `oversight identify`: 1,000,000 realistic rows, against a csv-read + JSON-write floor.

    .venv/bin/python benchmarks/identify.py [--rows N] [--seed S] [--runs R]

It makes a temporary SQLite database (DATABASE_URL) and migrates it, which seeds the vendors reference
data, and generates deterministic rows (register lines and discovery results, with the odd malformed one)
into a temporary CSV file. Then it times, as whole processes the way a person runs them, start-up included,
alternating R runs of each:

- the product: `oversight identify FILE`, output thrown away;
- the baseline: a Python process in which the csv module reads the same file and json.dumps writes every row.

It prints the median wall-clock and CPU time of each, rows per second, and the ratio product/baseline.
The target (issue 5) is at least 50,000 rows per second; issue 11 asks that new signatures keep the rate.
"""

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from oversight.identification.signals import FIELDS

BATCH = 1024

# Blocks registered to makers that matter, and to others (a switch, a PC, a virtual machine).
OUIS = {
    'hikvision': ['C0:56:E3', '44:19:B6', 'BC:AD:28', '28:57:BE', '4C:BD:8F', 'E0:BA:AD', '54:C4:15'],
    'dahua': ['90:02:A9', '3C:EF:8C', 'E0:50:8B', '14:A7:8B', '38:AF:29'],
    'uniview': ['48:EA:63', '88:26:3F'],
    'axis': ['00:40:8C', 'AC:CC:8E', 'B8:A4:4F', 'E8:27:25'],
    'bosch': ['00:04:63'],
    'hanwha': ['00:09:18'],
    'ezviz': ['0C:A6:4C', '20:BB:BC'],
    'imou': ['1C:4D:89', 'A8:31:62'],
    'lorex': ['00:1F:54'],
    'other': ['00:1B:21', '3C:52:82', '00:0C:29', '7C:DD:90', 'F0:9F:C2'],
}
DECLARED = {
    'hikvision': ['Hikvision', 'HIKVISION', 'Hangzhou Hikvision Digital Technology Co., Ltd.', 'Hik Vision'],
    'dahua': ['Dahua', 'Dahua Technology', 'DAHUA'],
    'uniview': ['Uniview', 'UNV'],
    'axis': ['Axis', 'Axis Communications', 'AXIS'],
    'bosch': ['Bosch', 'Bosch Security Systems'],
    'hanwha': ['Hanwha Vision', 'Wisenet', 'Samsung'],
    'ezviz': ['EZVIZ', 'Ezviz'],
    'imou': ['Imou', 'IMOU'],
    'lorex': ['Lorex', 'Lorex Technology'],
    'relabel': ['Honeywell', 'LTS', 'Amcrest', 'ABUS', 'Annke', 'CP Plus'],
    'other': ['Avigilon', 'Milestone', 'Sony', 'Panasonic', 'Acme CCTV Ltd', 'Generic', 'Unknown', ''],
}


def _pool(rng: random.Random, size: int, make) -> list[str]:
    return sorted({make(rng) for _ in range(size)})


def _parts(rng: random.Random, size: int, *parts) -> list[str]:
    """Up to `size` distinct values, each one choice from every part, joined."""
    return _pool(rng, size, lambda r: ''.join(r.choice(part) for part in parts))


def _date(rng: random.Random) -> str:
    return f'{rng.randint(14, 24):02}{rng.randint(1, 12):02}{rng.randint(1, 28):02}'


def _dahua_firmware(r: random.Random) -> str:
    return r.choice(
        [
            f'2.800.0000000.{r.randint(1, 40)}.R.{_date(r)}',
            f'2.420.Dahua 00.{r.randint(1, 30)}.R, build: 20{_date(r)[:2]}-0{r.randint(1, 9)}-1{r.randint(0, 9)}',
            f'2.460.LR00.{r.randint(1, 9)}.R',
            f'1.000.Honeywell 00.{r.randint(0, 9)}.R',
        ]
    )


def pools(rng: random.Random) -> dict[str, list[str]]:
    """Distinct values as an estate has them: hundreds of models and firmware builds, a few banners."""
    return {
        'hikvision_model': _parts(
            rng, 300, ['DS-2CD'], '2345', '0123', '2456', ['G0', 'G1', 'G2', 'FWD', 'F'], ['-I'], ['', 'S', 'WS', 'Z']
        ),
        'hikvision_nvr': _parts(rng, 40, ['DS-'], '79', '66', ['04', '08', '16', '32'], ['NI-'], ['K1', 'K2', 'I4']),
        'dahua_model': _parts(
            rng,
            300,
            ['', 'DH-'],
            ['IPC-'],
            ['HFW', 'HDW', 'HDBW', 'EBW', 'PFW'],
            '2358',
            '2458',
            '3',
            '1',
            'EST',
            ['-AS', '-S'],
        ),
        'dahua_nvr': _parts(rng, 30, ['NVR'], '245', '12', ['04', '08', '16'], ['-4KS2', '-P-4KS2', '-8P-4KS2']),
        'uniview_model': _parts(
            rng, 80, ['IPC'], ['322', '2122', '2124', '3612', '3614'], ['LB', 'SB', 'LE'], ['-SF28K-A', '-ADF28K-H']
        ),
        'axis_model': _pool(
            rng, 60, lambda r: f'{r.choice("MPQ")}{r.randint(1000, 3999)}-{r.choice(["LVE", "LE", "V"])}'
        ),
        'bosch_model': ['FLEXIDOME IP 5000i', 'DINION IP 3000i', 'AUTODOME IP 5000i', 'NDE-5503-AL', 'MIC IP 7100i'],
        'hanwha_model': _parts(rng, 40, ['XNV-', 'QNO-', 'PNB-', 'XND-'], '68', '0', '18', '0R'),
        'relabel_model': ['CMIP8242WB', 'LNB9242B', 'LNE9292B', 'IP2M-841', 'IP4M-1026', 'HBW4PER1', 'TV-IP314PI'],
        'other_model': ['H4A-BO1-IR', 'SNC-VB770', 'WV-S1131', 'X-100', 'Cam 2', ''],
        'hikvision_firmware': _pool(rng, 400, lambda r: f'V5.{r.randint(3, 7)}.{r.randint(0, 99)} build {_date(r)}'),
        'dahua_firmware': _pool(rng, 300, _dahua_firmware),
        'uniview_firmware': _pool(
            rng, 60, lambda r: f'IPC_G61{r.randint(0, 9):02}-B{r.randint(0, 5000):04}P10D1711C39'
        ),
        'other_firmware': _pool(rng, 100, lambda r: f'{r.randint(1, 11)}.{r.randint(0, 12)}.{r.randint(0, 99)}'),
        'hikvision_server': ['Hikvision-Webs', 'DNVRS-Webs', 'App-webs/', 'DVRDVS-Webs'],
        'other_server': ['nginx', 'Apache', 'lighttpd/1.4.59', 'Boa/0.94.14rc21', 'uc-httpd 1.0.0', ''],
        'titles': ['', 'Web Service', 'index', 'NETSurveillance WEB', 'AXIS', 'Login'],
        # Hikvision's realm names a product code (FN636, FG513, L4906); Dahua's names the device's serial.
        'hikvision_realm': _pool(rng, 200, lambda r: f'{r.choice(["F", "FN", "FG", "L"])}{r.randint(100, 9999)}'),
    }


def _mac(rng: random.Random, kind: str) -> str:
    if rng.random() < 0.005:
        return rng.choice(['00:11:22', 'zz:zz:zz:zz:zz:zz', '0011223344556677', 'n/a'])  # malformed
    block = rng.choice(OUIS[kind if kind in OUIS else 'other'])
    return f'{block}:{rng.randrange(256):02X}:{rng.randrange(256):02X}:{rng.randrange(256):02X}'


def rows(count: int, seed: int):
    rng = random.Random(seed)
    pool = pools(rng)
    kinds = ['hikvision', 'dahua', 'uniview', 'axis', 'bosch', 'hanwha', 'ezviz', 'imou', 'lorex', 'relabel', 'other']
    weights = [28, 22, 5, 12, 4, 4, 3, 3, 3, 8, 8]
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        make = 'hikvision' if kind in ('ezviz',) else 'dahua' if kind in ('imou', 'lorex') else kind
        model_pool = pool.get(f'{make}_model') or pool['relabel_model' if kind == 'relabel' else 'other_model']
        row = [''] * 9
        if rng.random() < 0.55:  # a register line: what a person typed
            row[0] = rng.choice(DECLARED[kind])
            if kind in ('relabel', 'lorex') and rng.random() < 0.3:
                row[1] = row[0]
            row[2] = rng.choice(model_pool if rng.random() < 0.9 else pool.get(f'{make}_nvr', model_pool))
            if rng.random() < 0.3:
                row[3] = rng.choice(pool.get(f'{make}_firmware', pool['other_firmware']))
            if rng.random() < 0.5:
                row[4] = _mac(rng, kind)
        else:  # a discovery result: what the device showed on the network
            row[4] = _mac(rng, kind)
            if rng.random() < 0.6:
                row[2] = rng.choice(model_pool)
                row[3] = rng.choice(pool.get(f'{make}_firmware', pool['other_firmware']))
            if make == 'hikvision':
                row[5] = rng.choice(pool['hikvision_server'])
                realm = rng.choice(pool['hikvision_realm'])
                row[6] = f'Digest qop="auth", realm="IP Camera({realm})", nonce="{rng.getrandbits(64):x}"'
            elif make == 'dahua':
                row[6] = f'Digest realm="Login to {rng.getrandbits(60):X}", nonce="{rng.getrandbits(64):x}"'
                row[8] = 'Dahua Rtsp Server'
            else:
                row[5] = rng.choice(pool['other_server'])
                if rng.random() < 0.3:
                    row[6] = 'Basic realm="device"'
            row[7] = rng.choice(pool['titles'])
        yield row


def baseline(path: str) -> int:
    """The floor, run as a process of its own: the csv module reads the file and json.dumps writes every row."""
    out = sys.stdout
    with open(path, newline='', encoding='utf-8') as file:
        reader = csv.reader(file)
        header = next(reader)
        batch = []
        for row in reader:
            batch.append(json.dumps(dict(zip(header, row, strict=False))))
            if len(batch) >= BATCH:
                out.write('\n'.join(batch) + '\n')
                batch.clear()
        out.write('\n'.join(batch) + '\n')
    return 0


def _timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one whole process, its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(os.devnull, 'w') as sink:
        subprocess.run(command, stdout=sink, env=env, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', type=int, default=1_000_000)
    parser.add_argument('--seed', type=int, default=20250101)
    parser.add_argument('--runs', type=int, default=3, help='runs of each, alternated (default 3)')
    parser.add_argument('--baseline', metavar='FILE', help=argparse.SUPPRESS)  # the baseline process itself
    options = parser.parse_args()
    if options.baseline:
        return baseline(options.baseline)

    oversight = str(Path(sys.executable).with_name('oversight'))
    workdir = tempfile.mkdtemp(prefix='oversight-identify-bench-')
    try:
        env = dict(os.environ, DATABASE_URL=f'sqlite:///{workdir}/reference.sqlite3')
        env.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings.dev')
        subprocess.run([oversight, 'migrate', '-v0'], env=env, check=True)

        path = os.path.join(workdir, 'devices.csv')
        with open(path, 'w', newline='', encoding='utf-8') as file:
            writer = csv.writer(file)
            writer.writerow(FIELDS)
            writer.writerows(rows(options.rows, options.seed))
        print(f'{options.rows:,} rows ({os.path.getsize(path) / 1e6:.0f} MB), {options.runs} runs each, alternated')

        commands = {
            'oversight identify': [oversight, 'identify', path],
            'baseline (csv + json)': [sys.executable, __file__, '--baseline', path],
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, command in commands.items():
                times[name].append(_timed(command, env))
        medians = {}
        for name, runs in times.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            medians[name] = wall
            print(
                f'{name:<22} median {wall:6.2f} s wall, {cpu:6.2f} s CPU: {options.rows / wall:>9,.0f} rows/s '
                f'(runs: {", ".join(f"{w:.2f}" for w, _ in runs)})'
            )
        product, floor = medians['oversight identify'], medians['baseline (csv + json)']
        print(f'ratio product/baseline (time): {product / floor:.2f}')
        rate = options.rows / product
        print(f'target 50,000 rows/s whole process: {"met" if rate >= 50_000 else "NOT met"} ({rate:,.0f})')
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
