"""Returns imported from an interchange file on the web: checked and written by a worker, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.api.tests.world import _campaign
from oversight.jobs.actions import queue_returns_import
from oversight.jobs.models import Job
from oversight.surveys.interchange import COLUMNS
from oversight.surveys.models import Return


def interchange(*rows: dict) -> bytes:
    lines = [','.join(COLUMNS)] + [','.join(row.get(column, '') for column in COLUMNS) for row in rows]
    return ('\n'.join(lines) + '\n').encode()


def test_the_regulator_imports_returns_and_sees_every_problem_by_row(
    client_for, regulator, editor_a, django_capture_on_commit_callbacks
):
    page = reverse('surveys:returns_import')
    assert client_for(editor_a).get(page).status_code == 403
    client = client_for(regulator)
    assert 'Import returns' in client.get(reverse('surveys:campaign_list')).content.decode()
    kent = {'body': 'Kent Police', 'category': 'drone', 'operates': 'yes', 'manufacturer': 'DJI', 'quantity': '4'}
    kent['submitted_at'] = '2022-08-31T16:30:00+01:00'
    bad = {**kent, 'operates': 'perhaps'}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {'campaign': 'police-2022', 'file': SimpleUploadedFile('r.csv', interchange(bad))})
    job = Job.objects.get(kind=Job.Kind.RETURNS_IMPORT)
    assert response['Location'] == job.get_absolute_url() and job.status == Job.Status.FAILED
    assert {(e['row'], e['column']) for e in job.errors[1:]} >= {(2, 'operates')}
    assert not Return.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {'campaign': 'police-2022', 'file': SimpleUploadedFile('r.csv', interchange(kent))})
    job = Job.objects.filter(kind=Job.Kind.RETURNS_IMPORT).latest('pk')
    assert job.status == Job.Status.DONE, job.errors
    assert job.result['created'] == 1 and Return.objects.get().organisation == editor_a.organisation


def test_one_import_into_a_campaign_at_a_time_whether_it_is_named_by_slug_or_by_year(client_for, regulator, body_a):
    campaign = _campaign(regulator, 'mail-2025', 'Mail survey', [body_a], open_now=True)
    kent = {'body': 'Kent Police', 'category': 'drone', 'operates': 'yes', 'manufacturer': 'DJI', 'quantity': '4'}
    content = interchange({**kent, 'submitted_at': '2026-01-05T10:00:00+00:00'})
    first = queue_returns_import(regulator, 'mail-2025', content, file_name='r.csv')  # no worker takes it here
    response = client_for(regulator).post(
        reverse('surveys:returns_import'),
        {'campaign': str(campaign.year), 'file': SimpleUploadedFile('again.csv', content)},
    )
    assert response.status_code == 200
    assert f'The same work is already under way: &quot;{first.description}&quot; (task {first.pk}' in (
        response.content.decode()
    )
    # A campaign the import would create is named by the slug it would get: two of those collide too.
    queue_returns_import(regulator, 'survey-2031', content)
    with pytest.raises(ValidationError, match='already under way'):
        queue_returns_import(regulator, 'survey-2031', content)
    assert Job.objects.count() == 2
