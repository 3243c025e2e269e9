"""Pages as a person meets them: a running server answering HTTP, each page alternated with a trivial one.

    DATABASE_URL=sqlite:////tmp/pages.sqlite3 .venv/bin/python benchmarks/pages.py [--runs 15] [--pages NAME,...]
    .venv/bin/python benchmarks/pages.py --build 2000 1000000 100000 --postgres

Either point DATABASE_URL at a database benchmarks/pages_data.py built, or give --build BODIES LINES
BODY_LINES to build one first in a throwaway SQLite file, or with --postgres in a throwaway PostgreSQL
server (started as the test suite's is: fsync off, which a read-only benchmark does not notice). This
serves it with gunicorn on 127.0.0.1
(production settings less TLS, benchmarks/load/load_settings.py; 2 workers, as the 2-core machine has)
with one `oversight worker` beside it,
signs in as `regulator` and as `kent`, and requests each page --runs times, alternating with the
baseline: the sign-in page from the same server (a page that reads no register). It prints, per page,
the first request's time (the cold cache), the median and p95 of the others, the median ratio to the
baseline and the page's size. Targets (issue 13): p95 < 500 ms and < 300 KB.

--restarts N measures what the first request to a web process costs, the case a kept evaluation cannot
help: Kent's policy page and the regulator's across bodies are stored as the worker stores them
(policy.stored), then N times over, for each, a new server is started and its first request for the page
timed, alternately with the stored page current and with it out of date (as before it existed: the page
works the register out itself). With --pages, those pages follow.

--after-write N then measures Kent's policy page N times after a change to Kent's register: each time a
line is added through `register.actions.create_line` (an audited write, as a web request or a worker's
import makes), the page is requested --settle seconds later (the time a person takes to get there), and
its time is printed against the same page kept: the first request after a change evaluates the register.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / 'load'))
from run import free_port, start_gunicorn, stop, wait_until_up  # noqa: E402

PASSWORD = 'Pages-benchmark-2026'
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# (name, user, path): the long lists of the regulator and of a body with a large register.
PAGES = [
    ('register (regulator)', 'regulator', '/register/'),
    ('register filtered by body', 'regulator', '/register/?organisation={kent_id}'),
    ('sites (regulator)', 'regulator', '/register/sites/'),
    ('systems (regulator)', 'regulator', '/register/systems/'),
    ('API equipment (regulator)', 'regulator', '/api/register/equipment/'),
    ('policy (regulator)', 'regulator', '/policy/'),
    ('register page 1000 (regulator)', 'regulator', '/register/?cursor={deep}'),
    ('API page 1000 (regulator)', 'regulator', '/api/register/equipment/?cursor={deep}'),
    ('register (Kent)', 'kent', '/register/'),
    ('policy (Kent)', 'kent', '/policy/kent-police/'),
    ('policy plan page 20 (Kent)', 'kent', '/policy/kent-police/?p-page=20'),
]


def sign_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    token = CSRF.search(client.get('/accounts/login/').text).group(1)
    response = client.post(
        '/accounts/login/', data={'csrfmiddlewaretoken': token, 'login': username, 'password': PASSWORD}
    )
    if 'sessionid' not in str(client.cookies) and 'oversight-session' not in str(client.cookies):
        raise SystemExit(f'could not sign in as {username}: {response.status_code}')
    return client


class Failed(Exception):
    pass


def timed(client: httpx.Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        response = client.get(path)
    except httpx.HTTPError as exc:
        raise Failed(f'{type(exc).__name__} after {time.perf_counter() - started:.0f} s') from exc
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        # gunicorn answers 500 (or drops the connection) when a worker passes its 30 s time-out.
        raise Failed(f'HTTP {response.status_code} after {elapsed:.0f} s')
    return elapsed, len(response.content)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def kent_id() -> int:
    from oversight.organisations.models import Organisation

    return Organisation.objects.get(name='Kent Police').pk


def deep_cursor(page: int = 1000, per_page: int = 50) -> str:
    """The cursor the Next link of page `page - 1` carries (found here by OFFSET, once, untimed)."""
    from oversight.core import pagination
    from oversight.register.models import EquipmentLine

    lines = EquipmentLine.objects.as_listed()
    ordering = pagination.ordering_of(lines)
    last = lines.order_by(*ordering)[(page - 1) * per_page - 1]
    return pagination.cursor_from(pagination.FORWARD, ordering, last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--runs', type=int, default=15)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--pages', help='comma-separated page names to run (default: all)')
    parser.add_argument('--build', nargs=3, type=int, metavar=('BODIES', 'LINES', 'BODY_LINES'))
    parser.add_argument('--postgres', action='store_true', help='build in a throwaway PostgreSQL server')
    parser.add_argument('--after-write', type=int, default=0, metavar='N', help="Kent's policy page after N writes")
    parser.add_argument('--settle', type=float, default=10, help='seconds between a write and the request (10)')
    parser.add_argument('--restarts', type=int, default=0, metavar='N', help='stored policy pages first, N times')
    args = parser.parse_args()
    if args.postgres and not args.build:
        sys.exit('--postgres needs --build.')
    if not args.build and 'DATABASE_URL' not in os.environ:
        sys.exit('Set DATABASE_URL to the database benchmarks/pages_data.py built, or give --build.')
    database = None
    try:
        if args.build:
            database = build(args)
        run(args)
    finally:
        if database is not None:
            database()


def build(args):
    """Build the register in a throwaway database; return what removes it."""
    if args.postgres:
        from oversight.testing.postgres import DATABASE, ROLE, ThrowawayServer, find_bin_dir

        server = ThrowawayServer(find_bin_dir())
        os.environ['DATABASE_URL'] = server.start()
        server._run('createdb', '-h', str(server.root), '-U', ROLE, DATABASE)
        remove = server.stop
    else:
        folder = tempfile.mkdtemp(prefix='oversight-pages-')
        os.environ['DATABASE_URL'] = f'sqlite:///{folder}/pages.sqlite3'

        def remove():
            shutil.rmtree(folder, ignore_errors=True)

    bodies, lines, body_lines = args.build
    command = [sys.executable, str(HERE / 'pages_data.py'), '--bodies', str(bodies), '--lines', str(lines)]
    try:
        subprocess.run([*command, '--body-lines', str(body_lines)], check=True)
    except BaseException:
        remove()
        raise
    return remove


def run(args) -> None:
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings.dev')
    import django

    django.setup()
    kent, deep = kent_id(), deep_cursor()
    port = free_port()
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'load_settings',
        'PYTHONPATH': os.pathsep.join([str(HERE / 'load'), str(HERE.parent / 'src')]),  # this checkout's code
        'OVERSIGHT_SECRET_KEY': 'pages-benchmark-' + 'x7Qz3' * 10,
        'OVERSIGHT_ALLOWED_HOSTS': '127.0.0.1',
    }
    if args.restarts:
        restarts(env, args)
        if not args.pages:
            return
    server = start_gunicorn(env, port, args.workers, 1)
    # One worker beside it, as a deployment runs: it stores a large body's policy page when a request asks.
    worker = subprocess.Popen(
        [sys.executable, '-m', 'oversight.manage', 'worker', '--no-reload', '--interval', '0.5'],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f'http://127.0.0.1:{port}'
        wait_until_up(base)
        clients = {name: sign_in(base, name) for name in ('regulator', 'kent')}
        anonymous = httpx.Client(base_url=base, timeout=120)
        wanted = set(args.pages.split(',')) if args.pages else None
        print(f'{"page":30} {"first":>8} {"median":>8} {"p95":>8} {"baseline":>9} {"ratio":>7} {"size":>9}')
        for name, user, path in PAGES:
            if wanted and name not in wanted:
                continue
            path = path.format(kent_id=kent, deep=deep)
            try:
                first, size = timed(clients[user], path)
                product, baseline = [], []
                for _ in range(args.runs):
                    baseline.append(timed(anonymous, '/accounts/login/')[0])
                    product.append(timed(clients[user], path)[0])
            except Failed as exc:
                print(f'{name:30} failed: {exc}', flush=True)
                continue
            median, base_median = statistics.median(product), statistics.median(baseline)
            print(
                f'{name:30} {first * 1000:7.0f}ms {median * 1000:7.0f}ms {p95(product) * 1000:7.0f}ms '
                f'{base_median * 1000:8.1f}ms {median / base_median:6.1f}x {size / 1024:7.0f}KB',
                flush=True,
            )
        if args.after_write:
            after_write(clients['kent'], args.after_write, args.settle)
    finally:
        stop(server)
        worker.terminate()
        worker.wait(timeout=60)


def restarts(env: dict, args) -> None:
    from oversight.organisations.models import Organisation
    from oversight.policy import stored
    from oversight.policy.models import StoredEvaluation

    kent = Organisation.objects.get(name='Kent Police')
    for name, organisation, user, path in [
        ('policy (Kent)', kent, 'kent', '/policy/kent-police/'),
        ('policy (regulator)', None, 'regulator', '/policy/'),
    ]:
        held = StoredEvaluation.objects.filter(organisation=organisation)
        held.delete()
        started = time.perf_counter()
        if stored.work_out(organisation) is None:
            print(f'{name}: not stored (too few lines, or across bodies too many)', flush=True)
            continue
        print(f'{name}: the worker stored it in {time.perf_counter() - started:.1f} s', flush=True)
        engine = held.get().engine
        times: dict[str, list] = {'stored': [], 'worked out': []}
        for _ in range(args.restarts):
            for variant in times:
                # Out of date (another release's), the page is worked out in the request (a worker would be
                # asked; none runs here).
                held.update(engine=engine if variant == 'stored' else 'another release')
                port = free_port()
                server = start_gunicorn(env, port, args.workers, 1)
                try:
                    base = f'http://127.0.0.1:{port}'
                    wait_until_up(base)
                    times[variant].append(timed(sign_in(base, user), path)[0])
                finally:
                    stop(server)
                print(f'{name} {variant}: first request {times[variant][-1] * 1000:.0f} ms', flush=True)
        held.update(engine=engine)
        product, baseline = statistics.median(times['stored']), statistics.median(times['worked out'])
        print(
            f'{name}, first request to a new server: stored median {product * 1000:.0f} ms '
            f'(p95 {p95(times["stored"]) * 1000:.0f}); worked out in the request median {baseline * 1000:.0f} ms '
            f'(p95 {p95(times["worked out"]) * 1000:.0f}); ratio {product / baseline:.2f}',
            flush=True,
        )


def after_write(client: httpx.Client, rounds: int, settle: float) -> None:
    from oversight.accounts.models import User
    from oversight.register.actions import create_line
    from oversight.register.models import EquipmentLine

    kent = User.objects.get(username='kent')
    example = EquipmentLine.objects.filter(organisation=kent.organisation).select_related('site', 'system').first()
    path = '/policy/kent-police/'
    timed(client, path)  # kept by the process this client's connection reaches
    kept, after = [], []
    for number in range(rounds):
        kept.append(timed(client, path)[0])
        create_line(
            kent,
            kent.organisation,
            site=example.site,
            system=example.system,
            manufacturer_declared='Hikvision',
            model=f'DS-2CD2143G2-I benchmark {number}',
            quantity=1,
        )
        time.sleep(settle)
        after.append(timed(client, path)[0])
        print(f'write {number + 1}: the page {settle:g} s later took {after[-1] * 1000:.0f} ms', flush=True)
    median, base = statistics.median(after), statistics.median(kept)
    print(
        f'policy (Kent) {settle:g} s after a write: median {median * 1000:.0f} ms, p95 {p95(after) * 1000:.0f} ms, '
        f'max {max(after) * 1000:.0f} ms; kept: median {base * 1000:.0f} ms, p95 {p95(kept) * 1000:.0f} ms; '
        f'ratio {median / base:.1f}x'
    )


if __name__ == '__main__':
    main()
