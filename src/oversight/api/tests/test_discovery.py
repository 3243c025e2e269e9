"""Scan uploads over the API: by a body's scan token (which can do nothing else) or by its editors."""

from django.test import TestCase, override_settings

from oversight.discovery import actions
from oversight.discovery.models import Scan
from oversight.jobs.models import Job

from .world import scan_upload

SCANS = '/api/discovery/scans/'


def _upload(client, content, **headers):
    """Upload; the worker's part (the immediate backend in tests) runs once the request has committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.generic('POST', SCANS, content, content_type='application/x-ndjson', **headers)


def test_the_agent_uploads_with_its_scan_token(world, api):
    response = _upload(api(None), scan_upload(world.a), HTTP_AUTHORIZATION=f'Bearer {world.a.token_secret}')
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()['id'])
    scan = Scan.objects.filter(organisation=world.a.organisation).latest('pk')
    assert (scan.organisation, scan.source, scan.token) == (world.a.organisation, Scan.Source.AGENT, world.a.token)
    assert job.status == Job.Status.DONE and job.result['up'] == 1 and job.result_url == scan.get_absolute_url()
    assert response['Location'] == f'/api/jobs/{job.pk}/'


def test_a_scan_token_can_do_nothing_but_upload(world, api):
    client = api(None)
    bearer = {'HTTP_AUTHORIZATION': f'Bearer {world.a.token_secret}'}
    assert client.get(SCANS, **bearer).status_code == 403
    assert client.get(f'{SCANS}{world.a.scan.pk}/', **bearer).status_code == 403
    assert client.get('/api/register/sites/', **bearer).status_code == 401


def test_a_revoked_or_unknown_token_is_refused(world, api):
    actions.revoke_token(world.a.editor, world.a.token)
    for secret in (world.a.token_secret, 'ovs_not-a-token'):
        response = _upload(api(None), scan_upload(world.a), HTTP_AUTHORIZATION=f'Bearer {secret}')
        assert response.status_code == 401
        assert response['WWW-Authenticate'].startswith('Bearer')
    assert Scan.objects.filter(organisation=world.a.organisation).count() == 1


def test_a_token_cannot_upload_a_scan_made_for_another_body(world, api):
    response = _upload(api(None), scan_upload(world.b), HTTP_AUTHORIZATION=f'Bearer {world.a.token_secret}')
    assert response.status_code == 403
    assert Scan.objects.count() == 2


def test_an_editor_uploads_with_their_own_token_and_a_viewer_cannot(world, api):
    assert _upload(api(world.a.editor), scan_upload(world.a), QUERY_STRING='filename=x.jsonl').status_code == 202
    assert Scan.objects.filter(organisation=world.a.organisation, filename='x.jsonl').exists()
    assert _upload(api(world.a.viewer), scan_upload(world.a)).status_code == 403
    assert _upload(api(world.regulator), scan_upload(world.a)).status_code == 403


def test_a_file_that_is_not_a_scan_is_refused_whole(world, api):
    # The first line is read at once; the others by the worker, whose task names each bad one.
    response = _upload(api(world.a.editor), b'not json\n{"address": "10.0.0.1", "state": "up"}\n')
    assert response.status_code == 400
    assert 'line 1' in str(response.json())
    response = _upload(api(world.a.editor), b'{"address": "10.0.0.1", "state": "up"}\nnot json\n')
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()['id'])
    assert job.status == Job.Status.FAILED and job.errors[0]['row'] == 2 and 'line 2' in job.errors[0]['message']
    assert Scan.objects.filter(organisation=world.a.organisation).count() == 1


@override_settings(OVERSIGHT_MAX_UPLOAD_BYTES=200)
def test_an_upload_beyond_the_bound_is_refused_unread(world, api):
    response = _upload(api(None), scan_upload(world.a) * 5, HTTP_AUTHORIZATION=f'Bearer {world.a.token_secret}')
    assert response.status_code == 413


def test_scans_and_devices_are_scoped(world, api):
    client = api(world.a.viewer)
    assert [s['id'] for s in client.get(SCANS).json()['results']] == [world.a.scan.pk]
    assert client.get(f'{SCANS}{world.b.scan.pk}/').status_code == 404
    # Another body's scan is not a choice, like any value outside the user's scope; nor is a number no
    # database row can have (schemathesis found that one crashed SQLite).
    for scan in (world.b.scan.pk, 10**30):
        refused = client.get('/api/discovery/devices/', {'scan': scan})
        assert refused.status_code == 400 and 'scan' in refused.json()
    mine = client.get('/api/discovery/devices/', {'scan': world.a.scan.pk, 'state': 'undeclared'}).json()
    assert [d['address'] for d in mine['results']] == ['10.9.8.2']
