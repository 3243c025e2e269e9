"""The register over the API: scoped reads, writes through the actions, optimistic locking, imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from oversight.core.models import ObjectChange
from oversight.register.models import EquipmentLine, ImportBatch, Site, System

SITES = '/api/register/sites/'
LINES = '/api/register/equipment/'
IMPORTS = '/api/register/imports/'


def test_a_body_lists_only_its_own_sites_with_their_counts(world, api):
    response = api(world.a.viewer).get(SITES)
    assert response.status_code == 200
    rows = response.json()['results']
    assert {row['name'] for row in rows} == {s.name for s in world.a.sites}
    custody = next(row for row in rows if row['name'] == 'KENTMARK Custody Suite')
    assert (custody['line_count'], custody['device_count']) == (2, 15)
    assert custody['organisation'] == 'kent-police'


def test_the_regulator_lists_every_body_and_filters_by_organisation(world, api):
    client = api(world.regulator)
    assert response_names(client.get(SITES)) >= {s.name for s in world.a.sites + world.b.sites}
    only_b = client.get(SITES, {'organisation': world.b.organisation.pk})
    assert response_names(only_b) == {s.name for s in world.b.sites}


def response_names(response):
    assert response.status_code == 200, response.content
    return {row['name'] for row in response.json()['results']}


def test_another_bodys_object_is_not_found(world, api):
    client = api(world.a.editor)
    assert client.get(f'{SITES}{world.b.sites[0].pk}/').status_code == 404
    patch = client.patch(f'{SITES}{world.b.sites[0].pk}/', {'name': 'x', 'version': 1}, format='json')
    assert patch.status_code == 404
    assert client.delete(f'{SITES}{world.b.sites[1].pk}/?version=1').status_code == 404
    assert Site.objects.filter(pk=world.b.sites[1].pk).exists()


def test_the_filters_of_the_register_page_apply(world, api):
    client = api(world.a.viewer)
    assert response_names(client.get(SITES, {'sensitive': 'yes'})) == {'KENTMARK Custody Suite'}
    lines = client.get(LINES, {'q': 'Axis'}).json()['results']
    assert [line['model'] for line in lines] == ['KENTMARK-Q1']
    # Another body's site is not a choice: the filter refuses it rather than showing anything.
    refused = client.get(LINES, {'site': world.b.sites[0].pk})
    assert refused.status_code == 400
    assert 'ESSEXMARK' not in refused.content.decode()


def test_pages_are_of_fifty_unless_asked_and_follow_by_cursor(world, api):
    client = api(world.regulator)
    body = client.get(LINES, {'page_size': 2}).json()
    assert set(body) == {'next', 'previous', 'results'}
    assert body['previous'] is None
    seen = [line['id'] for line in body['results']]
    while body['next']:
        body = client.get(body['next']).json()
        assert 1 <= len(body['results']) <= 2
        seen += [line['id'] for line in body['results']]
    assert len(seen) == len(set(seen)) == 6
    back = client.get(body['previous']).json()
    assert [line['id'] for line in back['results']] == seen[-2 - len(body['results']) : -len(body['results'])]


def test_an_editor_adds_a_site_through_the_action_with_its_audit_row(world, api):
    response = api(world.a.editor).post(SITES, {'name': 'KENTMARK Depot', 'kind': 'other'}, format='json')
    assert response.status_code == 201, response.content
    site = Site.objects.get(pk=response.json()['id'])
    assert site.organisation == world.a.organisation
    assert response.json()['version'] == 1
    change = ObjectChange.objects.get(object_id=str(site.pk), content_type__model='site')
    assert change.user == world.a.editor and change.action == ObjectChange.Action.CREATE


def test_a_name_already_used_is_refused_by_field(world, api):
    response = api(world.a.editor).post(SITES, {'name': 'kentmark roadside'}, format='json')
    assert response.status_code == 400
    assert 'already has a site named' in response.json()['name'][0]


@pytest.mark.parametrize('who', ['viewer', 'regulator'])
def test_viewers_and_the_regulator_cannot_write(world, api, who):
    user = world.a.viewer if who == 'viewer' else world.regulator
    client = api(user)
    site = world.a.sites[1]
    before = ObjectChange.objects.count()
    assert client.post(SITES, {'name': 'New'}, format='json').status_code == 403
    assert client.patch(f'{SITES}{site.pk}/', {'name': 'New', 'version': 1}, format='json').status_code == 403
    assert client.delete(f'{SITES}{site.pk}/?version=1').status_code == 403
    assert ObjectChange.objects.count() == before
    assert Site.objects.get(pk=site.pk).name == 'KENTMARK Roadside'


def test_anonymous_requests_are_asked_for_a_token(world, api):
    response = api(None).get(SITES)
    assert response.status_code == 401
    assert response['WWW-Authenticate'] == 'Token'


def test_an_edit_must_state_the_version_it_read(world, api):
    site = world.a.sites[1]
    response = api(world.a.editor).patch(f'{SITES}{site.pk}/', {'address': 'Elsewhere'}, format='json')
    assert response.status_code == 400
    assert 'version' in response.json()


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(world, api):
    site = world.a.sites[1]
    client = api(world.a.editor)
    first = client.patch(f'{SITES}{site.pk}/', {'address': 'First', 'version': 1}, format='json')
    assert first.status_code == 200 and first.json()['version'] == 2
    second = client.patch(f'{SITES}{site.pk}/', {'address': 'Second', 'version': 1}, format='json')
    assert second.status_code == 409
    assert 'Someone else saved a change' in second.json()['detail']
    assert Site.objects.get(pk=site.pk).address == 'First'


def test_a_delete_states_the_version_and_a_site_in_use_is_kept(world, api):
    client = api(world.a.editor)
    roadside = world.a.sites[1]
    assert client.delete(f'{SITES}{roadside.pk}/').status_code == 400
    in_use = client.delete(f'{SITES}{roadside.pk}/?version=1')
    assert in_use.status_code == 409
    assert 'still has 1 equipment line' in in_use.json()['detail']
    line = world.a.lines[1]
    assert client.delete(f'{LINES}{line.pk}/?version=1').status_code == 204
    assert client.delete(f'{SITES}{roadside.pk}/?version=1').status_code == 204
    assert not Site.objects.filter(pk=roadside.pk).exists()


def test_a_line_is_identified_and_its_mac_read_in_any_spelling(world, api):
    client = api(world.a.editor)
    payload = {
        'site': world.a.sites[0].pk,
        'system': world.a.systems[0].pk,
        'manufacturer_declared': 'Honeywell',
        'mac_address': 'c0-56-e3-4a-10-07',
        'quantity': 2,
    }
    response = client.post(LINES, payload, format='json')
    assert response.status_code == 201, response.content
    body = response.json()
    assert body['mac_address'] == 'C0:56:E3:4A:10:07'
    assert body['made_by'] == 'Hikvision'
    assert body['evidence']


def test_a_line_cannot_use_another_bodys_site(world, api):
    payload = {
        'site': world.b.sites[0].pk,
        'system': world.a.systems[0].pk,
        'manufacturer_declared': 'Axis',
        'quantity': 1,
    }
    response = api(world.a.editor).post(LINES, payload, format='json')
    assert response.status_code == 400
    assert 'site' in response.json()
    assert 'ESSEXMARK' not in response.content.decode()


@pytest.mark.parametrize('quantity', [0, 1_000_001, 10**29])
def test_a_quantity_below_one_or_beyond_any_estate_is_refused(world, api, quantity):
    line = world.a.lines[0]
    response = api(world.a.editor).patch(f'{LINES}{line.pk}/', {'quantity': quantity, 'version': 1}, format='json')
    assert response.status_code == 400
    assert 'quantity' in response.json()
    assert EquipmentLine.objects.get(pk=line.pk).quantity == 12


def test_a_register_file_is_uploaded_previewed_and_committed(world, api, django_capture_on_commit_callbacks):
    client = api(world.a.editor)
    csv = b'name,address,postcode,kind,sensitive\nKENTMARK Yard,1 High St,,other,no\n'
    upload = client.post(IMPORTS, {'kind': 'sites', 'file': _file('sites.csv', csv)}, format='multipart')
    assert upload.status_code == 201, upload.content
    preview = upload.json()['preview']
    assert preview['problems'] == [] and preview['counts'] == {'create': 1, 'update': 0, 'unchanged': 0}
    url = f'{IMPORTS}{upload.json()["id"]}/commit/'
    with django_capture_on_commit_callbacks(execute=True):
        stale = client.post(url, {'fingerprint': 'not it'}, format='json')
    assert stale.status_code == 202  # queued; the task fails, saying why
    failed = client.get(stale['Location']).json()
    assert failed['status'] == 'failed' and failed['retryable'] and 'register changed' in failed['errors'][0]['message']
    with django_capture_on_commit_callbacks(execute=True):
        committed = client.post(url, {'fingerprint': preview['fingerprint']}, format='json')
    assert committed.status_code == 202 and committed.json()['status'] == 'queued'
    assert committed['Location'] == committed.json()['url'].removeprefix('http://testserver')
    job = client.get(committed['Location']).json()
    assert job['status'] == 'done' and job['result'] == {'create': 1, 'update': 0, 'unchanged': 0}
    assert client.get(f'{IMPORTS}{upload.json()["id"]}/').json()['status'] == 'committed'
    assert Site.objects.filter(organisation=world.a.organisation, name='KENTMARK Yard').exists()


def test_the_same_file_is_flagged_in_the_preview_and_not_committed_twice(
    world, api, django_capture_on_commit_callbacks
):
    client = api(world.a.editor)
    csv = b'name,address,postcode,kind,sensitive\nKENTMARK Yard,1 High St,,other,no\n'
    first, second = (
        client.post(IMPORTS, {'kind': 'sites', 'file': _file('sites.csv', csv)}, format='multipart').json()
        for _ in range(2)
    )
    assert second['preview']['already_imported'] is None
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f'{IMPORTS}{first["id"]}/commit/', {}, format='json').status_code == 202
    preview = client.get(f'{IMPORTS}{second["id"]}/').json()['preview']
    assert preview['already_imported'] is not None
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(f'{IMPORTS}{second["id"]}/commit/', {}, format='json')
    job = client.get(refused['Location']).json()
    assert job['status'] == 'failed' and 'This same file was already imported' in job['errors'][0]['message']


def test_an_import_with_problems_lists_them_by_row_and_column_and_writes_nothing(
    world, api, django_capture_on_commit_callbacks
):
    client = api(world.a.editor)
    csv = b'name,address,postcode,kind,sensitive\nKENTMARK Yard,,,castle,maybe\n'
    upload = client.post(IMPORTS, {'kind': 'sites', 'file': _file('sites.csv', csv)}, format='multipart')
    problems = upload.json()['preview']['problems']
    assert {(p['row'], p['column']) for p in problems} == {(2, 'kind'), (2, 'sensitive')}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f'{IMPORTS}{upload.json()["id"]}/commit/', {}, format='json')
    job = client.get(response['Location']).json()
    assert job['status'] == 'failed' and job['errors'][0]['message'].startswith('The file has 2 problems')
    assert {(p['row'], p['column']) for p in job['errors'][1:]} == {(2, 'kind'), (2, 'sensitive')}
    assert not Site.objects.filter(name='KENTMARK Yard').exists()


def test_imports_are_an_editors_working_papers(world, api):
    assert api(world.a.viewer).get(IMPORTS).status_code == 403
    assert api(world.regulator).get(IMPORTS).status_code == 403
    assert api(world.a.editor).get(f'{IMPORTS}{world.b.batch.pk}/').status_code == 404
    listed = api(world.a.editor).get(IMPORTS).json()['results']
    assert [row['id'] for row in listed] == [world.a.batch.pk]


@override_settings(OVERSIGHT_MAX_UPLOAD_BYTES=1000)
def test_an_import_larger_than_the_bound_is_refused(world, api):
    big = b'name,address,postcode,kind,sensitive\n' + b'x,,,,\n' * 400
    response = api(world.a.editor).post(IMPORTS, {'kind': 'sites', 'file': _file('sites.csv', big)}, format='multipart')
    assert response.status_code == 413
    assert ImportBatch.objects.filter(organisation=world.a.organisation).count() == 1


def test_a_discarded_import_cannot_be_committed(world, api):
    client = api(world.a.editor)
    batch = world.a.batch
    assert client.post(f'{IMPORTS}{batch.pk}/discard/').json()['status'] == 'discarded'
    response = client.post(f'{IMPORTS}{batch.pk}/commit/', {}, format='json')
    assert response.status_code == 400
    assert 'already been discarded' in response.json()['non_field_errors'][0]


def _file(name, content):
    return SimpleUploadedFile(name, content, content_type='text/csv')


@pytest.mark.parametrize(
    ('path', 'attribute', 'model'),
    [('sites', 'sites', Site), ('systems', 'systems', System), ('equipment', 'lines', EquipmentLine)],
)
def test_an_editor_replaces_amends_and_deletes_each_kind_of_record(world, api, path, attribute, model):
    """PUT, PATCH and DELETE each make their change (the access matrix checks only who may)."""
    client = api(world.a.editor)
    url = f'/api/register/{path}/{getattr(world.a, attribute)[-1].pk}/'
    record = client.get(url).json()
    writable = {k: v for k, v in record.items() if k not in ('url', 'id', 'organisation') and not isinstance(v, dict)}
    changed = 'notes' if path == 'equipment' else 'description' if path == 'systems' else 'address'
    replaced = client.put(url, writable | {changed: 'Replaced'}, format='json')
    assert replaced.status_code == 200, replaced.content
    amended = client.patch(url, {changed: 'Amended', 'version': replaced.json()['version']}, format='json')
    assert amended.status_code == 200, amended.content
    stored = model.objects.get(pk=record['id'])
    assert getattr(stored, changed) == 'Amended' and stored.version == record['version'] + 2
    if path != 'equipment':
        EquipmentLine.objects.filter(**{path.rstrip('s'): stored}).delete()  # records in use are kept
    assert client.delete(f'{url}?version={stored.version}').status_code == 204
    assert not model.objects.filter(pk=record['id']).exists()


def test_an_editor_adds_a_system_through_the_action_with_its_audit_row(world, api):
    response = api(world.a.editor).post(
        '/api/register/systems/', {'name': 'KENTMARK Port ANPR', 'category': 'anpr'}, format='json'
    )
    assert response.status_code == 201, response.content
    system = System.objects.get(pk=response.json()['id'])
    assert system.organisation == world.a.organisation and system.category == 'anpr'
    assert ObjectChange.objects.for_object(system).get().user == world.a.editor
