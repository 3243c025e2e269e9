"""People run in the service: invitations by email, roles, deactivation, sessions and idle sign-out."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from oversight.accounts import actions
from oversight.accounts.events import AccountEvent
from oversight.accounts.models import AccountInvitation, User
from oversight.core.models import ObjectChange
from oversight.jobs.models import Job

LINK = re.compile(r'http://testserver(/accounts/invitation/(ovi_[\w-]+)/)')


@pytest.fixture
def admin_a(body_a):
    return User.objects.create_user('admin_a', password='pw-admin_a', organisation=body_a, role=User.Role.ADMINISTRATOR)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def verified(user):
    """Someone who has followed the link sent to their address: allauth lets them sign in."""
    EmailAddress.objects.create(user=user, email=f'{user.username}@kent.police.example', verified=True, primary=True)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(kind: AccountEvent):
    return ObjectChange.objects.filter(action=ObjectChange.Action.EVENT, after__event=kind.value)


def invite(client, commits, **fields):
    data = {'email': 'sam.okafor@kent.police.example', 'first_name': 'Sam', 'last_name': 'Okafor', 'role': 'editor'}
    with commits(execute=True):
        return client.post('/accounts/people/invite/', {**data, **fields})


def emailed_link() -> str:
    (sent,) = mail.outbox
    return LINK.search(sent.body).group(1)


@override_settings(OVERSIGHT_BASE_URL='http://testserver')
def test_an_administrator_invites_and_the_person_sets_a_password_once(client_for, admin_a, body_a, commits):
    client = client_for(admin_a)
    people = client.get('/accounts/people/').content.decode()
    assert 'Invite someone' in people
    form = client.get('/accounts/people/invite/')
    assert [value for value, _ in form.context['form'].fields['role'].choices] == ['administrator', 'editor', 'viewer']
    done = invite(client, commits, organisation=body_a.pk)
    assert done.status_code == 302
    person = User.objects.get(email='sam.okafor@kent.police.example')
    assert (person.organisation, person.role, person.has_usable_password()) == (body_a, 'editor', False)
    assert person.status == 'invited'
    assert Job.objects.get(kind=Job.Kind.ACCOUNT_INVITATION).status == Job.Status.DONE  # through the task queue
    (sent,) = mail.outbox
    assert sent.to == [person.email] and sent.subject == 'You are invited to Oversight for Kent Police'
    path = emailed_link()
    invitation = AccountInvitation.objects.get(user=person)
    assert path.split('/')[-2] not in str(list(ObjectChange.objects.values('before', 'after')))  # never stored
    assert invitation.digest and 'Invited' in client.get('/accounts/people/').content.decode()

    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and 'sam.okafor@kent.police.example' in page.content.decode()
    mismatch = anonymous.post(path, {'password1': 'a long passphrase 1', 'password2': 'another passphrase'})
    assert 'The passwords do not match' in mismatch.content.decode()
    weak = anonymous.post(path, {'password1': '12345678', 'password2': '12345678'})
    assert weak.status_code == 200 and 'password1' in weak.context['form'].errors
    set_up = anonymous.post(path, {'password1': 'a long passphrase 1', 'password2': 'a long passphrase 1'})
    assert set_up.status_code == 302 and set_up['Location'] == '/accounts/login/'
    person.refresh_from_db()
    assert person.check_password('a long passphrase 1') and person.status == 'active'
    assert EmailAddress.objects.get(user=person).verified  # the link proved the address
    signed_in = Client().post('/accounts/login/', {'login': person.email, 'password': 'a long passphrase 1'})
    assert signed_in['Location'] == '/'

    # The link works once: used again it says so, changes nothing, and is audited.
    again = anonymous.post(path, {'password1': 'a new passphrase 22', 'password2': 'a new passphrase 22'})
    assert again.status_code == 410 and 'already been used' in again.content.decode()
    person.refresh_from_db()
    assert person.check_password('a long passphrase 1')
    assert events(AccountEvent.INVITATION_REFUSED).get().message == 'Invitation link refused: used'
    kinds = [c.after['event'] for c in ObjectChange.objects.for_object(person).order_by('pk')]
    assert kinds[:3] == ['invited', 'invitation-sent', 'invitation-accepted']


@override_settings(OVERSIGHT_BASE_URL='http://testserver', OVERSIGHT_INVITATION_DAYS=2)
def test_an_expired_link_is_refused_and_a_new_one_replaces_it(client_for, admin_a, body_a, commits):
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        invite(client_for(admin_a), commits, organisation=body_a.pk)
    old = emailed_link()
    person = User.objects.get(email='sam.okafor@kent.police.example')
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        expired = Client().get(old)
        assert expired.status_code == 410 and 'This invitation has expired' in expired.content.decode()
        assert events(AccountEvent.INVITATION_REFUSED).get().message == 'Invitation link refused: expired'
        # A fresh sign-in: the one above went idle in the two days (accounts/sessions.py).
        admin = signed_in(admin_a)
        page = admin.get(person.get_absolute_url()).content.decode()
        assert 'The invitation expired on' in page and 'Send a new invitation' in page
        mail.outbox.clear()
        with commits(execute=True):
            resent = admin.post(f'/accounts/users/{person.pk}/resend-invitation/')
        assert resent.status_code == 302
        new = emailed_link()
        assert new != old and Client().get(old).status_code == 404  # the earlier link no longer exists
        assert Client().get(new).status_code == 200


def test_an_unknown_link_says_so(db):
    page = Client().get('/accounts/invitation/ovi_not-a-real-one/')
    assert page.status_code == 404 and 'not a working invitation' in page.content.decode()


def test_an_address_already_in_use_is_refused_naming_the_field(client_for, admin_a, editor_a, body_a, commits):
    EmailAddress.objects.create(user=editor_a, email='taken@kent.police.example', verified=True, primary=True)
    before = (User.objects.count(), Job.objects.count(), ObjectChange.objects.count())
    refused = invite(client_for(admin_a), commits, organisation=body_a.pk, email='Taken@kent.police.example')
    assert refused.status_code == 200
    assert 'Another account has this email address' in ' '.join(refused.context['form'].errors['email'])
    assert (User.objects.count(), Job.objects.count(), ObjectChange.objects.count()) == before and not mail.outbox


def test_roles_outside_the_bodys_set_are_refused(client_for, admin_a, body_a, body_b, regulator_org, commits):
    refused = invite(client_for(admin_a), commits, organisation=body_a.pk, role='regulator')
    assert 'role' in refused.context['form'].errors  # not even offered
    with pytest.raises(ValidationError) as caught:
        actions.invite_person(admin_a, organisation=body_a, email='x@kent.police.example', role='regulator')
    assert 'role' in caught.value.message_dict
    with pytest.raises(PermissionDenied):  # another body, or the regulator
        actions.invite_person(admin_a, organisation=body_b, email='x@essex.police.example', role='editor')
    with pytest.raises(PermissionDenied):
        actions.invite_person(admin_a, organisation=regulator_org, email='x@obscc.example', role='regulator')
    assert not User.objects.filter(username__startswith='x@').exists()


def test_regulator_staff_invite_a_bodys_first_administrator_but_not_its_editors(client_for, regulator, body_b, commits):
    client = client_for(regulator)
    refused = invite(client, commits, organisation=body_b.pk, role='editor', email='ed@essex.police.example')
    assert refused.context['form'].errors['role']  # not offered
    with pytest.raises(ValidationError, match=r'these roles only: Body administrator \(not Body editor\)'):
        actions.invite_person(regulator, organisation=body_b, email='ed@essex.police.example', role='editor')
    done = invite(client, commits, organisation=body_b.pk, role='administrator', email='ad@essex.police.example')
    assert done.status_code == 302
    first = User.objects.get(email='ad@essex.police.example')
    assert (first.organisation, first.role) == (body_b, 'administrator')
    assert first in client.get('/accounts/people/').context['table'].data


def test_the_role_changes_within_the_body_and_the_history_says_so(client_for, admin_a, editor_a):
    client = client_for(admin_a)
    url = f'/accounts/users/{editor_a.pk}/role/'
    form = client.get(url)
    assert [value for value, _ in form.context['form'].fields['role'].choices] == ['administrator', 'editor', 'viewer']
    assert client.post(url, {'role': 'regulator'}).context['form'].errors['role']
    same = client.post(url, {'role': 'editor'})
    assert 'already Body editor' in str(same.context['form'].errors['role'])
    assert client.post(url, {'role': 'viewer'}).status_code == 302
    editor_a.refresh_from_db()
    assert editor_a.role == 'viewer'
    changed = events(AccountEvent.ROLE_CHANGED).get()
    assert (changed.user, changed.before, changed.after['role']) == (admin_a, {'role': 'editor'}, 'viewer')
    page = client.get(editor_a.get_absolute_url()).content.decode()
    assert 'Role changed' in page and '<del>Body editor</del>' in page and '<ins>Body viewer</ins>' in page
    assert 'role-changed' not in page  # the event's code is said in words, not shown as a field


def test_another_bodys_people_are_not_found(client_for, admin_a, editor_b, regulator):
    client = client_for(admin_a)
    for action in ('role/', 'deactivate/', 'reactivate/', 'reset-second-factor/', 'resend-invitation/'):
        assert client.get(f'/accounts/users/{editor_b.pk}/{action}').status_code == 404
        assert client.post(f'/accounts/users/{editor_b.pk}/{action}', {'role': 'viewer'}).status_code == 404
        assert client.get(f'/accounts/users/{regulator.pk}/{action}').status_code == 404
    assert editor_b not in client.get('/accounts/people/').context['table'].data
    with pytest.raises(PermissionDenied):
        actions.deactivate_person(admin_a, editor_b)
    editor_b.refresh_from_db()
    assert editor_b.is_active


def test_editors_and_viewers_administer_nobody(client_for, editor_a, viewer_a):
    for person in (editor_a, viewer_a):
        assert client_for(person).get('/accounts/people/').status_code == 403
        assert client_for(person).get('/accounts/people/invite/').status_code == 403


def test_deactivating_signs_the_person_out_everywhere_and_reactivating_lets_them_in(client_for, admin_a, editor_a):
    verified(editor_a)
    theirs = Client()
    assert theirs.post('/accounts/login/', {'login': 'editor_a', 'password': 'pw-editor_a'}).status_code == 302
    theirs.get('/')
    assert UserSession.objects.filter(user=editor_a).exists()
    client = client_for(admin_a)
    confirm = client.get(f'/accounts/users/{editor_a.pk}/deactivate/').content.decode()
    assert 'Deactivate the account of editor_a?' in confirm and 'signed out everywhere' in confirm
    assert client.post(f'/accounts/users/{editor_a.pk}/deactivate/')['Location'] == editor_a.get_absolute_url()
    editor_a.refresh_from_db()
    assert not editor_a.is_active and editor_a.status == 'deactivated'
    assert not UserSession.objects.filter(user=editor_a).exists()
    assert theirs.get('/')['Location'].startswith('/accounts/login/')
    assert events(AccountEvent.DEACTIVATED).get().after['sessions_ended'] == 1
    assert 'Reactivate account' in client.get(editor_a.get_absolute_url()).content.decode()
    assert client.post(f'/accounts/users/{editor_a.pk}/reactivate/').status_code == 302
    editor_a.refresh_from_db()
    assert editor_a.is_active and events(AccountEvent.REACTIVATED).exists()
    assert Client().post('/accounts/login/', {'login': 'editor_a', 'password': 'pw-editor_a'})['Location'] == '/'


def test_people_see_their_sessions_and_end_the_others(db, editor_a):
    verified(editor_a)
    here, there, elsewhere = Client(), Client(HTTP_USER_AGENT='Firefox on a phone'), Client()
    for client in (here, there, elsewhere):
        assert client.post('/accounts/login/', {'login': 'editor_a', 'password': 'pw-editor_a'}).status_code == 302
    page = here.get('/accounts/sessions/')
    assert len(page.context['sessions']) == 3 and 'Firefox on a phone' in page.content.decode()
    phone = UserSession.objects.get(user_agent='Firefox on a phone')
    confirm = here.get(f'/accounts/sessions/{phone.pk}/sign-out/').content.decode()
    assert 'Sign out of this session?' in confirm and 'Firefox on a phone' in confirm
    assert here.post(f'/accounts/sessions/{phone.pk}/sign-out/').status_code == 302
    assert there.get('/')['Location'].startswith('/accounts/login/')
    current = UserSession.objects.get(session_key=here.session.session_key)
    assert here.get(f'/accounts/sessions/{current.pk}/sign-out/').status_code == 404  # not this one: sign out
    assert here.post('/accounts/sessions/sign-out-others/').status_code == 302
    assert elsewhere.get('/')['Location'].startswith('/accounts/login/')
    assert here.get('/').status_code == 200
    assert here.get('/accounts/sessions/sign-out-others/').status_code == 404  # no others left
    assert [e.after['sessions_ended'] for e in events(AccountEvent.SESSIONS_ENDED).order_by('pk')] == [1, 1]


@override_settings(OVERSIGHT_SESSION_IDLE_MINUTES=30)
def test_an_idle_session_is_signed_out(db, editor_a):
    verified(editor_a)
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        client.post('/accounts/login/', {'login': 'editor_a', 'password': 'pw-editor_a'})
        assert client.get('/').status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get('/').status_code == 200  # still in use: the clock starts again
        seen = UserSession.objects.get(user=editor_a).last_seen_at
        assert seen == start + datetime.timedelta(minutes=29)
    with time_machine.travel(start + datetime.timedelta(minutes=58), tick=False):
        assert client.get('/').status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=90), tick=False):
        refused = client.get('/register/')
        assert refused['Location'] == '/accounts/login/?next=/register/'
        assert 'signed out after 30 minutes' in client.get(refused['Location']).content.decode()
        assert client.get('/')['Location'].startswith('/accounts/login/')


def test_a_person_in_a_single_sign_on_organisation_may_skip_the_password(db, admin_a, body_a, commits):
    actions.set_single_sign_on(
        None, body_a, issuer='https://login.kent.example', client_id='c', secret='s', domains=['kent.police.example']
    )
    with override_settings(OVERSIGHT_BASE_URL='http://testserver'), commits(execute=True):
        actions.invite_person(admin_a, organisation=body_a, email='sso@kent.police.example', role='viewer')
    path = emailed_link()
    page = Client().get(path).content.decode()
    assert 'Use my organisation’s sign-in' in page
    done = Client().post(path, {'single_sign_on': '1'})
    assert done['Location'] == '/accounts/sso/'
    person = User.objects.get(email='sso@kent.police.example')
    assert not person.has_usable_password() and EmailAddress.objects.get(user=person).verified
    assert events(AccountEvent.INVITATION_ACCEPTED).get().after['method'] == 'single sign-on'


def test_a_request_within_a_minute_of_the_last_writes_nothing(db, editor_a):
    """The idle clock is noted at most once a minute (accounts/sessions.py), not on every request as
    SESSION_SAVE_EVERY_REQUEST would (one UPDATE of the session a page view)."""
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client = signed_in(editor_a)  # the clock starts at sign-in
        client.get('/accounts/')
    with (
        time_machine.travel(start + datetime.timedelta(seconds=59), tick=False),
        CaptureQueriesContext(connection) as q,
    ):
        client.get('/accounts/')
    assert not [s['sql'] for s in q.captured_queries if s['sql'].startswith(('INSERT', 'UPDATE', 'DELETE'))]
    with (
        time_machine.travel(start + datetime.timedelta(seconds=61), tick=False),
        CaptureQueriesContext(connection) as q,
    ):
        client.get('/accounts/')
    writes = [s['sql'] for s in q.captured_queries if s['sql'].startswith(('INSERT', 'UPDATE'))]
    assert any('usersessions_usersession' in w for w in writes) and any('django_session' in w for w in writes)


def test_regulator_staff_run_their_own_colleagues(client_for, regulator, regulator_org, commits):
    client = client_for(regulator)
    done = invite(client, commits, organisation=regulator_org.pk, role='regulator', email='new@obscc.example')
    assert done.status_code == 302
    colleague = User.objects.get(email='new@obscc.example')
    assert colleague.role == 'regulator' and colleague in client.get('/accounts/people/').context['table'].data
    with pytest.raises(ValidationError) as caught:  # the regulator's people are regulator staff only
        actions.change_role(regulator, colleague, 'administrator')
    assert 'role' in caught.value.message_dict
    assert client.post(f'/accounts/users/{colleague.pk}/deactivate/').status_code == 302
    with pytest.raises(ValidationError, match='deactivated'):  # no new link for an account switched off
        actions.resend_invitation(regulator, User.objects.get(pk=colleague.pk))
    assert regulator not in client.get('/accounts/people/').context['table'].data  # not themselves
