"""Benchmark `oversight import-returns` as a person runs it, against `sqlite3 .import` and PostgreSQL `COPY`.

    .venv/bin/python benchmarks/returns_import.py [--bodies 500 5000 50000] [--runs 3] [--postgres DSN]

For each size (500, 5,000 and 50,000 bodies: about 15,000, 150,000 and 1.5 million manufacturer lines,
benchmarks/findings_data.py) it migrates a temporary SQLite database with the bodies, writes the
interchange file, and runs, alternating, as whole processes:

- `sqlite3 DB ".import --csv FILE returns"` into a new database (the baseline);
- with --postgres DSN, `psql DSN -c "\\copy ... from FILE csv header"` into a new table (the second baseline);
- `oversight import-returns` of the file into a new campaign, on a fresh copy of the database;
- the same command again on the database it has just written: the no-op re-import, against a Python
  process reading the file with the csv module (the least a re-import must do).

It prints medians, ratios and peak memory (each child's maximum resident set, from wait4). Targets
(issue 13): 150k lines within 3x `sqlite3 .import`; 1.5M lines under 400 MiB; no-op within 1.5x reading.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

PYTHON = sys.executable
OVERSIGHT = os.path.join(os.path.dirname(PYTHON), 'oversight')
READ = 'import csv, sys\nprint(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))))\n'


def run(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak MiB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f'{" ".join(command)} failed: {process.stderr.read().decode()[-2000:]}')
    return elapsed, usage.ru_maxrss / 1024


def report(name: str, runs: list[tuple[float, float]]) -> float:
    median = statistics.median(t for t, _ in runs)
    print(f'  {name}: median {median:.2f} s, peak {max(m for _, m in runs):.0f} MiB')
    return median


def prepare(workdir: str, bodies: int) -> tuple[str, str, str]:
    """A migrated database holding the bodies, the interchange file and the recipients list."""
    template = os.path.join(workdir, f'template-{bodies}.sqlite3')
    code = (
        'import sys, django; django.setup()\n'
        'from django.core.management import call_command\n'
        'from oversight.organisations.models import Organisation\n'
        'import findings_data\n'
        "call_command('migrate', verbosity=0)\n"
        'names = findings_data.body_names(int(sys.argv[1]))\n'
        'Organisation.objects.bulk_create((Organisation(name=n, slug=f"bench-{i}", kind=Organisation.Kind.OTHER)'
        ' for i, n in enumerate(names)), batch_size=1000)\n'
        'print(findings_data.write(sys.argv[2], sys.argv[3], int(sys.argv[1])))\n'
    )
    csv_path, recipients = os.path.join(workdir, f'returns-{bodies}.csv'), os.path.join(workdir, f'r-{bodies}.txt')
    env = dict(os.environ, DJANGO_SETTINGS_MODULE='oversight.settings.dev', DATABASE_URL=f'sqlite:///{template}')
    env['PYTHONPATH'] = HERE
    out = subprocess.run(
        [PYTHON, '-c', code, str(bodies), csv_path, recipients], env=env, check=True, capture_output=True, text=True
    )
    rows, lines = (int(n) for n in out.stdout.strip().splitlines()[-1].strip('()').split(','))
    print(f'{bodies:,} bodies: {rows:,} rows, {lines:,} lines, {os.path.getsize(csv_path) / 1e6:.0f} MB')
    return template, csv_path, recipients


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bodies', type=int, nargs='+', default=[500, 5000, 50000])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--postgres', metavar='DSN', help='A PostgreSQL database for the COPY baseline.')
    options = parser.parse_args()
    sqlite3 = shutil.which('sqlite3')
    if sqlite3 is None:
        raise SystemExit("The sqlite3 shell is missing: apt-get install sqlite3 (Debian's package).")
    workdir = tempfile.mkdtemp(prefix='oversight-returns-bench-')
    try:
        for bodies in options.bodies:
            template, csv_path, recipients = prepare(workdir, bodies)
            shell, copy, product, noop, read = [], [], [], [], []
            for n in range(options.runs):
                baseline_db = os.path.join(workdir, f'baseline-{n}.sqlite3')
                shell.append(run([sqlite3, baseline_db, f'.import --csv {csv_path} returns']))
                os.remove(baseline_db)
                if options.postgres:
                    table = f'bench_returns_{n}'
                    with open(csv_path, encoding='utf-8-sig') as file:
                        header = file.readline().strip().split(',')
                    columns = ', '.join(f'"{c}" text' for c in header)
                    subprocess.run(['psql', options.postgres, '-qc', f'create table {table} ({columns})'], check=True)
                    copy.append(run(['psql', options.postgres, '-qc', f"\\copy {table} from '{csv_path}' csv header"]))
                    subprocess.run(['psql', options.postgres, '-qc', f'drop table {table}'], check=True)
                database = os.path.join(workdir, f'run-{n}.sqlite3')
                shutil.copy(template, database)
                env = dict(os.environ, DJANGO_SETTINGS_MODULE='oversight.settings.dev')
                env['DATABASE_URL'] = f'sqlite:///{database}'
                command = [OVERSIGHT, 'import-returns', 'bench-2024', csv_path, '--recipients', recipients]
                product.append(run([*command, '--deadline', '2024-08-30T17:00'], env))
                read.append(run([PYTHON, '-c', READ, csv_path]))
                noop.append(run(command, env))
                os.remove(database)
            baseline = report('sqlite3 .import', shell)
            if copy:
                copied = report('psql \\copy (COPY)', copy)
            imported = report('oversight import-returns', product)
            print(f'  ratio import-returns / sqlite3 .import: {imported / baseline:.2f} (target 3x at 150k lines)')
            if copy:
                print(f'  ratio import-returns / PostgreSQL COPY: {imported / copied:.2f}')
            reading = report('reading the file (python csv)', read)
            again = report('oversight import-returns again (no-op)', noop)
            print(f'  ratio no-op re-import / reading the file: {again / reading:.2f} (target 1.5x)')
        print(f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
