"""Tasks over the API: 202 with a status resource, polled until done or failed, queued again when stopped."""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oversight.jobs import actions
from oversight.jobs.models import Job

IMPORTS = '/api/register/imports/'


def test_a_stopped_task_is_failed_and_queued_again_over_the_api(world, api, django_capture_on_commit_callbacks):
    client = api(world.a.editor)
    url = f'/api/jobs/{world.a.job.pk}/'
    assert client.get(url).json()['status'] == 'failed'
    # A fresh import whose worker died while running it: no sign of life for longer than the stale limit.
    csv = b'name,address,postcode,kind,sensitive\nKENTMARK Quay,1 Dock Road,,other,no\n'
    upload = client.post(
        IMPORTS, {'kind': 'sites', 'file': SimpleUploadedFile('quay.csv', csv)}, format='multipart'
    ).json()
    queued = client.post(f'{IMPORTS}{upload["id"]}/commit/', {}, format='json')
    assert queued.status_code == 202 and queued.json()['status'] == 'queued' and not queued.json()['retryable']
    job = Job.objects.get(pk=queued.json()['id'])
    actions.claim_job(job.pk, job.attempt)
    silent_since = timezone.now() - datetime.timedelta(seconds=settings.OVERSIGHT_TASK_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=silent_since)
    stopped = client.get(queued['Location']).json()
    assert stopped['status'] == 'failed' and stopped['retryable']
    # Why, in the words its page gives: a client that stops polling at "failed" can say so.
    assert stopped['errors'][0]['message'].startswith('The worker running this task stopped (no sign of life since ')
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f'/api/jobs/{job.pk}/retry/', {}, format='json')
    assert retried.status_code == 202 and retried['Location'] == f'/api/jobs/{job.pk}/'
    done = client.get(retried['Location']).json()
    assert done['status'] == 'done' and done['attempt'] == 2 and done['result']['create'] == 1
    assert done['result_url'] == 'http://testserver/register/sites/'
    # Done is done: there is nothing to queue again.
    assert client.post(f'/api/jobs/{job.pk}/retry/', {}, format='json').status_code == 400


def test_each_body_lists_only_its_own_tasks(world, api):
    assert [j['id'] for j in api(world.a.editor).get('/api/jobs/').json()['results']] == [world.a.job.pk]
    assert api(world.a.viewer).get('/api/jobs/').json()['results'] == []
    everyone = {j['id'] for j in api(world.regulator).get('/api/jobs/').json()['results']}
    assert {world.a.job.pk, world.b.job.pk} <= everyone
