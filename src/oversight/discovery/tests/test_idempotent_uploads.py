"""The same scan uploaded again (the same bytes for the same body, or the same Idempotency-Key) is not made
into a second scan: the task that took it first is returned, and through it its scan."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from oversight.discovery import actions
from oversight.discovery.models import Scan
from oversight.jobs.models import Job

from .test_upload_api import BODY, result

AGENT_SCANS, SCANS = '/discovery/api/scans/', '/api/discovery/scans/'
OTHER = BODY + b'\n' + result('10.20.0.7', manufacturer='Axis').encode()


@pytest.fixture
def token_a(editor_a, body_a):
    return actions.create_token(editor_a, body_a, 'Agent A')[1]


def post(url, body, token, **headers):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client().post(
            url, body, content_type='application/x-ndjson', HTTP_AUTHORIZATION=f'Bearer {token}', **headers
        )


def task_of(response) -> int:
    answer = response.json()
    return answer.get('task') or answer['id']


@pytest.mark.parametrize('url', [AGENT_SCANS, SCANS])
def test_the_same_bytes_again_return_the_first_task_and_its_scan(token_a, url):
    first = post(url, BODY, token_a)
    assert first.status_code == 202
    again = post(url, BODY, token_a)
    assert again.status_code == 200 and again['Idempotent-Replayed'] == 'true'
    assert task_of(again) == task_of(first)
    scan = Scan.objects.get()
    assert Job.objects.get().result_url == scan.get_absolute_url()
    if url == AGENT_SCANS:
        assert again.json()['scan'].endswith(scan.get_absolute_url())


def test_the_same_bytes_by_either_endpoint_make_one_scan(token_a):
    first = post(AGENT_SCANS, BODY, token_a)
    assert task_of(post(SCANS, BODY, token_a)) == task_of(first)
    assert Scan.objects.count() == 1 and Job.objects.count() == 1


def test_other_bytes_make_another_scan(token_a):
    post(AGENT_SCANS, BODY, token_a)
    assert post(AGENT_SCANS, OTHER, token_a).status_code == 202
    assert Scan.objects.count() == 2


def test_the_same_bytes_for_another_body_are_that_bodys_own_scan(token_a, editor_b, body_b):
    token_b = actions.create_token(editor_b, body_b, 'Agent B')[1]
    post(AGENT_SCANS, BODY, token_a)
    assert post(AGENT_SCANS, BODY, token_b).status_code == 202
    assert sorted(Scan.objects.values_list('organisation__slug', flat=True)) == ['essex-police', 'kent-police']


@pytest.mark.parametrize('url', [AGENT_SCANS, SCANS])
def test_a_key_sent_again_returns_its_task_and_with_other_bytes_is_refused(token_a, url):
    first = post(url, BODY, token_a, HTTP_IDEMPOTENCY_KEY='run-2025-09-01')
    assert first.status_code == 202
    again = post(url, BODY, token_a, HTTP_IDEMPOTENCY_KEY='run-2025-09-01')
    assert again.status_code == 200 and task_of(again) == task_of(first)
    refused = post(url, OTHER, token_a, HTTP_IDEMPOTENCY_KEY='run-2025-09-01')
    assert refused.status_code == 422
    message = (refused.json().get('errors') or [refused.json().get('detail')])[0]
    assert message.startswith('The Idempotency-Key "run-2025-09-01" was used for a different upload (task ')
    assert Scan.objects.count() == 1
    # A new key with the new bytes is a new scan.
    assert post(url, OTHER, token_a, HTTP_IDEMPOTENCY_KEY='run-2025-09-02').status_code == 202
    assert Scan.objects.count() == 2


def test_a_key_that_is_not_printable_is_refused(token_a):
    response = post(SCANS, BODY, token_a, HTTP_IDEMPOTENCY_KEY='two words')
    assert response.status_code == 400 and 'Idempotency-Key' in response.json()['idempotency_key'][0]
    assert not Job.objects.exists()


def test_a_failed_task_is_not_returned_the_upload_is_taken_again(token_a):
    first = post(AGENT_SCANS, BODY, token_a)
    Job.objects.filter(pk=task_of(first)).update(status=Job.Status.FAILED)
    Scan.objects.all().delete()
    again = post(AGENT_SCANS, BODY, token_a)
    assert again.status_code == 202 and task_of(again) != task_of(first)
    assert Scan.objects.count() == 1


def test_a_second_upload_while_the_first_is_queued_joins_it(token_a):
    # Without the immediate worker: the first is still queued when the second arrives.
    first = Client().post(
        AGENT_SCANS, BODY, content_type='application/x-ndjson', HTTP_AUTHORIZATION=f'Bearer {token_a}'
    )
    assert Job.objects.get().status == Job.Status.QUEUED
    again = post(AGENT_SCANS, BODY, token_a)
    assert again.status_code == 200 and task_of(again) == task_of(first)


def test_the_upload_page_says_the_file_was_uploaded_before(client_for, editor_a, token_a):
    post(AGENT_SCANS, BODY, token_a)
    client = client_for(editor_a)
    upload = SimpleUploadedFile('scan.jsonl', BODY, content_type='application/x-ndjson')
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse('discovery:scan_upload'), {'file': upload}, follow=True)
    assert 'scan.jsonl was uploaded before: this is the task that took it.' in response.content.decode()
    assert Scan.objects.count() == 1 and Job.objects.count() == 1
