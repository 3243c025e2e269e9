"""When a task is stopped: its worker died, no worker runs, or the queue never got it; not while it waits its turn
behind a busy worker. A stopped task can be queued again; past its file's retention it is closed, and the same
scan uploaded again is taken, not swallowed by the dead task."""

import datetime

from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from oversight.core.models import ObjectChange
from oversight.discovery import actions as discovery_actions
from oversight.discovery.models import Scan
from oversight.discovery.tests.test_upload_api import BODY
from oversight.discovery.tests.test_upload_api import post as agent_upload
from oversight.jobs import actions
from oversight.jobs.models import Job
from oversight.jobs.tasks import run_job
from oversight.register.imports import read_batch
from oversight.register.models import Site

from .conftest import sites_csv

# A queue in the database that no worker takes from in these tests: a task handed to it waits there.
DATABASE_QUEUE = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}


def _silent(job: Job, seconds: float) -> Job:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds))
    return Job.objects.get(pk=job.pk)


def _past_the_stale_limit(job: Job) -> Job:
    return _silent(job, django_settings.OVERSIGHT_TASK_STALE_SECONDS + 1)


def _api(client: Client, job: Job) -> dict:
    return client.get(f'/api/jobs/{job.pk}/').json()


def test_a_task_waiting_behind_a_busy_worker_is_not_stopped_until_no_worker_shows_life(
    client_for, editor_a, upload, run_on_commit, settings
):
    settings.TASKS = DATABASE_QUEUE
    with run_on_commit():
        busy = actions.queue_register_import(editor_a, upload(sites_csv('Depot,1 Dock Road,,other,no')))
        waiting = actions.queue_register_import(editor_a, upload(sites_csv('Quay,2 Dock Road,,other,no'), 'quay.csv'))
    assert DBTaskResult.objects.count() == 2 and Job.objects.get(pk=waiting.pk).task_id
    # A worker is on the first, long, task: its heartbeat is fresh, while the second has waited past the limit.
    actions.claim_job(busy.pk, busy.attempt)
    actions.record_progress(busy.pk, busy.attempt, 10_000, 30_000, 'Writing sites')
    waiting = _past_the_stale_limit(waiting)
    client = client_for(editor_a)
    assert not waiting.is_stale and not waiting.can_retry
    assert _api(client, waiting)['status'] == 'queued' and _api(client, waiting)['errors'] == []
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'Failed (stopped)' not in page and 'Waiting for a worker' in page

    # The worker falls silent too: nothing is moving, so both are stopped, and each says why, page and API alike.
    _past_the_stale_limit(busy)
    waiting = Job.objects.get(pk=waiting.pk)
    reason = waiting.stopped_message
    assert reason.startswith('No worker has taken this task since ') and reason.endswith('(oversight worker)?')
    stopped = _api(client, waiting)
    assert stopped['status'] == 'failed' and stopped['retryable']
    assert stopped['errors'] == [{'row': None, 'column': '', 'message': reason}]
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert reason in page and 'Failed (stopped)' in page and 'hx-trigger' not in page
    assert _api(client, busy)['errors'][0]['message'].startswith('The worker running this task stopped')


def test_a_task_the_queue_lost_is_stopped_though_workers_run(
    client_for, editor_a, body_a, upload, run_on_commit, settings
):
    settings.TASKS = DATABASE_QUEUE
    with run_on_commit():
        job = actions.queue_register_import(editor_a, upload(sites_csv('Depot,1 Dock Road,,other,no')))
    DBTaskResult.objects.filter(id=Job.objects.get(pk=job.pk).task_id).delete()  # the queue's store lost it
    worked = actions.start_job(editor_a, Job.Kind.REGISTER_IMPORT, 'Other work', organisation=body_a)
    actions.claim_job(worked.pk, worked.attempt)  # a worker is alive: it has just taken another task
    job = _past_the_stale_limit(job)
    assert job.stopped_reason == 'lost' and job.can_retry
    assert 'The task queue has no record of this task' in _api(client_for(editor_a), job)['errors'][0]['message']


def test_a_task_the_backend_refused_to_take_stands_and_shows_stopped_then_runs_when_queued_again(
    client_for, editor_a, body_a, upload, run_on_commit, settings
):
    immediate = settings.TASKS
    # A backend that refuses the task when it is handed over (the task itself was defined under the test settings').
    settings.TASKS = {'default': {**DATABASE_QUEUE['default'], 'QUEUES': ['elsewhere']}}
    assert run_job.queue_name == 'default'
    batch = upload(sites_csv('Depot,1 Dock Road,,other,no'))
    client = client_for(editor_a)
    with run_on_commit():
        response = client.post(
            reverse('register:import_commit', args=[batch.pk]), {'fingerprint': read_batch(batch).fingerprint}
        )
    # The request stands (its record committed before the backend was asked); the task was never handed over.
    job = Job.objects.get()
    assert response['Location'] == job.get_absolute_url()
    assert job.status == Job.Status.QUEUED and job.task_id == '' and not DBTaskResult.objects.exists()
    worked = actions.start_job(editor_a, Job.Kind.REGISTER_IMPORT, 'Other work', organisation=body_a)
    actions.claim_job(worked.pk, worked.attempt)  # workers are running: only this task will never come
    job = _past_the_stale_limit(job)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'The task queue has no record of this task' in page and 'Queue it again' in page
    settings.TASKS = immediate
    with run_on_commit():
        client.post(reverse('jobs:job_retry', args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempt == 2 and Site.objects.filter(name='Depot').exists()


def _stopped_scan(editor, body, silent_for: float, content: bytes = BODY) -> Job:
    """A scan whose worker died: claimed, then silent."""
    job, new = actions.queue_scan(editor, body, content, source=Scan.Source.FILE, filename='scan.jsonl')
    assert new
    actions.claim_job(job.pk, job.attempt)
    return _silent(job, silent_for)


def test_the_same_scan_uploaded_again_queues_its_stopped_task_again(editor_a, body_a):
    job = _stopped_scan(editor_a, body_a, django_settings.OVERSIGHT_TASK_STALE_SECONDS + 1)
    assert job.is_stale
    token = discovery_actions.create_token(editor_a, body_a, 'Agent A')[1]
    response = agent_upload(token=token)
    assert response.status_code == 202 and response.json()['task'] == job.pk
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempt == 2
    assert job.result_url == Scan.objects.get().get_absolute_url()
    assert ObjectChange.objects.for_object(job).latest('pk').message.startswith('Queued again by an upload')


def test_a_stopped_tasks_file_goes_after_its_retention_and_the_scan_is_then_taken_afresh(editor_a, body_a, settings):
    settings.OVERSIGHT_RETAIN_IMPORT_FILES_DAYS = 30
    recent = _stopped_scan(editor_a, body_a, datetime.timedelta(days=29).total_seconds(), BODY + b'\n')
    old = _stopped_scan(editor_a, body_a, datetime.timedelta(days=31).total_seconds())
    call_command('clean-up')
    old, recent = Job.objects.get(pk=old.pk), Job.objects.get(pk=recent.pk)
    # Closed as failed as of its last sign of life, its file gone: it can no longer be queued again.
    assert old.status == Job.Status.FAILED and old.finished_at == old.heartbeat_at and bytes(old.payload) == b''
    assert old.file_removed and not old.can_retry and 'its file was removed' in old.errors[0]['message']
    assert ObjectChange.objects.for_object(old).latest('pk').message.startswith('Closed: stopped')
    assert recent.status == Job.Status.RUNNING and bytes(recent.payload)  # within its retention: kept
    # Uploaded again, the same scan makes a task of its own rather than returning the closed one.
    token = discovery_actions.create_token(editor_a, body_a, 'Agent A')[1]
    response = agent_upload(token=token)
    assert response.status_code == 202 and response.json()['task'] not in (old.pk, recent.pk)
    assert Job.objects.get(pk=response.json()['task']).status == Job.Status.DONE
