"""Throttles: wrong tokens, scan uploads and identification answered 429 with Retry-After past their limits,
counted in the database cache every node shares (core.throttling)."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client, TestCase, override_settings
from rest_framework.test import APIClient

from oversight.api.actions import create_api_token

from .world import scan_upload

RATES = {'token_failures': '3/hour', 'scan_upload': '2/hour', 'identify': '2/minute'}
SCANS, AGENT_SCANS, IDENTIFY = '/api/discovery/scans/', '/discovery/api/scans/', '/api/identify/'


def _post(client, url, body=b'{}', content_type='application/x-ndjson', **headers):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.generic('POST', url, body, content_type=content_type, **headers)


def _retry_after(response) -> int:
    assert response.status_code == 429, response.content
    seconds = int(response['Retry-After'])
    assert 0 < seconds <= 3600
    return seconds


@override_settings(OVERSIGHT_THROTTLE_RATES=RATES)
@pytest.mark.parametrize(
    ('url', 'scheme', 'guess'),
    [
        (AGENT_SCANS, 'Bearer', 'ovs_guessed'),  # the agent's endpoint
        (SCANS, 'Bearer', 'ovs_guessed'),  # the same upload in the REST API
        ('/api/register/sites/', 'Token', 'ova_guessed'),  # a person's API token
    ],
)
def test_the_guess_after_the_limit_is_429_even_with_a_right_token(world, url, scheme, guess):
    client = APIClient()
    for n in range(3):
        response = _post(client, url, HTTP_AUTHORIZATION=f'{scheme} {guess}{n}')
        assert response.status_code == 401
    guessed = _post(client, url, HTTP_AUTHORIZATION=f'{scheme} {guess}-fourth')
    wait = _retry_after(guessed)
    assert 'Too many wrong tokens' in guessed.content.decode() and f'{wait} seconds' in guessed.content.decode()
    # From that address even the right token is refused now, so a guesser learns nothing from a hit.
    right = world.a.token_secret if scheme == 'Bearer' else create_api_token(None, world.a.editor)[1]
    assert _post(client, url, scan_upload(world.a), HTTP_AUTHORIZATION=f'{scheme} {right}').status_code == 429
    # Another address is not affected.
    other = _post(client, url, scan_upload(world.a), HTTP_AUTHORIZATION=f'{scheme} {right}', REMOTE_ADDR='10.1.2.3')
    assert other.status_code not in (401, 429)


@override_settings(OVERSIGHT_THROTTLE_RATES=RATES)
def test_a_second_client_shares_the_count_through_the_database_cache(world):
    for n in range(3):
        assert _post(Client(), AGENT_SCANS, HTTP_AUTHORIZATION=f'Bearer ovs_guess{n}').status_code == 401
    # A fresh client (as another web server would be) finds the count where the first left it.
    _retry_after(_post(APIClient(), SCANS, HTTP_AUTHORIZATION='Bearer ovs_guess-from-elsewhere'))
    with connection.cursor() as cursor:
        cursor.execute('SELECT cache_key FROM oversight_cache')
        keys = [row[0] for row in cursor.fetchall()]
    assert any('throttle_token_failures_127.0.0.1' in key for key in keys)


def test_behind_a_proxy_the_count_is_per_client_and_a_written_address_does_not_escape_it(world, settings):
    # One override for both settings: the rates and one trusted proxy in front, as in production.
    with override_settings(
        OVERSIGHT_THROTTLE_RATES=RATES, REST_FRAMEWORK={**settings.REST_FRAMEWORK, 'NUM_PROXIES': 1}
    ):
        client = Client()
        for n in range(3):
            # The client claims a new address each time; the proxy appends the one it saw.
            forwarded = f'192.0.2.{n}, 203.0.113.9'
            response = _post(client, AGENT_SCANS, HTTP_AUTHORIZATION=f'Bearer ovs_{n}', HTTP_X_FORWARDED_FOR=forwarded)
            assert response.status_code == 401
        claimed = {'HTTP_X_FORWARDED_FOR': '192.0.2.99, 203.0.113.9'}
        _retry_after(_post(client, AGENT_SCANS, HTTP_AUTHORIZATION='Bearer ovs_x', **claimed))
        # Another client behind the same proxy is counted apart.
        response = _post(client, AGENT_SCANS, HTTP_AUTHORIZATION='Bearer ovs_y', HTTP_X_FORWARDED_FOR='203.0.113.10')
        assert response.status_code == 401


@override_settings(OVERSIGHT_THROTTLE_RATES=RATES)
@pytest.mark.parametrize('url', [AGENT_SCANS, SCANS])
def test_uploads_are_limited_per_scan_token(world, url):
    bearer = {'HTTP_AUTHORIZATION': f'Bearer {world.a.token_secret}'}
    for address in ('10.9.8.10', '10.9.8.11'):
        assert _post(Client(), url, scan_upload(world.a, address), **bearer).status_code == 202
    refused = _post(Client(), url, scan_upload(world.a, '10.9.8.12'), **bearer)
    assert 'Too many scans' in refused.content.decode()
    _retry_after(refused)
    # Another body's token has its own count.
    other = _post(Client(), url, scan_upload(world.b, '10.9.8.12'), HTTP_AUTHORIZATION=f'Bearer {world.b.token_secret}')
    assert other.status_code == 202


@override_settings(OVERSIGHT_THROTTLE_RATES=RATES)
def test_an_editor_uploading_with_their_own_token_is_counted_as_themselves(world, api):
    for address in ('10.9.8.10', '10.9.8.11'):
        assert _post(api(world.a.editor), SCANS, scan_upload(world.a, address)).status_code == 202
    _retry_after(_post(api(world.a.editor), SCANS, scan_upload(world.a, '10.9.8.12')))
    # The body's agent is not held back by its editor's uploads.
    bearer = {'HTTP_AUTHORIZATION': f'Bearer {world.a.token_secret}'}
    assert _post(Client(), SCANS, scan_upload(world.a, '10.9.8.13'), **bearer).status_code == 202


@override_settings(OVERSIGHT_THROTTLE_RATES=RATES)
def test_identification_is_limited_per_person(world, api):
    body = {'rows': [{'manufacturer': 'Honeywell'}]}
    for _ in range(2):
        assert api(world.a.viewer).post(IDENTIFY, body, format='json').status_code == 200
    refused = api(world.a.viewer).post(IDENTIFY, body, format='json')
    assert 'Too many identification requests' in refused.json()['detail']
    _retry_after(refused)
    assert api(world.b.viewer).post(IDENTIFY, body, format='json').status_code == 200


def test_the_count_window_ends(world, time_machine):
    time_machine.move_to('2025-09-01 09:00:00+00:00', tick=False)
    with override_settings(OVERSIGHT_THROTTLE_RATES=RATES):
        for n in range(3):
            _post(Client(), AGENT_SCANS, HTTP_AUTHORIZATION=f'Bearer ovs_{n}')
        assert _retry_after(_post(Client(), AGENT_SCANS, HTTP_AUTHORIZATION='Bearer ovs_x')) == 3600
        time_machine.move_to('2025-09-01 09:59:30+00:00', tick=False)
        assert _retry_after(_post(Client(), AGENT_SCANS, HTTP_AUTHORIZATION='Bearer ovs_x')) == 30
        time_machine.move_to('2025-09-01 10:00:01+00:00', tick=False)
        assert _post(Client(), AGENT_SCANS, HTTP_AUTHORIZATION='Bearer ovs_x').status_code == 401


GUESS = """
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
for n in range(COUNT):
    print(Client().post('/discovery/api/scans/', b'', content_type='application/x-ndjson',
                        HTTP_AUTHORIZATION=f'Bearer ovs_guess{n}').status_code)
"""


def test_two_processes_share_the_count(tmp_path):
    """Two processes on one database file, as two web servers on one database: the second is refused."""
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.test',
        'DATABASE_URL': f'sqlite:///{tmp_path / "oversight.sqlite3"}',
        'OVERSIGHT_THROTTLE_TOKEN_FAILURES': '3/hour',
    }

    def run(*args):
        result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout.split()

    run('-m', 'oversight.manage', 'migrate', '-v0')
    shell = ('-m', 'oversight.manage', 'shell', '--no-imports', '-c')
    assert run(*shell, GUESS.replace('COUNT', '3')) == ['401', '401', '401']
    assert run(*shell, GUESS.replace('COUNT', '1')) == ['429']
