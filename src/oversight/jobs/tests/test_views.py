"""The task's page: the person who started it follows it, sees every problem, and queues it again."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oversight.jobs import actions
from oversight.jobs.models import Job
from oversight.register.models import Site

from .conftest import sites_csv


def test_a_failed_import_lists_every_problem_and_is_queued_again(client_for, editor_a, upload, run_on_commit):
    batch = upload(sites_csv('Dover Port,1 Dock Road,,castle,maybe', 'Deal,2 Beach St,,custody,yes'))
    client = client_for(editor_a)
    with run_on_commit():
        response = client.post(reverse('register:import_commit', args=[batch.pk]), {})
    job = Job.objects.get()
    assert response['Location'] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'govuk-tag--red" data-testid="job-state">Failed<' in page
    assert 'The file has 2 problems: nothing was imported.' in page
    listing = client.get(reverse('jobs:job_list')).content.decode()
    assert 'govuk-tag--red" data-testid="status">Failed<' in listing  # the same tag in the list
    assert all(f'<td class="govuk-table__cell"><code>{column}</code></td>' in page for column in ('kind', 'sensitive'))
    assert 'hx-trigger' not in page  # finished: the page no longer polls
    assert not Site.objects.filter(name='Deal').exists()
    # Queued again, the same task runs again: the file is still wrong, so it fails the same way, nothing written.
    with run_on_commit():
        again = client.post(reverse('jobs:job_retry', args=[job.pk]))
    job.refresh_from_db()
    assert again['Location'] == job.get_absolute_url() and job.attempt == 2 and job.status == Job.Status.FAILED
    assert len(job.errors) == 3 and not Site.objects.filter(name='Deal').exists()


def test_the_page_polls_while_the_task_is_queued_or_running(client_for, editor_a, upload):
    batch = upload(sites_csv('Dover Port,1 Dock Road,,custody,yes'))
    job = actions.queue_register_import(editor_a, batch, None)  # no worker takes it in this test
    client = client_for(editor_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f'hx-get="{job.get_absolute_url()}"' in page and 'hx-trigger="every 2s"' in page
    assert 'Waiting for a worker' in page and 'Queue it again' not in page
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST='true').content.decode()
    assert partial.startswith('\n<div id="job-status"') and '<html' not in partial
    actions.claim_job(job.pk, job.attempt)
    actions.record_progress(job.pk, job.attempt, 250, 1000, 'Writing sites')
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST='true').content.decode()
    assert 'Running' in partial and 'Writing sites: 250 of 1,000 (25%)' in partial


def test_a_task_whose_worker_died_is_shown_failed_and_can_run_again(
    client_for, editor_a, upload, run_on_commit, settings
):
    batch = upload(sites_csv('Dover Port,1 Dock Road,,custody,yes'))
    job = actions.queue_register_import(editor_a, batch, None)
    actions.claim_job(job.pk, job.attempt)
    client = client_for(editor_a)
    assert 'Queue it again' not in client.get(job.get_absolute_url()).content.decode()
    silent_since = timezone.now() - datetime.timedelta(seconds=settings.OVERSIGHT_TASK_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=silent_since)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'govuk-tag--red" data-testid="job-state">Failed (stopped)<' in page
    assert 'The worker running this task stopped' in page and 'hx-trigger' not in page
    with run_on_commit():
        client.post(reverse('jobs:job_retry', args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempt == 2 and Site.objects.filter(name='Dover Port').exists()
    # The first worker, had it only been slow, cannot now record anything of its attempt.
    assert actions.claim_job(job.pk, 1) is False


def test_a_file_is_refused_while_its_import_is_under_way(client_for, editor_a, upload):
    content = sites_csv('Dover Port,1 Dock Road,,custody,yes')
    job = actions.queue_register_import(editor_a, upload(content), None)
    client = client_for(editor_a)
    again = client.post(reverse('register:site_import'), {'file': SimpleUploadedFile('again.csv', content)})
    assert again.status_code == 200 and 'The same work is already under way' in again.content.decode()
    # A second upload made before the first import started cannot be committed beside it either.
    other = upload(content, 'copy.csv')
    refused = client.post(reverse('register:import_commit', args=[other.pk]), {})
    assert refused['Location'] == other.get_absolute_url()
    assert f'(task {job.pk}, queued)' in client.get(refused['Location']).content.decode()
    assert Job.objects.count() == 1


def test_a_body_sees_only_its_own_tasks_and_a_viewer_none(client_for, editor_a, viewer_a, editor_b, upload):
    job = actions.queue_register_import(editor_a, upload(sites_csv('Dover Port,1 Dock Road,,custody,yes')), None)
    assert client_for(editor_b).get(job.get_absolute_url()).status_code == 404
    assert 'sites.csv' not in client_for(editor_b).get(reverse('jobs:job_list')).content.decode()
    assert client_for(viewer_a).get(job.get_absolute_url()).status_code == 404
    assert 'sites.csv' in client_for(editor_a).get(reverse('jobs:job_list')).content.decode()


def test_a_task_is_described_in_the_readers_language_and_in_english_where_it_is_recorded(client_for, editor_a, upload):
    batch = upload(sites_csv('Dover Port,1 Dock Road,,custody,yes'), filename='safleoedd.csv')
    job = actions.queue_register_import(editor_a, batch, None)
    assert job.description == 'Import safleoedd.csv (sites)'  # the API, the logs and the audit give this
    client = client_for(editor_a)
    english = client.get(job.get_absolute_url()).content.decode()
    welsh = client.get(job.get_absolute_url(), {'lang': 'cy'}).content.decode()
    assert '<h1 class="govuk-heading-l">Import safleoedd.csv (sites)</h1>' in english
    assert '<h1 class="govuk-heading-l">Mewnforio safleoedd.csv (safleoedd)</h1>' in welsh
    assert 'Mewnforio safleoedd.csv (safleoedd)</a>' in client.get(reverse('jobs:job_list')).content.decode()
    actions.claim_job(job.pk, job.attempt)
    assert 'Dechreuwyd' in client.get(job.get_absolute_url()).content.decode()  # its stage, in Welsh too
    actions.finish_job(job.pk, job.attempt, {'create': 1, 'unchanged': 0}, '/register/sites/')
    finished = client.get(job.get_absolute_url()).content.decode()
    assert (
        '>Crëwyd</dt>' in finished and '>Heb newid</dt>' in finished and 'data-testid="job-result-create"' in finished
    )
    export = client.get(reverse('jobs:job_list'), {'export': 'csv'}).content.decode()
    assert 'Import safleoedd.csv (sites)' in export and 'Mewnforio' not in export
