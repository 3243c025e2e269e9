import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.accounts import actions
from oversight.accounts.models import User
from oversight.core.models import ObjectChange

PASSWORD = 'a-long-enough-passphrase'


def test_account_page_shows_organisation_and_role(client_for, viewer_a):
    page = client_for(viewer_a).get(reverse('accounts:account')).content.decode()
    assert (
        'data-testid="account-organisation"><a class="govuk-link" href="/organisations/kent-police/">Kent Police'
        in page
    )
    assert 'Body viewer' in page
    assert reverse('accounts:user_list') not in page


def test_scope_of_the_user_list(regulator, editor_a, viewer_a, editor_b):
    assert set(User.objects.for_user(regulator)) == {regulator, editor_a, viewer_a, editor_b}
    assert set(User.objects.for_user(editor_a)) == {editor_a, viewer_a}
    assert list(User.objects.for_user(viewer_a)) == [viewer_a]


def test_editors_list_their_bodys_users_read_only(client_for, editor_a, viewer_a, editor_b):
    client = client_for(editor_a)
    page = client.get(reverse('accounts:user_list')).content.decode()
    assert 'viewer_a' in page and 'editor_b' not in page
    assert client.get(viewer_a.get_absolute_url()).status_code == 200
    assert client.get(editor_b.get_absolute_url()).status_code == 404
    assert client.post(reverse('accounts:user_list')).status_code == 405
    export = client.get(reverse('accounts:user_list') + '?export=csv').content.decode()
    assert 'viewer_a' in export and 'editor_b' not in export


def test_viewers_may_not_list_users(client_for, viewer_a):
    assert client_for(viewer_a).get(reverse('accounts:user_list')).status_code == 403


def test_regulator_lists_everyone(client_for, regulator, editor_a, editor_b):
    page = client_for(regulator).get(reverse('accounts:user_list')).content.decode()
    assert 'editor_a' in page and 'editor_b' in page


def test_create_user_is_audited_without_the_password_hash(body_a):
    user = actions.create_user(None, username='kent.analyst', organisation=body_a, role='viewer', password=PASSWORD)
    assert user.check_password(PASSWORD)
    change = ObjectChange.objects.for_object(user).get()
    assert (change.action, change.user_name, change.organisation_id) == ('create', 'system', body_a.pk)
    assert 'password' not in change.after and change.after['username'] == 'kent.analyst'
    actions.set_password(None, user, PASSWORD + '!')
    update = ObjectChange.objects.for_object(user).latest('pk')
    assert update.message == 'Password changed' and 'password' not in update.after


@pytest.mark.parametrize(
    ('organisation', 'role', 'password', 'field'),
    [
        ('body_a', 'regulator', PASSWORD, 'role'),
        ('regulator_org', 'editor', PASSWORD, 'role'),
        ('body_a', 'viewer', 'short', 'password'),
        ('body_a', 'viewer', 'password123', 'password'),
    ],
)
def test_create_user_refuses_bad_input(db, request, organisation, role, password, field):
    org = request.getfixturevalue(organisation)
    with pytest.raises(ValidationError) as exc:
        actions.create_user(None, username='new.user', organisation=org, role=role, password=password)
    assert field in exc.value.message_dict
    assert not User.objects.filter(username='new.user').exists()
    assert not ObjectChange.objects.exists()


def test_only_regulator_staff_create_users(editor_a, regulator, body_a):
    with pytest.raises(PermissionDenied):
        actions.create_user(editor_a, username='x', organisation=body_a, role='viewer', password=PASSWORD)
    created = actions.create_user(regulator, username='x', organisation=body_a, role='viewer', password=PASSWORD)
    assert ObjectChange.objects.for_object(created).get().user == regulator


def test_duplicate_username_is_refused(editor_a, body_a):
    with pytest.raises(ValidationError) as exc:
        actions.create_user(None, username='editor_a', organisation=body_a, role='viewer', password=PASSWORD)
    assert 'username' in exc.value.message_dict


def test_a_name_with_a_hidden_character_is_refused_naming_the_field(body_a):
    with pytest.raises(ValidationError) as refused:
        actions.create_user(
            None, username='kent.new', organisation=body_a, role='viewer', password=PASSWORD, last_name='Smith\u202e'
        )
    assert 'U+202E' in refused.value.message_dict['last_name'][0]
    assert not User.objects.filter(username='kent.new').exists()
