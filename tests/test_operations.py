"""Running Oversight as an operations team does: probes, request ids, logs, metrics, static files, settings.

The first tests run in the test process; `node` then serves Oversight as production does, under gunicorn
with gunicorn.conf.py and the production settings (one node on SQLite, OVERSIGHT_SINGLE_NODE=1), with
static files collected by the production storage. tests/test_two_nodes.py does the same on PostgreSQL
with two nodes and a worker.
"""

import gzip
import importlib.util
import io
import json
import logging
import os
import pathlib
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import brotli
import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from oversight.core import health
from oversight.core.logs import JsonFormatter, RequestIdFilter
from oversight.jobs.models import Job
from oversight.register import actions as register_actions
from oversight.register.imports import read_batch
from oversight.register.models import ImportBatch, Site

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
HEX_ID = re.compile(r'[0-9a-f]{32}')

pytest_plugins = ['deployment_fixtures']  # the collected static files


# Probes


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: a query here would fail the test ("Database access not allowed").
    response = client.get('/healthz')
    assert response.status_code == 200 and response.content == b'ok\n'
    assert response['Cache-Control'] == 'no-store'


def test_readyz_needs_every_migration_and_the_task_queue(db, client, caplog):
    assert client.get('/readyz').content == b'ready\n'
    app, name = sorted(health.shipped_migrations())[0]
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    with caplog.at_level(logging.WARNING, logger='oversight.core.health'):
        response = client.get('/readyz')
    # The reason is for the operator's log; the probe's answer says nothing about the service.
    assert response.status_code == 503 and response.content == b'not ready\n'
    assert f'migrations not applied: {app}.{name}' in caplog.text
    MigrationRecorder.Migration.objects.create(app=app, name=name)
    assert client.get('/readyz').status_code == 200
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE {table} RENAME TO gone_for_the_test')
    assert client.get('/readyz').status_code == 503
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE gone_for_the_test RENAME TO {table}')


@override_settings(ALLOWED_HOSTS=['oversight.example.org'], SECURE_SSL_REDIRECT=True)
def test_probes_answer_by_the_nodes_address_over_plain_http(db):
    by_address = Client(HTTP_HOST='10.42.0.7')
    assert by_address.get('/healthz').status_code == 200
    assert by_address.get('/readyz').status_code == 200
    assert by_address.get('/metrics').status_code == 404  # no token configured: no metrics page at all
    # Everything else still has the host check and the redirect to HTTPS.
    assert by_address.get('/accounts/login/').status_code == 400
    assert Client(HTTP_HOST='oversight.example.org').get('/accounts/login/').status_code == 301


def test_metrics_are_only_for_the_bearer_of_the_token(db, client_for, regulator, settings):
    Job.objects.create(kind=Job.Kind.SCAN, description='Waiting')
    Job.objects.create(kind=Job.Kind.SCAN, description='Broke', status=Job.Status.FAILED)
    signed_in = client_for(regulator)
    assert signed_in.get('/metrics').status_code == 404
    settings.OVERSIGHT_METRICS_TOKEN = 'metrics-' + secrets.token_urlsafe(24)
    assert signed_in.get('/metrics').status_code == 404  # signing in is not the token
    assert signed_in.get('/metrics', HTTP_AUTHORIZATION='Bearer wrong').status_code == 404
    signed_in.get('/')  # a page, so request latency has something to show
    response = Client().get('/metrics', HTTP_AUTHORIZATION=f'Bearer {settings.OVERSIGHT_METRICS_TOKEN}')
    text = response.content.decode()
    assert response.status_code == 200 and response['Content-Type'].startswith('text/plain')
    assert 'oversight_tasks{status="queued"} 1.0' in text and 'oversight_tasks{status="failed"} 1.0' in text
    assert 'oversight_tasks_stopped 0.0' in text and 'oversight_tasks_oldest_queued_seconds' in text
    assert 'django_http_requests_latency_seconds_by_view_method_bucket{le="0.01",method="GET",view="core:home"}' in text


# Request ids and logs


def test_the_request_id_is_echoed_and_carried_into_the_work_the_request_queued(
    client_for, editor_a, body_a, caplog, django_capture_on_commit_callbacks
):
    content = b'name,address,postcode,kind,sensitive\nDover Port,1 Dock Road,,custody,yes\n'
    batch = register_actions.upload_import(editor_a, body_a, ImportBatch.Kind.SITES, 'sites.csv', content)
    client = client_for(editor_a)
    caplog.handler.addFilter(RequestIdFilter())
    # The task runs after the request has finished (on commit): only the id it was queued with joins them.
    with (
        caplog.at_level(logging.INFO, logger='oversight.jobs.runner'),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse('register:import_commit', args=[batch.pk]),
            {'fingerprint': read_batch(batch).fingerprint},
            HTTP_X_REQUEST_ID='proxy-7f3a.2',
        )
    assert response['X-Request-ID'] == 'proxy-7f3a.2'
    assert Site.objects.filter(name='Dover Port').exists()
    task_lines = [r for r in caplog.records if r.name == 'oversight.jobs.runner']
    assert [r.getMessage().split(': ')[0].rsplit(' ', 1)[-1] for r in task_lines] == ['started', 'done']
    assert {r.request_id for r in task_lines} == {'proxy-7f3a.2'}


@pytest.mark.parametrize('offered', ['', 'has space', 'x' * 129, 'line\nbreak', '-leading-dash', 'ünïcode'])
def test_a_request_id_that_is_not_sane_is_replaced(db, client, offered):
    response = client.get('/healthz/', HTTP_X_REQUEST_ID=offered)  # not a probe: the whole stack
    assert HEX_ID.fullmatch(response['X-Request-ID'])


def test_json_log_lines_carry_the_request_id_extras_and_the_traceback():
    record = logging.makeLogRecord(
        {'name': 'oversight.x', 'levelno': 40, 'levelname': 'ERROR', 'msg': 'Broke %s', 'args': ('it',), 'job': 7}
    )
    record.request_id = 'abc-1'
    try:
        raise ValueError('why')
    except ValueError:
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line['message'] == 'Broke it' and line['level'] == 'ERROR' and line['request_id'] == 'abc-1'
    assert line['job'] == 7 and 'ValueError: why' in line['exception'] and line['time'].endswith('+00:00')


# Production settings: a missing or bad setting stops start-up naming it


def production_env(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.production',
        'OVERSIGHT_SECRET_KEY': secrets.token_urlsafe(64),
        'OVERSIGHT_ALLOWED_HOSTS': 'oversight.example.org',
        'OVERSIGHT_VAR_DIR': str(tmp_path / 'var'),
        'DATABASE_URL': f'sqlite:///{tmp_path / "oversight.sqlite3"}',
        'OVERSIGHT_SINGLE_NODE': '1',
        'OVERSIGHT_LOG_LEVEL': 'WARNING',
    }
    env.pop('DJANGO_ALLOW_ASYNC_UNSAFE', None)
    env.update(extra)
    return env


def oversight(env, *args, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / 'oversight', *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(
    ('override', 'message'),
    [
        (
            {'OVERSIGHT_SINGLE_NODE': ''},
            'DATABASE_URL must name a PostgreSQL database in production (it is unset or names SQLite). '
            'To run a single node on SQLite on purpose, set OVERSIGHT_SINGLE_NODE=1.',
        ),
        ({'OVERSIGHT_SINGLE_NODE': 'perhaps'}, "OVERSIGHT_SINGLE_NODE must be true or false (1 or 0), not 'perhaps'"),
        ({'DATABASE_URL': 'oracle-ish://db/oversight'}, 'DATABASE_URL is not a database address Oversight can use'),
        ({'OVERSIGHT_PROXY_COUNT': 'two'}, "OVERSIGHT_PROXY_COUNT must be a whole number, not 'two'"),
        ({'OVERSIGHT_CONN_MAX_AGE': '1m'}, "OVERSIGHT_CONN_MAX_AGE must be a whole number, not '1m'"),
        ({'OVERSIGHT_EMAIL_PORT': ''}, None),  # empty is the default
        ({'OVERSIGHT_EMAIL_TLS': 'sometimes'}, 'OVERSIGHT_EMAIL_TLS must be true or false'),
        ({'OVERSIGHT_TASK_STALE_SECONDS': 'long'}, "OVERSIGHT_TASK_STALE_SECONDS must be a number, not 'long'"),
        ({'OVERSIGHT_BASE_URL': 'oversight.example.org'}, 'OVERSIGHT_BASE_URL must be an address starting https://'),
        ({'OVERSIGHT_LOG_LEVEL': 'LOUD'}, "OVERSIGHT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not 'LOUD'"),
    ],
)
def test_a_missing_or_bad_production_setting_stops_start_up_naming_it(tmp_path, override, message):
    result = oversight(production_env(tmp_path, **override), 'check')
    if message is None:
        assert result.returncode == 0, result.stderr[-2000:]
        return
    assert result.returncode != 0
    # The message, not a traceback, is what the operator reads last.
    assert message in result.stderr.strip().splitlines()[-1]


def test_error_reporting_needs_the_sentry_extra_only_when_a_dsn_is_set(tmp_path):
    env = production_env(tmp_path, SENTRY_DSN='https://key@errors.example.org/1')
    result = oversight(env, 'check')
    if importlib.util.find_spec('sentry_sdk') is None:  # the test environment has no extras but `test`
        assert result.returncode != 0
        assert 'SENTRY_DSN is set but the Sentry SDK is not installed' in result.stderr.strip().splitlines()[-1]
    else:
        assert result.returncode == 0, result.stderr[-2000:]
    assert oversight(production_env(tmp_path, SENTRY_DSN=''), 'check').returncode == 0


# One node as production runs it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen, log: pathlib.Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f'gunicorn stopped:\n{log.read_text()[-3000:]}')
        try:
            urllib.request.urlopen(f'{base}/healthz', timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f'gunicorn did not answer:\n{log.read_text()[-3000:]}')


def spawn_node(env: dict, log: pathlib.Path) -> tuple[str, subprocess.Popen]:
    """A web node as the container runs it: gunicorn with gunicorn.conf.py (2 processes of 2 threads here)."""
    port = free_port()
    node_env = {**env, 'OVERSIGHT_BIND': f'127.0.0.1:{port}', 'WEB_CONCURRENCY': '2', 'OVERSIGHT_WEB_THREADS': '2'}
    node_env.pop('PROMETHEUS_MULTIPROC_DIR', None)
    # The node's own temporary directory, where its master makes its metrics directory (and removes it).
    node_env['TMPDIR'] = str(log.parent / f'tmp-{port}')
    os.makedirs(node_env['TMPDIR'])
    server = subprocess.Popen(
        [BIN / 'gunicorn', '-c', ROOT / 'gunicorn.conf.py'],
        env=node_env,
        stdout=log.open('ab'),
        stderr=subprocess.STDOUT,
        cwd=env['OVERSIGHT_VAR_DIR'],
        start_new_session=True,
    )
    return f'http://127.0.0.1:{port}', server


def start_node(env: dict, log: pathlib.Path) -> tuple[str, subprocess.Popen]:
    base, server = spawn_node(env, log)
    wait_until_up(base, server, log)
    return base, server


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url: str, headers: dict | None = None, data: bytes | None = None):
    """(status, headers, body) without following redirects; headers are looked up by any case of name."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


SITE = {'Host': 'oversight.example.org', 'X-Forwarded-Proto': 'https'}


@pytest.fixture(scope='module')
def node(tmp_path_factory, static_root):
    tmp = tmp_path_factory.mktemp('node')
    (tmp / 'var').mkdir()
    env = production_env(
        tmp,
        OVERSIGHT_STATIC_ROOT=str(static_root),
        OVERSIGHT_METRICS_TOKEN='metrics-' + secrets.token_urlsafe(24),
        OVERSIGHT_LOG_LEVEL='INFO',
    )
    migrated = oversight(env, 'migrate', '-v0')
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    log = tmp / 'gunicorn.log'
    base, server = start_node(env, log)
    try:
        yield {'base': base, 'env': env, 'static': static_root, 'log': log}
    finally:
        stop(server)


def test_collectstatic_writes_a_manifest_of_hashed_compressed_files(node):
    manifest = json.loads((node['static'] / 'staticfiles.json').read_text())
    hashed = manifest['paths']['oversight/oversight.css']
    assert re.fullmatch(r'oversight/oversight\.[0-9a-f]{12}\.css', hashed)
    for suffix in ('', '.gz', '.br'):
        assert (node['static'] / (hashed + suffix)).is_file()


def test_pages_link_hashed_names_served_compressed_with_far_future_caching(node):
    status, _, body = fetch(f'{node["base"]}/accounts/login/', SITE)
    assert status == 200
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', body.decode())
    assert len(linked) >= 5
    for path in linked:
        assert re.search(r'\.[0-9a-f]{12}\.[a-z0-9]+$', path), f'{path} carries no content hash'
    css = next(path for path in linked if path.startswith('/static/oversight/oversight.'))
    original = (node['static'] / css.removeprefix('/static/')).read_bytes()
    for encoding, decode in (('br', brotli.decompress), ('gzip', gzip.decompress), ('', bytes)):
        status, headers, body = fetch(f'{node["base"]}{css}', {**SITE, 'Accept-Encoding': encoding})
        assert status == 200 and (headers['content-encoding'] or '') == encoding
        assert headers['cache-control'] == 'max-age=315360000, public, immutable'
        assert decode(body) == original
    # A name that is not in the manifest is not served.
    assert fetch(f'{node["base"]}/static/oversight/oversight.0123456789ab.css', SITE)[0] == 404


def test_the_node_probes_redirects_and_host_check(node):
    base = node['base']
    for path, text in (('/healthz', b'ok\n'), ('/readyz', b'ready\n')):
        status, headers, body = fetch(f'{base}{path}', {'Host': '10.42.0.7'})  # the pod's address, plain HTTP
        assert (status, body) == (200, text)
        assert not any(re.search(r'\d+\.\d+', headers.get(name, '')) for name in ('server', 'x-powered-by'))
    assert fetch(f'{base}/accounts/login/', {'Host': '10.42.0.7'})[0] == 400
    status, headers, _ = fetch(f'{base}/accounts/login/', {'Host': 'oversight.example.org'})
    assert status == 301 and headers['location'] == 'https://oversight.example.org/accounts/login/'


def test_the_node_logs_json_lines_with_request_ids_and_serves_metrics(node):
    status, headers, _ = fetch(f'{node["base"]}/accounts/login/', {**SITE, 'X-Request-ID': 'lb-req-0042'})
    assert status == 200 and headers['x-request-id'] == 'lb-req-0042'
    assert fetch(f'{node["base"]}/readyz', SITE)[0] == 200  # reads the database, so a query is timed
    token = node['env']['OVERSIGHT_METRICS_TOKEN']
    assert fetch(f'{node["base"]}/metrics', {'Host': '10.42.0.7'})[0] == 404
    status, _, body = fetch(f'{node["base"]}/metrics', {'Host': '10.42.0.7', 'Authorization': f'Bearer {token}'})
    text = body.decode()
    assert status == 200
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="account_login"}' in text
    assert re.search(r'django_db_query_duration_seconds_count\{alias="default",vendor="sqlite"\} [1-9]', text)
    assert 'oversight_tasks{status="queued"} 0.0' in text
    time.sleep(0.5)  # the access log line is written after the response
    lines = [json.loads(line) for line in io.StringIO(node['log'].read_text()) if line.startswith('{')]
    access = [line for line in lines if line['logger'] == 'gunicorn.access' and line.get('request_id') == 'lb-req-0042']
    assert len(access) == 1
    assert access[0]['path'] == '/accounts/login/' and access[0]['status'] == 200 and access[0]['duration_ms'] > 0


def test_a_stopped_node_leaves_no_metrics_directory_behind(tmp_path, static_root):
    env = production_env(tmp_path, OVERSIGHT_STATIC_ROOT=str(static_root))
    (tmp_path / 'var').mkdir(exist_ok=True)
    assert oversight(env, 'migrate', '-v0').returncode == 0
    base, server = start_node(env, tmp_path / 'gunicorn.log')
    try:
        made = list(tmp_path.glob('tmp-*/oversight-metrics-*'))
        assert len(made) == 1 and made[0].is_dir()
    finally:
        stop(server)
    assert not made[0].exists()


def test_check_deploy_is_clean_with_the_production_settings_a_node_runs(node):
    env = {**node['env'], 'OVERSIGHT_LOG_LEVEL': 'WARNING'}
    result = oversight(env, 'check', '--deploy', '--fail-level', 'WARNING')
    assert result.returncode == 0, result.stdout + result.stderr
