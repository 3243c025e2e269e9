"""The agent's upload endpoint: the body's scan token, nothing else, and bounded."""

import json

import pytest
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from oversight.core.models import ObjectChange
from oversight.core.tokens import digest
from oversight.discovery import actions
from oversight.discovery.models import Scan, ScanToken
from oversight.jobs.models import Job

URL = reverse('discovery:upload_api')


def result(address, **observed):
    return json.dumps({'schema': 1, 'address': address, 'state': 'up', 'observed': observed})


BODY = '\n'.join(
    [
        json.dumps({'scan': {'scope': ['10.20.0.0/24'], 'tool': 'oversight discover'}}),
        result('10.20.0.5', manufacturer='HIKVISION', model='DS-2CD2143G2-I', firmware='V5.7.3 build 220112'),
        result('10.20.0.6', manufacturer='Honeywell', firmware='2.420.Honeywell 00.0.R, build: 2014-03-26'),
    ]
).encode()


def post(body=BODY, token=None, client=None, **headers):
    """Upload; the worker's part (the immediate backend in tests) runs once the request has committed."""
    client = client or Client(enforce_csrf_checks=True)
    if token is not None:
        headers['HTTP_AUTHORIZATION'] = f'Bearer {token}'
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, body, content_type='application/x-ndjson', **headers)


@pytest.fixture
def token_a(editor_a, body_a):
    return actions.create_token(editor_a, body_a, 'Agent A')[1]


@pytest.fixture
def token_b(editor_b, body_b):
    return actions.create_token(editor_b, body_b, 'Agent B')[1]


def test_a_valid_token_uploads_a_scan_for_its_own_body(token_a, body_a):
    response = post(token=token_a)  # no CSRF token: the endpoint authenticates by scan token alone
    assert response.status_code == 202, response.content
    answer = response.json()
    job = Job.objects.get(pk=answer['task'])
    scan = Scan.objects.get()
    assert scan.organisation == body_a and scan.source == Scan.Source.AGENT and job.organisation == body_a
    assert answer['url'].endswith(job.get_absolute_url()) and job.result_url == scan.get_absolute_url()
    assert job.status == Job.Status.DONE and job.result['up'] == 2 and job.payload == b''
    assert set(scan.devices.values_list('maker', flat=True)) == {'Hikvision', 'Dahua'}
    change = ObjectChange.objects.for_object(scan).get()
    assert change.user is None and change.user_name == 'scan token "Agent A"'
    assert ScanToken.objects.get(name='Agent A').last_used is not None


@pytest.mark.parametrize('authorization', [None, 'Bearer', 'Bearer ovs_wrong', 'Basic dXNlcjpwdw==', 'ovs_x'])
def test_missing_or_wrong_tokens_are_refused(db, authorization, token_a):
    headers = {'HTTP_AUTHORIZATION': authorization} if authorization else {}
    response = post(**headers)
    assert response.status_code == 401
    assert response['WWW-Authenticate'].startswith('Bearer')
    assert not Scan.objects.exists()


def test_a_revoked_token_is_refused(token_a, editor_a):
    actions.revoke_token(editor_a, ScanToken.objects.get(name='Agent A'))
    assert post(token=token_a).status_code == 401


def test_a_signed_in_session_is_not_a_token(client_for, editor_a):
    # The endpoint never authenticates by session, so a page on another site cannot post as the editor.
    assert post(client=client_for(editor_a)).status_code == 401


def test_another_bodys_token_cannot_write_to_this_body(token_b, body_a, body_b):
    scan_for_kent = BODY.replace(b'"tool"', b'"organisation": "kent-police", "tool"')
    response = post(scan_for_kent, token=token_b)
    assert response.status_code == 403
    assert 'kent-police' in response.json()['error']
    assert not Scan.objects.exists()
    # Without a claim, the upload lands in the token's own body only.
    assert post(token=token_b).status_code == 202
    assert list(Scan.objects.values_list('organisation', flat=True)) == [body_b.pk]


@override_settings(OVERSIGHT_MAX_UPLOAD_BYTES=1000)
def test_uploads_are_size_bounded(token_a):
    response = post(BODY + b'\n' + b' ' * 1000, token=token_a)
    assert response.status_code == 413
    assert 'larger than 1,000 bytes' in response.json()['error']
    assert not Scan.objects.exists()


def test_bad_lines_are_refused_whole_by_the_task_with_their_numbers_and_fields(token_a):
    """Lines after the first are read by the worker, not the request: the task fails naming each one."""
    body = (
        BODY
        + b'\n'
        + result('10.20.0.300').encode()
        + b'\n{"address": "10.20.0.7", "observed": {"mac": "zz"}}\nnot json'
    )
    response = post(body, token=token_a)
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()['task'])
    assert job.status == Job.Status.FAILED and job.payload != b''  # kept, so it can be queued again
    places = {(e['row'], e['column']): e['message'] for e in job.errors}
    assert places[(4, 'address')].startswith('line 4: "address"')
    assert places[(5, 'observed.mac')].startswith('line 5: "observed.mac"')
    assert places[(6, '')].startswith('line 6: not JSON')
    assert not Scan.objects.exists()


def test_a_bad_first_line_or_a_scan_without_hosts_is_refused_at_once(token_a):
    response = post(b'not json\n' + BODY, token=token_a)
    assert response.status_code == 400
    assert response.json()['errors'][0].startswith('line 1: not JSON')
    response = post(BODY.splitlines()[0] + b'\n\n', token=token_a)
    assert response.status_code == 400
    assert response.json()['errors'][0].startswith('no host results')
    assert not Job.objects.exists()


def test_only_post_is_accepted(db):
    assert Client().get(URL).status_code == 405


def test_tokens_are_stored_as_digests_and_shown_once(editor_a, body_a):
    token, secret = actions.create_token(editor_a, body_a, 'Laptop')
    assert secret.startswith('ovs_') and len(secret) > 40
    stored = ScanToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix) and stored.digest == digest(secret)
    assert secret.startswith(stored.prefix)
    assert secret not in json.dumps(ObjectChange.objects.for_object(stored).get().after)


@pytest.mark.parametrize(
    ('line', 'message'),
    [
        ({'scan': {'started': '2026-13-45T00:00:00'}}, '"scan.started": \'2026-13-45T00:00:00\' is not a real date'),
        ({'scan': {'finished': 'yesterday'}}, '"scan.finished": \'yesterday\' is not a date and time'),
        ({'address': '10.20.0.9', 'scanned_at': '2026-02-30T10:00:00'}, '"scanned_at": \'2026-02-30T10:00:00\''),
        ({'address': '10.20.0.9', 'elapsed': 10**20}, '"elapsed" must be a number of seconds from 0 to 86,400'),
        ({'address': '10.20.0.9', 'elapsed': -1}, '"elapsed" must be a number of seconds'),
        ({'address': '10.20.0.9', 'elapsed': True}, '"elapsed" must be a number of seconds'),
    ],
)
def test_impossible_times_and_numbers_are_refused_naming_the_field(token_a, line, message):
    """A 13th month or a 30th of February once raised ValueError from the date parser: a 500."""
    body = json.dumps(line).encode() + b'\n' + result('10.20.0.5').encode()
    response = post(body, token=token_a)
    assert response.status_code == 400, response.content
    assert any(message in error for error in response.json()['errors']), response.json()
    assert not Scan.objects.exists()


def test_times_in_any_offset_give_the_scan_its_first_and_last(token_a):
    lines = [
        json.dumps({'address': '10.20.0.5', 'scanned_at': '2026-02-27T10:00:00+02:00'}),
        json.dumps({'address': '10.20.0.6', 'scanned_at': '2026-02-27T09:30:00'}),
    ]
    assert post('\n'.join(lines).encode(), token=token_a).status_code == 202
    scan = Scan.objects.get()
    assert (scan.started.isoformat(), scan.finished.isoformat()) == (
        '2026-02-27T08:00:00+00:00',
        '2026-02-27T09:30:00+00:00',
    )


@pytest.mark.parametrize('scope', [['0.0.0.0/0', '::/0'], ['10.0.0.0/7'], ['10.0.0.0/8', '192.168.0.0/24'], ['::/64']])
def test_a_scope_wider_than_any_scan_is_refused(token_a, scope):
    """Once accepted: one upload claiming every address marked a whole register unseen."""
    body = json.dumps({'scan': {'scope': scope}}).encode() + b'\n' + result('10.20.0.5').encode()
    response = post(body, token=token_a)
    assert response.status_code == 400, response.content
    assert (
        '"scan.scope" covers' in response.json()['errors'][0] and 'at most 16,777,216' in response.json()['errors'][0]
    )
    assert not Scan.objects.exists()


def test_the_largest_private_network_is_a_scope_a_scan_may_claim(token_a):
    body = json.dumps({'scan': {'scope': ['10.0.0.0/8']}}).encode() + b'\n' + result('10.20.0.5').encode()
    assert post(body, token=token_a).status_code == 202
    assert Scan.objects.get().scope == ['10.0.0.0/8']
