"""Benchmark `oversight import-register` against openpyxl reading the same file, both as whole processes.

    .venv/bin/python benchmarks/register_import.py [--lines 10000 100000] [--runs 3]

For each size it generates a force's register (benchmarks/register_data.py, .xlsx), migrates a
temporary SQLite database once and imports the sites file into it. Then, alternating, it runs

- the baseline: a Python process that opens the workbook with openpyxl (read-only) and reads every row;
- the product: `oversight import-register BODY FILE` as a person runs it, into a fresh copy of that
  database (start-up, reading, checking, identifying and writing every line with its audit row);

and prints the median wall time of each, their ratio, and each one's peak memory (the child's maximum
resident set, from wait4). Targets (issue 13): at 100,000 lines within 3x the baseline and under 300 MiB.
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
sys.path.insert(0, HERE)

import register_data  # noqa: E402 - beside this script, found through the path set above

PYTHON = sys.executable
OVERSIGHT = os.path.join(os.path.dirname(PYTHON), 'oversight')
BODY = 'avon-and-somerset-constabulary'
RATIO_TARGET, MEMORY_TARGET = 3.0, 300
READ = (
    'import sys\nfrom openpyxl import load_workbook\n'
    'book = load_workbook(sys.argv[1], read_only=True)\n'
    'print(sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)))\n'
)


def run(command: list[str], env: dict) -> tuple[float, float, float]:
    """(seconds, peak MiB, CPU seconds) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f'{" ".join(command)} failed: {process.stderr.read().decode()[-2000:]}')
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lines', type=int, nargs='+', default=[10_000, 100_000])
    parser.add_argument('--runs', type=int, default=3)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='oversight-register-bench-')
    met = True
    try:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE='oversight.settings.dev')
        template = os.path.join(workdir, 'template.sqlite3')
        env['DATABASE_URL'] = f'sqlite:///{template}'
        sites = os.path.join(workdir, 'sites.xlsx')
        subprocess.run([OVERSIGHT, 'migrate', '-v0'], env=env, check=True)
        for lines in options.lines:
            equipment = os.path.join(workdir, f'equipment-{lines}.xlsx')
            register_data.write(sites, equipment, lines)
            if lines == options.lines[0]:
                subprocess.run([OVERSIGHT, 'import-register', BODY, sites, '--kind', 'sites'], env=env, check=True)
            size = os.path.getsize(equipment) / 1e6
            print(f'{lines:,} lines: {size:.1f} MB .xlsx')
            baseline, product = [], []
            for n in range(options.runs):
                baseline.append(run([PYTHON, '-c', READ, equipment], env))
                database = os.path.join(workdir, f'run-{n}.sqlite3')
                shutil.copy(template, database)
                product.append(
                    run(
                        [OVERSIGHT, 'import-register', BODY, equipment],
                        {**env, 'DATABASE_URL': f'sqlite:///{database}'},
                    )
                )
                os.remove(database)
            base_time, base_cpu = (statistics.median(run[i] for run in baseline) for i in (0, 2))
            product_time, product_cpu = (statistics.median(run[i] for run in product) for i in (0, 2))
            base_peak, product_peak = max(run[1] for run in baseline), max(run[1] for run in product)
            ratio = product_time / base_time
            print(
                f'  baseline openpyxl read: median {base_time:.2f} s ({base_cpu:.2f} s of CPU), '
                f'peak {base_peak:.0f} MiB'
            )
            print(
                f'  oversight import-register: median {product_time:.2f} s ({product_cpu:.2f} s of CPU), '
                f'peak {product_peak:.0f} MiB'
            )
            print(
                f'  ratio {ratio:.2f}, by CPU time {product_cpu / base_cpu:.2f} (target {RATIO_TARGET:g}x); '
                f'peak target {MEMORY_TARGET} MiB'
            )
            met = met and ratio <= RATIO_TARGET and product_peak <= MEMORY_TARGET
        print(f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
        return 0 if met else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
