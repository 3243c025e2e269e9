"""Organisations over the API: a body sees itself; regulator staff see all and add organisations."""

from oversight.core.models import ObjectChange
from oversight.organisations.models import Organisation

URL = '/api/organisations/'


def test_a_body_sees_only_itself_and_the_groups_it_is_in(world, api):
    client = api(world.a.viewer)
    assert [o['slug'] for o in client.get(URL).json()['results']] == ['kent-police']
    assert client.get(f'{URL}essex-police/').status_code == 404
    groups = client.get('/api/organisation-groups/').json()['results']
    assert 'kentmark-partnership' in {g['slug'] for g in groups}
    assert 'essexmark-partnership' not in {g['slug'] for g in groups}
    assert all(g['organisations'] == ['kent-police'] for g in groups)


def test_the_regulator_filters_organisations_like_the_page(world, api):
    response = api(world.regulator).get(URL, {'q': 'essex'})
    assert [o['name'] for o in response.json()['results']] == ['Essex Police']


def test_regulator_staff_add_an_organisation_through_the_action(world, api):
    payload = {'name': 'Kent County Council', 'kind': 'local_authority', 'country': 'England', 'source': 'Test'}
    response = api(world.regulator).post(URL, payload, format='json')
    assert response.status_code == 201, response.content
    assert response.json()['slug'] == 'kent-county-council'
    created = Organisation.objects.get(slug='kent-county-council')
    assert ObjectChange.objects.filter(object_id=str(created.pk), content_type__model='organisation').exists()
    clash = api(world.regulator).post(URL, payload, format='json')
    assert clash.status_code == 400 and 'already exists' in clash.json()['name'][0]


def test_no_body_user_adds_organisations(world, api):
    payload = {'name': 'Somewhere Police', 'kind': 'territorial', 'source': 'Test'}
    assert api(world.a.editor).post(URL, payload, format='json').status_code == 403
    assert not Organisation.objects.filter(name='Somewhere Police').exists()


def test_nobody_adds_a_second_regulator(world, api):
    payload = {'name': 'Another Regulator', 'kind': 'regulator', 'source': 'Test'}
    response = api(world.regulator).post(URL, payload, format='json')
    assert response.status_code == 400 and 'kind' in response.json()
