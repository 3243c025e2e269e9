"""Benchmark `oversight import-returns` as a person runs it, against `sqlite3 .import` and PostgreSQL `COPY`.

    .venv/bin/python benchmarks/returns_import.py [--bodies 500 5000 50000] [--runs 3] [--postgres]

For each size (500, 5,000 and 50,000 bodies: about 15,000, 150,000 and 1.5 million manufacturer lines,
benchmarks/findings_data.py) it prepares a migrated database holding the bodies, writes the interchange
file, and runs, alternating, as whole processes:

- `sqlite3 DB ".import --csv FILE returns"` into a new database (the baseline);
- `oversight import-returns` of the file into a new campaign, on a fresh copy of the SQLite database;
- the same command again on the database it has just written: the no-op re-import, against a Python
  process reading the file with the csv module (the least a re-import must do);
- with --postgres, on a throwaway PostgreSQL server (src/oversight/testing/postgres.py): `psql -c
  "\\copy TABLE from FILE csv header"` into a new table, and `oversight import-returns` into a fresh
  database made from a migrated template.

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
PREPARE = """import sys, django; django.setup()
from django.core.management import call_command
from oversight.organisations.models import Organisation
import findings_data
call_command('migrate', verbosity=0)
names = findings_data.body_names(int(sys.argv[1]))
Organisation.objects.bulk_create(
    (Organisation(name=n, slug=f'bench-{i}', kind=Organisation.Kind.OTHER) for i, n in enumerate(names)),
    batch_size=1000,
)
if len(sys.argv) > 2:
    print(*findings_data.write(sys.argv[2], sys.argv[3], int(sys.argv[1])))
"""


def run(command: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(seconds, peak MiB, CPU seconds) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f'{" ".join(command)} failed: {process.stderr.read().decode()[-2000:]}')
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def report(name: str, runs: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Print the median time (and CPU time, steadier on a shared machine) and the peak; return both medians."""
    median, cpu = statistics.median(t for t, _, _ in runs), statistics.median(c for _, _, c in runs)
    print(f'  {name}: median {median:.2f} s ({cpu:.2f} s of CPU), peak {max(m for _, m, _ in runs):.0f} MiB')
    return median, cpu


def ratio(name: str, product: tuple[float, float], baseline: tuple[float, float], target: str = '') -> None:
    print(f'  ratio {name}: {product[0] / baseline[0]:.2f}, by CPU time {product[1] / baseline[1]:.2f}{target}')


def environment(database_url: str) -> dict:
    return dict(os.environ, DJANGO_SETTINGS_MODULE='oversight.settings.dev', DATABASE_URL=database_url, PYTHONPATH=HERE)


def postgres_url(server_url: str, name: str) -> str:
    """The throwaway server's URL for another database of it."""
    head, _, tail = server_url.partition('/oversight?')
    return f'{head}/{name}?{tail}'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bodies', type=int, nargs='+', default=[500, 5000, 50000])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--postgres', action='store_true', help='Also compare with COPY on a throwaway server.')
    options = parser.parse_args()
    sqlite3 = shutil.which('sqlite3')
    if sqlite3 is None:
        raise SystemExit("The sqlite3 shell is missing: apt-get install sqlite3 (Debian's package).")
    workdir = tempfile.mkdtemp(prefix='oversight-returns-bench-')
    os.chmod(workdir, 0o755)  # the PostgreSQL server's account reads the file for nothing; psql reads it
    server = None
    try:
        if options.postgres:
            sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'src'))
            from oversight.testing.postgres import ThrowawayServer, find_bin_dir

            server = ThrowawayServer(find_bin_dir())
            server_url = server.start()
            admin = postgres_url(server_url, 'postgres')
        for bodies in options.bodies:
            template = os.path.join(workdir, f'template-{bodies}.sqlite3')
            csv_path, recipients = os.path.join(workdir, f'returns-{bodies}.csv'), os.path.join(workdir, 'r.txt')
            out = subprocess.run(
                [PYTHON, '-c', PREPARE, str(bodies), csv_path, recipients],
                env=environment(f'sqlite:///{template}'),
                check=True,
                capture_output=True,
                text=True,
            )
            rows, lines = (int(n) for n in out.stdout.split())
            print(f'{bodies:,} bodies: {rows:,} rows, {lines:,} lines, {os.path.getsize(csv_path) / 1e6:.0f} MB')
            if server:
                pg_template = f'template_{bodies}'
                subprocess.run(['psql', admin, '-qc', f'create database {pg_template}'], check=True)
                subprocess.run(
                    [PYTHON, '-c', PREPARE, str(bodies)],
                    env=environment(postgres_url(server_url, pg_template)),
                    check=True,
                )
                with open(csv_path, encoding='utf-8-sig') as file:
                    columns = ', '.join(f'"{c}" text' for c in file.readline().strip().split(','))
            command = ['import-returns', 'bench-2024', csv_path, '--recipients', recipients]
            shell, product, noop, read, copy, pg_product = [], [], [], [], [], []
            for n in range(options.runs):
                baseline_db = os.path.join(workdir, f'baseline-{n}.sqlite3')
                shell.append(run([sqlite3, baseline_db, f'.import --csv {csv_path} returns']))
                os.remove(baseline_db)
                database = os.path.join(workdir, f'run-{n}.sqlite3')
                shutil.copy(template, database)
                env = environment(f'sqlite:///{database}')
                product.append(run([OVERSIGHT, *command, '--deadline', '2024-08-30T17:00'], env))
                read.append(run([PYTHON, '-c', READ, csv_path]))
                noop.append(run([OVERSIGHT, *command], env))
                os.remove(database)
                if server:
                    table = f'returns_{n}'
                    subprocess.run(['psql', admin, '-qc', f'create table {table} ({columns})'], check=True)
                    copy.append(run(['psql', admin, '-qc', f"\\copy {table} from '{csv_path}' csv header"]))
                    subprocess.run(['psql', admin, '-qc', f'drop table {table}'], check=True)
                    name = f'run_{bodies}_{n}'
                    subprocess.run(['psql', admin, '-qc', f'create database {name} template {pg_template}'], check=True)
                    pg_env = environment(postgres_url(server_url, name))
                    pg_product.append(run([OVERSIGHT, *command, '--deadline', '2024-08-30T17:00'], pg_env))
                    subprocess.run(['psql', admin, '-qc', f'drop database {name}'], check=True)
            baseline = report('sqlite3 .import', shell)
            imported = report('oversight import-returns (SQLite)', product)
            ratio('import-returns / sqlite3 .import', imported, baseline, ' (target 3x at 150k lines)')
            reading = report('reading the file (python csv)', read)
            again = report('oversight import-returns again, a no-op (SQLite)', noop)
            ratio('no-op re-import / reading the file', again, reading, ' (target 1.5x)')
            if server:
                copied = report('psql \\copy (COPY)', copy)
                on_postgres = report('oversight import-returns (PostgreSQL)', pg_product)
                ratio('import-returns / COPY on PostgreSQL', on_postgres, copied)
        print(f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
        return 0
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
