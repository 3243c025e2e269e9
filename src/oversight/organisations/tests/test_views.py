import pytest
from django.urls import reverse

from oversight.organisations.models import Organisation, OrganisationGroup

POLICING = 'policing-bodies-england-wales'


def write_urls(group_slug=POLICING, org_slug='kent-police'):
    return [
        reverse('organisations:organisation_create'),
        reverse('organisations:organisation_import'),
        reverse('organisations:organisation_import_preview'),
        reverse('organisations:group_create'),
        reverse('organisations:group_add_members', args=[group_slug]),
    ]


def test_a_body_user_sees_only_its_own_organisation(client_for, viewer_a, body_b):
    client = client_for(viewer_a)
    listing = client.get(reverse('organisations:organisation_list')).content.decode()
    assert 'Kent Police' in listing and 'Essex Police' not in listing
    assert client.get(body_b.get_absolute_url()).status_code == 404
    group = client.get(reverse('organisations:group_detail', args=[POLICING])).content.decode()
    assert 'Kent Police' in group and 'Essex Police' not in group
    export = client.get(reverse('organisations:organisation_list') + '?export=csv').content.decode()
    assert export.count('\n') == 2


@pytest.mark.parametrize('role', ['editor_a', 'viewer_a'])
def test_body_users_get_403_on_every_write(request, client_for, role, body_a):
    client = client_for(request.getfixturevalue(role))
    for url in write_urls():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {'name': 'X', 'kind': 'other', 'source': 'x'}).status_code == 403, url
    remove = reverse('organisations:group_member_remove', args=[POLICING, 'kent-police'])
    assert client.post(remove).status_code == 403
    assert body_a.groups.filter(slug=POLICING).exists()
    listing = client.get(reverse('organisations:organisation_list')).content.decode()
    assert reverse('organisations:organisation_create') not in listing


def test_a_group_in_which_the_body_is_not_a_member_is_404(client_for, regulator, viewer_a, body_b):
    OrganisationGroup.objects.create(name='Essex partners', slug='essex-partners').organisations.add(body_b)
    assert client_for(viewer_a).get(reverse('organisations:group_detail', args=['essex-partners'])).status_code == 404
    groups = client_for(viewer_a).get(reverse('organisations:group_list')).content.decode()
    assert 'Essex partners' not in groups


def test_regulator_adds_an_organisation_through_the_form(client_for, regulator):
    group = OrganisationGroup.objects.get(slug=POLICING)
    client = client_for(regulator)
    response = client.post(
        reverse('organisations:organisation_create'),
        {
            'name': 'Medway Council',
            'kind': 'local_authority',
            'country': 'England',
            'source': 'https://medway.gov.uk',
            'groups': [group.pk],
        },
    )
    council = Organisation.objects.get(name='Medway Council')
    assert response.url == council.get_absolute_url()
    assert list(council.groups.all()) == [group]
    # A clash is shown on the form, not raised.
    again = client.post(
        reverse('organisations:organisation_create'), {'name': 'Medway Council', 'kind': 'other', 'source': 'x'}
    )
    assert again.status_code == 200 and 'already exists' in again.content.decode()


def test_regulator_creates_a_group_and_manages_its_members(client_for, regulator, body_a, body_b):
    client = client_for(regulator)
    response = client.post(reverse('organisations:group_create'), {'name': 'Eastern region', 'description': ''})
    group = OrganisationGroup.objects.get(name='Eastern region')
    assert response.url == group.get_absolute_url()
    add = reverse('organisations:group_add_members', args=[group.slug])
    form = client.get(add).content.decode().split('<form', 1)[1]
    assert 'govuk-checkboxes__input' in form and 'Essex Police' in form and 'Office of the Biometrics' not in form
    client.post(add, {'organisations': [body_a.pk, body_b.pk]})
    assert set(group.organisations.all()) == {body_a, body_b}
    detail = client.get(group.get_absolute_url()).content.decode()
    remove = reverse('organisations:group_member_remove', args=[group.slug, body_b.slug])
    assert f'href="{remove}"' in detail  # a link to the confirmation, not a one-click form
    confirm = client.get(remove).content.decode()
    assert 'Remove Essex Police from Eastern region?' in confirm and 'Cancel' in confirm
    assert set(group.organisations.all()) == {body_a, body_b}  # looking at the page changes nothing
    response = client.post(remove, follow=True)
    assert 'Essex Police removed from Eastern region.' in response.content.decode()
    assert list(group.organisations.all()) == [body_a]
    assert client.get(remove).status_code == 404  # no longer a member: nothing to remove


def test_groups_list_counts_members_within_scope(client_for, regulator, viewer_a):
    assert '>47<' in client_for(regulator).get(reverse('organisations:group_list')).content.decode()
    assert '>1<' in client_for(viewer_a).get(reverse('organisations:group_list')).content.decode()
