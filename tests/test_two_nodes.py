"""Two web nodes and a worker on one PostgreSQL, as production runs them (the PostgreSQL run).

Each node is gunicorn with gunicorn.conf.py and the production settings, on loopback, behind no proxy:
requests carry the headers the proxy would (Host, X-Forwarded-Proto). The worker is `oversight worker`.
Nothing is shared between the processes but the database and the collected static files.
"""

import html
import json
import re
import secrets
import subprocess
import time
import urllib.parse

import pyotp
import pytest
from deployment_fixtures import BIN, execute, oversight
from test_operations import SITE, fetch, production_env, spawn_node, stop, wait_until_up

from oversight.discovery.results import HostResult, ScanMeta
from oversight.testing.smtp import SmtpSink

pytestmark = pytest.mark.postgres
pytest_plugins = ['deployment_fixtures']

PASSWORD = 'two-nodes-' + secrets.token_urlsafe(12)
BODIES = 6

SETUP = f"""
import datetime, json
from django.utils import timezone
from oversight.accounts.models import User
from oversight.api.tests.world import _campaign
from oversight.discovery import actions as discovery_actions
from oversight.organisations.models import Organisation
obscc = Organisation.objects.get(slug='obscc')
regulator = User.objects.create_user('regulator', 'regulator@example.org', {PASSWORD!r}, organisation=obscc,
                                     role=User.Role.REGULATOR)
bodies = list(Organisation.objects.bodies().order_by('name')[:{BODIES}])
for n, body in enumerate(bodies):
    User.objects.create_user(f'contact{{n}}', f'contact{{n}}@example.org', {PASSWORD!r}, organisation=body,
                             role=User.Role.EDITOR)
# Verified addresses: allauth lets nobody in before they have followed the link it sends.
for user in User.objects.all():
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
campaign = _campaign(regulator, 'remind-2026', 'Reminder survey', bodies, open_now=True)
# Invited nine days ago: every body is due its first reminder.
campaign.invitations.update(sent_at=timezone.now() - datetime.timedelta(days=9))
token, secret = discovery_actions.create_token(User.objects.get(username='contact0'), bodies[0], 'agent')
# Editors sign in with a second factor in production: contact0's authenticator app.
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
totp = generate_totp_secret()
TOTP.activate(User.objects.get(username='contact0'), totp)
print(json.dumps({{'body': bodies[0].slug, 'scan_token': secret, 'totp': totp}}))
"""


class Browser:
    """Cookies kept by hand: the production cookies are Secure, which a client speaking plain HTTP drops."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base: str, path: str, form: dict | None = None, headers: dict | None = None):
        sent = {**SITE, **(headers or {})}
        if self.cookies:
            sent['Cookie'] = '; '.join(f'{k}={v}' for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            sent['Content-Type'] = 'application/x-www-form-urlencoded'
            sent['Referer'] = f'https://{SITE["Host"]}{path}'  # CSRF over HTTPS checks where the form came from
        status, received, body = fetch(f'{base}{path}', sent, data=data)
        for cookie in received.get_all('set-cookie') or []:
            name, _, value = cookie.split(';', 1)[0].partition('=')
            self.cookies[name] = value
        return status, received, body.decode(errors='replace')

    def form_token(self, page: str) -> str:
        return html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))


@pytest.fixture
def deployment(fresh_database, static_root, tmp_path):
    url = fresh_database('two_nodes')
    (tmp_path / 'var').mkdir()
    env = production_env(
        tmp_path,
        DATABASE_URL=url,
        OVERSIGHT_SINGLE_NODE='',
        OVERSIGHT_STATIC_ROOT=str(static_root),
        OVERSIGHT_METRICS_TOKEN='metrics-' + secrets.token_urlsafe(16),
        OVERSIGHT_LOG_LEVEL='INFO',
        OVERSIGHT_EMAIL_TLS='0',
        OVERSIGHT_TASK_HEARTBEAT_SECONDS='1',
        OVERSIGHT_THROTTLE_TOKEN_FAILURES='3/hour',  # low, so the shared count is reached in a few guesses
    )
    made = oversight(env, 'shell', '-c', SETUP)
    assert made.returncode == 0, made.stderr[-3000:]
    world = json.loads(made.stdout.splitlines()[-1])
    processes, logs = [], {}
    try:
        bases = []
        for name in ('node-1', 'node-2'):  # started together: each takes seconds to load
            logs[name] = tmp_path / f'{name}.log'
            base, server = spawn_node(env, logs[name])
            bases.append(base)
            processes.append(server)
        logs['worker'] = tmp_path / 'worker.log'
        worker = subprocess.Popen(
            [BIN / 'oversight', 'worker', '--interval', '0.2'],
            env=env,
            stdout=logs['worker'].open('ab'),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(worker)
        for base, server, name in zip(bases, processes, ('node-1', 'node-2'), strict=False):
            wait_until_up(base, server, logs[name])
        yield {'nodes': bases, 'env': env, 'url': url, 'world': world, 'logs': logs}
    finally:
        for process in processes:
            stop(process)


def wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    pytest.fail('gave up waiting')


def test_two_nodes_and_a_worker_share_sessions_tasks_static_files_and_reminders(deployment):
    one, two = deployment['nodes']
    env, world = deployment['env'], deployment['world']

    # Health on both, by the node's own address, over plain HTTP.
    for node in (one, two):
        assert fetch(f'{node}/healthz', {'Host': '127.0.0.1'})[:3:2] == (200, b'ok\n')
        assert fetch(f'{node}/readyz', {'Host': '127.0.0.1'})[:3:2] == (200, b'ready\n')

    # Signed in on one node, signed in on the other; signed out on the other, signed out on the first.
    browser = Browser()
    status, _, page = browser.request(one, '/accounts/login/')
    assert status == 200
    form = {'login': 'contact0', 'password': PASSWORD, 'csrfmiddlewaretoken': browser.form_token(page)}
    status, headers, _ = browser.request(one, '/accounts/login/', form)
    assert status == 302 and headers['location'] == '/accounts/2fa/authenticate/', 'sign-in refused'
    # The code is asked for by one node and given to the other: the half-finished sign-in is in the shared session.
    status, _, page = browser.request(one, '/accounts/2fa/authenticate/')
    code = {'code': pyotp.TOTP(world['totp']).now(), 'csrfmiddlewaretoken': browser.form_token(page)}
    status, headers, _ = browser.request(two, '/accounts/2fa/authenticate/', code)
    assert status == 302 and headers['location'] == '/', 'second factor refused'
    status, _, page = browser.request(two, '/tasks/')
    assert status == 200 and 'contact0' in page
    status, _, _ = browser.request(two, '/accounts/logout/', {'csrfmiddlewaretoken': browser.form_token(page)})
    assert status == 302
    status, headers, _ = browser.request(one, '/tasks/')
    assert status == 302 and headers['location'].startswith('/accounts/login/')

    # A scan uploaded to one node is queued; the worker runs it; its request id is in the worker's log.
    scan = '\n'.join(
        [
            ScanMeta(tool='agent', organisation=world['body']).to_json(),
            HostResult(address='10.9.8.3', state='up', observed={'manufacturer': 'Axis'}).to_json(),
        ]
    ).encode()
    status, headers, body = fetch(
        f'{one}/discovery/api/scans/',
        {
            **SITE,
            'Authorization': f'Bearer {world["scan_token"]}',
            'Content-Type': 'application/x-ndjson',
            'X-Request-ID': 'two-nodes-scan-1',
        },
        data=scan,
    )
    assert status == 202, body
    task = json.loads(body)['task']
    assert wait_for(lambda: _finished(deployment['url'], task)) == 'done'
    worker_lines = _json_lines(deployment['logs']['worker'])
    assert any(line.get('request_id') == 'two-nodes-scan-1' and 'done' in line['message'] for line in worker_lines)

    # Static files, hashed, from either node.
    _, _, page = Browser().request(two, '/accounts/login/')
    css = re.search(r'href="(/static/oversight/oversight\.[0-9a-f]{12}\.css)"', page).group(1)
    for node in (one, two):
        status, headers, _ = fetch(f'{node}{css}', SITE)
        assert status == 200 and 'immutable' in headers['cache-control']

    # Throttling shared across nodes: wrong scan tokens guessed on one node count on the other, since the
    # counts live in the cache both share (the database's table here).
    def guess(node: str, n: int):
        headers = {**SITE, 'Authorization': f'Bearer guessed-{n}', 'Content-Type': 'application/x-ndjson'}
        return fetch(f'{node}/discovery/api/scans/', headers, data=scan)

    assert [guess(one, n)[0] for n in range(3)] == [401, 401, 401]
    status, headers, body = guess(two, 3)
    assert status == 429 and int(headers['retry-after']) > 0, body
    assert b'Too many wrong tokens' in body
    # Right ones too, from that address: a guesser cannot tell a hit from a miss.
    status, _, _ = fetch(
        f'{two}/discovery/api/scans/',
        {**SITE, 'Authorization': f'Bearer {world["scan_token"]}', 'Content-Type': 'application/x-ndjson'},
        data=scan,
    )
    assert status == 429

    # Reminders run on both nodes at once: each body is reminded exactly once.
    with SmtpSink() as sink:
        mail = {**env, 'OVERSIGHT_EMAIL_HOST': '127.0.0.1', 'OVERSIGHT_EMAIL_PORT': str(sink.port)}
        runs = [
            subprocess.Popen(
                [BIN / 'oversight', 'send-reminders'], env=mail, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
    reminded = [int(re.search(rb'(\d+) bodies reminded', out).group(1)) for out, _ in outputs]
    assert sum(reminded) == BODIES
    recipients = sorted(re.search(rb'^To: (.+?)\r?$', m, re.M).group(1).decode() for m in sink.messages)
    assert recipients == sorted(f'contact{n}@example.org' for n in range(BODIES))


def _finished(url: str, task: int) -> str:
    """The task's status once it is done or failed, else ''."""
    [(status,)] = execute(url, f'SELECT status FROM jobs_job WHERE id = {int(task)}')
    return status if status in ('done', 'failed') else ''


def _json_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith('{')]
