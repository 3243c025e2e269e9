"""Benchmark: the discovery agent uploads a scan of 20,000 devices; a worker identifies and reconciles it.

    .venv/bin/python benchmarks/scan_upload.py [--devices 20000] [--runs 3] [--agents 12] [--postgres]

It makes a temporary SQLite database (or, with --postgres, a throwaway PostgreSQL server started as the
test suite's is), serves Oversight under gunicorn (two processes, as a small
deployment runs it) with one `oversight worker` beside it, and uploads what the agent sends
(`POST /discovery/api/scans/` with a scan token, JSON lines: the scan line, then each host that
answered, without the agent's identification), made from the emulated fleet's device kinds on
10.20.0.0/17. Alternating with the baseline, it times whole processes as they run:

- product: from the upload request until its task is done (`GET /api/jobs/{id}/` polled every 0.1 s):
  the request checks the token, the size and the scan line and keeps the upload; a real worker reads every
  line, identifies every device, stores them, and compares them with the register;
- baseline: a plain Python script (a process of its own) that loads the same JSON lines and inserts the
  same devices into the same table with sqlite3's executemany, in one transaction: storing them, nothing
  more;
- the upload request itself (answered `202 Accepted` with the task): target under 1 s (issue 13).

Then --agents bodies' agents upload such a scan at the same time (one thread each): it prints the
median and longest wait for the 202 and, with --wait-processed, how long until the worker had processed
every upload (one after another: about --agents times a single upload's processing).
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from tasks import oversight, serve, wait_until_up  # benchmarks/tasks.py: the same server and worker

NETWORK = '10.20.0.0/17'

SETUP = """
import json
from oversight.accounts.models import User
from oversight.api.actions import create_api_token
from oversight.discovery.actions import create_token
from oversight.organisations.models import Organisation
bodies = list(Organisation.objects.bodies().order_by('name')[:AGENTS])
tokens = []
for number, body in enumerate(bodies):
    editor = User.objects.create_user(
        username=f'editor{number}', password='x', organisation=body, role=User.Role.EDITOR
    )
    tokens.append(create_token(editor, body, 'Benchmark agent')[1])
regulator = User.objects.create_user(
    username='regulator', password='x', organisation=Organisation.objects.get(slug='obscc'), role=User.Role.REGULATOR
)
print(json.dumps({'scan_tokens': tokens, 'api_token': create_api_token(None, regulator)[1]}))
"""

# The baseline: the same devices stored by the simplest program that could, run as its own process.
BASELINE = """
import json, sqlite3, sys
from datetime import datetime, timezone
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
scan = json.loads(lines[0])['scan']
hosts = [json.loads(line) for line in lines[1:]]
database = sqlite3.connect(sys.argv[2])
with database:
    organisation = database.execute('SELECT id FROM organisations_organisation ORDER BY id LIMIT 1').fetchone()[0]
    now = datetime.now(timezone.utc).isoformat()
    scan_id = database.execute(
        "INSERT INTO discovery_scan (organisation_id, source, tool, filename, uploaded, scope, counts) "
        "VALUES (?, 'agent', ?, '', ?, ?, '{}')",
        (organisation, scan['tool'], now, json.dumps(scan['scope'])),
    ).lastrowid
    database.executemany(
        'INSERT INTO discovery_discovereddevice (scan_id, address, mac_address, manufacturer, model, firmware, '
        'serial_number, observed, sources, probes, services, errors, notes, maker, brand, confidence, designations, '
        "evidence, match, mismatches) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, '[]', '[]', '', '[]')",
        [
            (
                scan_id, h['address'], h['observed'].get('mac', ''), h['observed'].get('manufacturer', ''),
                h['observed'].get('model', ''), h['observed'].get('firmware', ''),
                h['observed'].get('serial_number', ''), json.dumps(h['observed']), json.dumps(h['sources']),
                json.dumps(h['probes']), json.dumps(h['services']), json.dumps(h['errors']), json.dumps(h['notes']),
            )
            for h in hosts
        ],
    )
print(len(hosts))
"""


def agent_upload(devices: int, run: int) -> bytes:
    """What `oversight discover --upload` sends for a scan where `devices` hosts answered."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / 'src'))
    from oversight.discovery.fleet.catalogue import benchmark_fleet

    started = f'2026-03-{run % 28 + 1:02d}T09:00:00+00:00'
    scan = {'started': started, 'finished': '', 'scope': [NETWORK], 'tool': 'oversight discover', 'organisation': ''}
    lines = [json.dumps({'scan': scan}, separators=(',', ':'))]
    for device in benchmark_fleet(NETWORK, devices):
        kind = device.kind
        host = {
            'schema': 1,
            'address': device.address,
            'state': 'up',
            'source': 'scan',
            'scanned_at': started,
            'elapsed': 0.4,
            'observed': {},
            'sources': {},
            'probes': {},
            'services': [{'port': 80, 'transport': 'tcp', 'protocol': 'http'}],
            'errors': [],
            'notes': [],
        }
        if kind.behaviour != 'normal':
            host['errors'] = [
                {'probe': 'http:80', 'message': 'closed the connection in the middle of the HTTP headers'}
            ]
        else:
            observed = {
                'manufacturer': kind.manufacturer,
                'model': kind.model,
                'firmware': kind.firmware,
                'serial_number': device.serial,
                'mac': device.mac,
                'http_server': kind.http_server,
                'html_title': kind.title,
                'rtsp_server': kind.rtsp_server,
                'onvif_scopes': device.scopes,
            }
            host['observed'] = {name: value for name, value in observed.items() if value}
            host['sources'] = dict.fromkeys(host['observed'], 'onvif')
            host['probes'] = {
                'onvif': {name: host['observed'][name] for name in ('manufacturer', 'model', 'firmware')},
                'wsd:3702': {'scopes': device.scopes, 'xaddrs': [f'http://{device.address}/onvif/device_service']},
            }
            host['services'] += [
                {'port': 554, 'transport': 'tcp', 'protocol': 'rtsp'},
                {'port': 3702, 'transport': 'udp', 'protocol': 'wsd'},
            ]
        lines.append(json.dumps(host, separators=(',', ':')))
    return ('\n'.join(lines) + '\n').encode()


def call(base: str, method: str, path: str, headers: dict, body: bytes | None = None):
    request = urllib.request.Request(f'{base}{path}', data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.status, json.loads(response.read())


def upload(base: str, scan_token: str, body: bytes) -> tuple[float, int, dict | None]:
    """The request's time, its status and its task. A refusal is recorded, not raised: 409 on SQLite when a
    write lost the race for the lock; 500, or 0 for a connection closed unanswered, when gunicorn stopped
    the request at its 30 s time-out."""
    headers = {'Authorization': f'Bearer {scan_token}', 'Content-Type': 'application/x-ndjson'}
    started = time.perf_counter()
    try:
        status, answer = call(base, 'POST', '/discovery/api/scans/', headers, body)
    except urllib.error.HTTPError as exc:
        return time.perf_counter() - started, exc.code, None
    except ConnectionError:  # gunicorn killed the process serving it (its time-out) before it answered
        return time.perf_counter() - started, 0, None
    assert status == 202, answer
    return time.perf_counter() - started, status, answer


def wait_done(base: str, api_token: str, task: int) -> None:
    while True:
        try:
            _, job = call(base, 'GET', f'/api/jobs/{task}/', {'Authorization': f'Token {api_token}'})
        except urllib.error.HTTPError as exc:
            # On SQLite the worker's transaction holds the one write lock; a token's last-use stamp waits for
            # it and, past the busy timeout, the API says 409: ask again, as a client does.
            if exc.code != 409:
                raise
            time.sleep(0.1)
            continue
        if job['status'] in ('done', 'failed'):
            assert job['status'] == 'done', job['errors']
            return
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--devices', type=int, default=20_000, help='hosts that answered, in each scan')
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--agents', type=int, default=12, help='agents uploading at the same time (0: none)')
    parser.add_argument('--postgres', action='store_true', help='serve from a throwaway PostgreSQL server')
    parser.add_argument(
        '--wait-processed', action='store_true', help='also time until the worker has processed every agent upload'
    )
    options = parser.parse_args()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix='oversight-scans-'))
    server_db = None
    database = f'sqlite:///{workdir / "oversight.sqlite3"}'
    if options.postgres:
        from oversight.testing.postgres import DATABASE, ROLE, ThrowawayServer, find_bin_dir

        server_db = ThrowawayServer(find_bin_dir())
        database = server_db.start()
        server_db._run('createdb', '-h', str(server_db.root), '-U', ROLE, DATABASE)
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.test',
        'DATABASE_URL': database,
        'OVERSIGHT_TASKS_BACKEND': 'django_tasks_db.DatabaseBackend',
        'OVERSIGHT_TASK_HEARTBEAT_SECONDS': '10',
    }
    oversight(env, 'migrate', '-v0')
    made = json.loads(
        oversight(env, 'shell', '-c', SETUP.replace('AGENTS', str(max(1, options.agents)))).splitlines()[-1]
    )
    scan_tokens, api_token = made['scan_tokens'], made['api_token']
    # The baseline writes into an SQLite file of the same schema, copied afresh for each run.
    pristine = workdir / 'baseline.sqlite3'
    oversight({**env, 'DATABASE_URL': f'sqlite:///{pristine}'}, 'migrate', '-v0')
    # Each run and each agent its own scan: the same bytes again would be answered as a replay (200).
    uploads = [agent_upload(options.devices, number) for number in range(options.runs + options.agents)]
    size = len(uploads[0]) / 1e6
    base, server, worker = serve(env)
    requests, products, baselines = [], [], []
    try:
        wait_until_up(base)
        time.sleep(3)  # the second web process finishes starting, rather than during the first timed run
        for run in range(options.runs):
            scan_file = workdir / f'scan-{run}.jsonl'
            scan_file.write_bytes(uploads[run])
            target = workdir / f'baseline-{run}.sqlite3'
            shutil.copy(pristine, target)
            started = time.perf_counter()
            subprocess.run([sys.executable, '-c', BASELINE, scan_file, target], check=True, stdout=subprocess.DEVNULL)
            baselines.append(time.perf_counter() - started)
            target.unlink()

            started = time.perf_counter()
            answered, status, task = upload(base, scan_tokens[0], uploads[run])
            assert task is not None, f'the upload was refused: HTTP {status}'
            wait_done(base, api_token, task['task'])
            products.append(time.perf_counter() - started)
            requests.append(answered)
            print(
                f'run {run + 1}: request {answered:.2f} s, processed after {products[-1]:.1f} s; '
                f'baseline {baselines[-1]:.2f} s',
                flush=True,
            )
        if options.agents:
            waits, statuses, tasks = [0.0] * options.agents, [0] * options.agents, [None] * options.agents

            def agent(number: int) -> None:
                waits[number], statuses[number], answer = upload(
                    base, scan_tokens[number], uploads[options.runs + number]
                )
                tasks[number] = answer and answer['task']

            started = time.perf_counter()
            threads = [threading.Thread(target=agent, args=(n,)) for n in range(options.agents)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if options.wait_processed:
                for task in tasks:
                    if task:
                        wait_done(base, api_token, task)
            everything = time.perf_counter() - started
    finally:
        server.terminate()
        worker.kill()  # it may be in the middle of an upload nobody waits for any more
        server.wait(timeout=30)
        worker.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
        if server_db is not None:
            server_db.stop()
    product, baseline, request = statistics.median(products), statistics.median(baselines), statistics.median(requests)
    served = 'PostgreSQL' if options.postgres else 'SQLite'
    print(f'{served}: {options.devices:,} devices a scan ({size:.1f} MB), {options.runs} runs alternated (medians)')
    print(f'product  (upload until processed by the worker):    {product:.1f} s')
    print(f'baseline (the same rows stored by sqlite3 executemany): {baseline:.2f} s')
    print(f'ratio: {product / baseline:.1f}x')
    print(f'the upload request (202): {request:.2f} s; target under 1 s: {"met" if request < 1 else "NOT met"}')
    if options.agents:
        print(
            f'{options.agents} agents at once: an answer after a median {statistics.median(waits):.1f} s '
            f'(longest {max(waits):.1f} s); answers: '
            + ', '.join(f'{statuses.count(code)} × {code}' for code in sorted(set(statuses)))
            + (f'; all accepted processed after {everything:.0f} s' if options.wait_processed else '')
        )


if __name__ == '__main__':
    main()
