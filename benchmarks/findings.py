"""Benchmark a national-scale campaign: `import-returns` against sqlite3's own `.import`, then the findings.

    .venv/bin/python benchmarks/findings.py [--bodies N] [--seed S] [--profile]

It makes a temporary SQLite database (DATABASE_URL) and migrates it, adds the bodies, and generates the
campaign as an interchange file (benchmarks/findings_data.py: 5,000 bodies, 8 categories, about 150,000
manufacturer lines). Then, from this one run, it times

- the baseline: the sqlite3 command-line shell's `.import --csv` of the same file into a table of a new
  database (Debian's sqlite3 package, installed with apt-get first if it is missing);
- `oversight import-returns` of the file into a new campaign (the command as a person runs it, in process);
- the findings: `campaign_findings`, what `oversight findings` computes, and the whole report data.

It prints the ratio of import-returns time to the baseline's, and the findings time. Targets (issue 4):
the import within 5x the baseline, the findings under 1 second. --profile prints where the import's time goes.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import findings_data

IMPORT_TARGET, FINDINGS_TARGET = 5.0, 1.0


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def _install_sqlite3() -> str:
    """Install Debian's sqlite3 shell (the baseline) when it is missing, as the Makefile installs its packages."""
    print("The sqlite3 shell is missing: installing Debian's sqlite3 package.")
    sudo = [] if os.geteuid() == 0 else ['sudo']
    subprocess.run([*sudo, 'apt-get', 'install', '-y', '-qq', 'sqlite3'], check=False)
    shell = shutil.which('sqlite3')
    if shell is None:
        raise SystemExit('Could not install the sqlite3 shell: apt-get install sqlite3, then run again.')
    return shell


def sqlite_import(csv_path: str, workdir: str) -> tuple[float, float]:
    """(seconds, CPU seconds) the sqlite3 shell takes to .import the CSV into a new table, as a person runs it."""
    shell = shutil.which('sqlite3') or _install_sqlite3()
    database = os.path.join(workdir, 'baseline.sqlite3')
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([shell, database, '.import --csv ' + csv_path + ' returns'], check=True)
    elapsed, elapsed_cpu = time.perf_counter() - started, _children_cpu() - cpu
    count = subprocess.run(
        [shell, database, 'select count(*) from returns'], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f'baseline: sqlite3 .import of {int(count):,} rows in {elapsed:.2f} s ({elapsed_cpu:.2f} s of CPU)')
    return elapsed, elapsed_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bodies', type=int, default=5000)
    parser.add_argument('--seed', type=int, default=2024)
    parser.add_argument('--profile', action='store_true', help='Profile the import and print the top functions.')
    options = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='oversight-findings-bench-')
    try:
        os.environ['DATABASE_URL'] = f'sqlite:///{workdir}/oversight.sqlite3'
        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings.dev')
        import django

        django.setup()
        from django.core.management import call_command, load_command_class

        from oversight.findings import report
        from oversight.findings.engine import campaign_findings
        from oversight.organisations.models import Organisation
        from oversight.surveys.models import Campaign

        started = time.perf_counter()
        call_command('migrate', verbosity=0)
        names = findings_data.body_names(options.bodies)
        Organisation.objects.bulk_create(
            Organisation(name=name, slug=f'bench-{n}', kind=Organisation.Kind.OTHER) for n, name in enumerate(names)
        )
        print(f'migrated a temporary database and added {len(names):,} bodies in {time.perf_counter() - started:.1f} s')

        csv_path, recipients = os.path.join(workdir, 'returns.csv'), os.path.join(workdir, 'recipients.txt')
        started = time.perf_counter()
        rows, lines = findings_data.write(csv_path, recipients, options.bodies, options.seed)
        size = os.path.getsize(csv_path) / 1e6
        elapsed = time.perf_counter() - started
        print(f'generated {rows:,} rows, {lines:,} manufacturer lines ({size:.0f} MB) in {elapsed:.1f} s')

        baseline, baseline_cpu = sqlite_import(csv_path, workdir)

        # The command's module (and openpyxl, which core.exports imports) loads once per process: load it
        # before the clock starts, so the time is the import's work, as sqlite3's is.
        load_command_class('oversight.surveys', 'import-returns')
        out = io.StringIO()
        profile = cProfile.Profile() if options.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        call_command(
            'import-returns',
            'bench-2024',
            csv_path,
            '--recipients',
            recipients,
            '--deadline',
            '2024-08-30T17:00',
            stdout=out,
        )
        if profile:
            profile.disable()
        imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f'import-returns: {out.getvalue().strip()} in {imported:.2f} s ({imported_cpu:.2f} s of CPU)')
        ratio = imported / baseline
        verdict = 'met' if ratio <= IMPORT_TARGET else 'NOT met'
        print(
            f'ratio import-returns / sqlite3 .import: {ratio:.2f} (target {IMPORT_TARGET:g}x: {verdict}); '
            f'by CPU time {imported_cpu / baseline_cpu:.2f}'
        )
        if profile:
            stats = io.StringIO()
            pstats.Stats(profile, stream=stats).sort_stats('cumulative').print_stats(25)
            print(stats.getvalue())

        campaign = Campaign.objects.select_related('concern_list').get(slug='bench-2024')
        timings = []
        for _ in range(5):
            started, cpu = time.perf_counter(), time.process_time()
            found = campaign_findings(campaign)
            timings.append((time.perf_counter() - started, time.process_time() - cpu))
        best, best_cpu = min(timings)
        print(
            f'findings (campaign_findings, best of 5): {best:.3f} s ({best_cpu:.3f} s of CPU) for '
            f'{found.counted.respondents:,} returns; drones {found.categories["drone"].with_concern:,} of '
            f'{found.categories["drone"].operating:,} operating with equipment of concern'
        )
        print(f'target {FINDINGS_TARGET:g} s: {"met" if best < FINDINGS_TARGET else "NOT met"}')
        started = time.perf_counter()
        report.build(campaign)
        print(f'whole report data (both bases, series, updates): {time.perf_counter() - started:.3f} s')
        if options.profile:
            profile = cProfile.Profile()
            profile.runcall(campaign_findings, campaign)
            stats = io.StringIO()
            pstats.Stats(profile, stream=stats).sort_stats('cumulative').print_stats(30)
            print(stats.getvalue())
        print(f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
        return 0 if ratio <= IMPORT_TARGET and best < FINDINGS_TARGET else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
