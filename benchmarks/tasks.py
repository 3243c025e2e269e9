"""Benchmark: a request that starts a long import answers at once, and a worker does the import.

    .venv/bin/python benchmarks/tasks.py [--rows N] [--runs R]

It makes a temporary SQLite database, serves Oversight under gunicorn (two processes, as a small
deployment runs it) with one `oversight worker` beside it, and for each run uploads a new register file
of N sites through the API, then times, as a program using the API sees them:

- product: the commit request (`POST /api/register/imports/{id}/commit/`), answered `202 Accepted`;
- baseline: from that request until its task is done (`GET /api/jobs/{id}/` polled every 0.1 s), which is
  the work the request used to wait for before it ran in a worker (and died at gunicorn's 30 s limit).

It prints the median of each and their ratio. Target (issue 13): the request answers in under 1 s.
"""

import argparse
import json
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

SETUP = """
import json
from oversight.accounts.models import User
from oversight.api.actions import create_api_token
from oversight.organisations.models import Organisation
kent = Organisation.objects.get(name='Kent Police')
editor = User.objects.create_user(username='editor', password='x', organisation=kent, role=User.Role.EDITOR)
print(json.dumps({'token': create_api_token(None, editor)[1]}))
"""


def oversight(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, '-m', 'oversight.manage', *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return done.stdout


def request(base: str, token: str, method: str, path: str, body: bytes | None = None, content_type: str = ''):
    headers = {'Authorization': f'Token {token}'}
    if content_type:
        headers['Content-Type'] = content_type
    call = urllib.request.Request(f'{base}{path}', data=body, method=method, headers=headers)
    with urllib.request.urlopen(call, timeout=600) as response:
        return response.status, json.loads(response.read())


def upload(base: str, token: str, name: str, content: bytes) -> int:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nsites\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        'Content-Type: text/csv\r\n\r\n'.encode(),
        content,
        f'\r\n--{boundary}--\r\n'.encode(),
    ]
    status, answer = request(
        base, token, 'POST', '/api/register/imports/', b''.join(parts), f'multipart/form-data; boundary={boundary}'
    )
    assert status == 201, answer
    return answer['id']


def sites_file(run: int, rows: int) -> bytes:
    lines = ''.join(f'Run {run} depot {n},{n} Dock Road,,other,no\n' for n in range(rows))
    return ('name,address,postcode,kind,sensitive\n' + lines).encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def serve(env: dict) -> tuple[str, subprocess.Popen, subprocess.Popen]:
    """gunicorn (two processes, as a small deployment runs it) and one `oversight worker` beside it."""
    port = free_port()
    gunicorn = pathlib.Path(sys.executable).with_name('gunicorn')
    quiet = {'stdout': subprocess.DEVNULL, 'stderr': subprocess.DEVNULL, 'env': env}
    server = subprocess.Popen([gunicorn, 'oversight.wsgi', '-b', f'127.0.0.1:{port}', '-w', '2'], **quiet)
    worker = subprocess.Popen(
        [sys.executable, '-m', 'oversight.manage', 'worker', '--no-reload', '--interval', '0.1'], **quiet
    )
    return f'http://127.0.0.1:{port}', server, worker


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f'{base}/accounts/login/', timeout=2)
            return
        except OSError:
            time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', type=int, default=20_000, help='sites in each file (default 20,000)')
    parser.add_argument('--runs', type=int, default=5)
    options = parser.parse_args()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix='oversight-tasks-'))
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.test',
        'DATABASE_URL': f'sqlite:///{workdir / "oversight.sqlite3"}',
        'OVERSIGHT_TASKS_BACKEND': 'django_tasks_db.DatabaseBackend',
        'OVERSIGHT_TASK_HEARTBEAT_SECONDS': '10',
    }
    oversight(env, 'migrate', '-v0')
    token = json.loads(oversight(env, 'shell', '-c', SETUP).splitlines()[-1])['token']
    base, server, worker = serve(env)
    requests, works = [], []
    try:
        wait_until_up(base)
        for run in range(options.runs):
            batch = upload(base, token, f'run-{run}.csv', sites_file(run, options.rows))
            started = time.perf_counter()
            commit = f'/api/register/imports/{batch}/commit/'
            status, job = request(base, token, 'POST', commit, b'{}', 'application/json')
            answered = time.perf_counter()
            assert status == 202, job
            while job['status'] not in ('done', 'failed'):
                time.sleep(0.1)
                _, job = request(base, token, 'GET', f'/api/jobs/{job["id"]}/')
            assert job['status'] == 'done', job['errors']
            requests.append(answered - started)
            works.append(time.perf_counter() - started)
            print(f'run {run + 1}: request {requests[-1]:.3f} s, import done after {works[-1]:.1f} s', flush=True)
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=60)
    product, baseline = statistics.median(requests), statistics.median(works)
    print(f'{options.rows:,} sites, {options.runs} runs (medians)')
    print(f'product  (the commit request, 202):          {product:.3f} s')
    print(f'baseline (the import the request waited for): {baseline:.1f} s')
    print(f'ratio: {product / baseline:.3f}; target: the request under 1 s ({"met" if product < 1 else "NOT met"})')


if __name__ == '__main__':
    main()
