import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.models import ObjectChange
from oversight.organisations import actions
from oversight.organisations.models import Organisation, OrganisationGroup


def test_regulator_creates_an_organisation_in_a_group_with_its_history(regulator):
    group = actions.create_group(regulator, name='Local authorities, South East')
    council = actions.create_organisation(
        regulator, name='Medway Council', kind='local_authority', country='England', groups=[group], source='x'
    )
    assert council.slug == 'medway-council'
    assert list(council.groups.all()) == [group]
    change = ObjectChange.objects.for_object(council).get()
    assert (change.action, change.user_name, change.after['groups']) == ('create', 'regulator', [group.pk])
    assert ObjectChange.objects.for_object(group).get().after['name'] == 'Local authorities, South East'


@pytest.mark.parametrize(
    ('name', 'kind', 'field'),
    [
        ('Kent Police', 'territorial', 'name'),
        ('kent police', 'territorial', 'name'),
        ('Import', 'other', 'name'),
        ('Ofcom', 'regulator', 'kind'),
    ],
)
def test_organisation_names_and_kinds_are_checked(regulator, name, kind, field):
    with pytest.raises(ValidationError) as exc:
        actions.create_organisation(regulator, name=name, kind=kind, source='x')
    assert field in exc.value.message_dict


def test_group_names_must_be_new(regulator):
    with pytest.raises(ValidationError, match='already exists'):
        actions.create_group(regulator, name='POLICING bodies, England and Wales')
    with pytest.raises(ValidationError, match='cannot be used'):
        actions.create_group(regulator, name='Add')


def test_members_join_and_leave_with_the_change_recorded_on_the_organisation(regulator, body_a, body_b):
    group = actions.create_group(regulator, name='South East forces')
    assert actions.add_members(regulator, group, [body_a, body_b]) == 2
    assert actions.add_members(regulator, group, [body_a]) == 0
    actions.remove_member(regulator, group, body_a)
    assert list(group.organisations.all()) == [body_b]
    messages = list(ObjectChange.objects.for_object(body_a).order_by('pk').values_list('message', flat=True))
    assert messages == ['Added to South East forces', 'Removed from South East forces']
    with pytest.raises(ValidationError, match='is not in'):
        actions.remove_member(regulator, group, body_a)


def test_the_regulator_cannot_join_a_group_of_bodies(regulator, regulator_org, body_a):
    group = actions.create_group(regulator, name='Mixed')
    with pytest.raises(ValidationError):
        actions.add_members(regulator, group, [body_a, regulator_org])
    # All or nothing: Kent Police did not join either.
    assert not group.organisations.exists()


@pytest.mark.parametrize('actor', ['editor_a', 'viewer_a'])
def test_body_users_cannot_write(request, actor, body_a):
    user = request.getfixturevalue(actor)
    group = OrganisationGroup.objects.get(slug='policing-bodies-england-wales')
    with pytest.raises(PermissionDenied):
        actions.create_organisation(user, name='Medway Council', kind='local_authority', source='x')
    with pytest.raises(PermissionDenied):
        actions.create_group(user, name='Mine')
    with pytest.raises(PermissionDenied):
        actions.remove_member(user, group, body_a)
    assert not Organisation.objects.filter(name='Medway Council').exists()
    assert body_a.groups.filter(pk=group.pk).exists()
