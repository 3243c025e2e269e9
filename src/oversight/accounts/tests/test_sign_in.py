"""Signing in on django-allauth: verified email addresses, password reset by email, no sign-up, lock-out, audit."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client, override_settings

from oversight.accounts import actions
from oversight.accounts.events import AccountEvent
from oversight.accounts.models import User
from oversight.core.models import ObjectChange

PASSWORD = 'a-long-enough-passphrase'
LOGIN = '/accounts/login/'
ANALYST = 'analyst@kent.example'


@pytest.fixture
def analyst(body_a):
    """A Kent Police viewer made by `create-user`, who has not yet followed the verification link."""
    return actions.create_user(
        None, username='kent.analyst', organisation=body_a, role='viewer', password=PASSWORD, email=ANALYST
    )


def verify(user):
    EmailAddress.objects.filter(user=user).update(verified=True)


def events(kind: AccountEvent):
    return ObjectChange.objects.filter(action=ObjectChange.Action.EVENT, after__event=kind.value)


def signed_in_as(client) -> str | None:
    user_id = client.session.get('_auth_user_id')
    return User.objects.get(pk=user_id).username if user_id else None


def test_a_verified_person_signs_in_by_username_or_email_and_it_is_audited(db, analyst):
    verify(analyst)
    client = Client(REMOTE_ADDR='198.51.100.20')
    response = client.post(LOGIN, {'login': 'kent.analyst', 'password': PASSWORD})
    assert response.status_code == 302 and response['Location'] == '/'
    assert signed_in_as(client) == 'kent.analyst'
    row = events(AccountEvent.SIGNED_IN).get()
    assert (row.user, row.organisation, row.object_id) == (analyst, analyst.organisation, str(analyst.pk))
    assert row.after['address'] == '198.51.100.20' and row.after['methods'] == ['password']

    other = Client()
    assert other.post(LOGIN, {'login': 'ANALYST@kent.example', 'password': PASSWORD}).status_code == 302
    assert signed_in_as(other) == 'kent.analyst'
    assert events(AccountEvent.SIGNED_IN).count() == 2


def test_an_unverified_address_gets_a_link_before_its_owner_is_let_in(db, analyst):
    client = Client()
    response = client.post(LOGIN, {'login': 'kent.analyst', 'password': PASSWORD})
    assert response.status_code == 302 and response['Location'] == '/accounts/confirm-email/'
    assert signed_in_as(client) is None
    assert events(AccountEvent.SIGNED_IN).count() == 0
    (message,) = mail.outbox
    assert message.to == ['analyst@kent.example'] and message.subject.startswith('Oversight: ')
    link = re.search(r'https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)', message.body).group(1)
    # Opening the link only asks; the address is verified when its owner confirms (a mail scanner does not).
    assert 'Confirm' in client.get(link).content.decode()
    assert not EmailAddress.objects.get(user=analyst).verified
    client.post(link)
    assert EmailAddress.objects.get(user=analyst).verified
    assert events(AccountEvent.EMAIL_VERIFIED).get().object_id == str(analyst.pk)
    assert client.post(LOGIN, {'login': 'kent.analyst', 'password': PASSWORD})['Location'] == '/'
    assert signed_in_as(client) == 'kent.analyst'


def test_failed_sign_ins_are_audited_with_the_name_tried(db, analyst):
    verify(analyst)
    client = Client(REMOTE_ADDR='198.51.100.21')
    page = client.post(LOGIN, {'login': 'kent.analyst', 'password': 'wrong'})
    assert page.status_code == 200 and 'password you entered do not match an account' in page.content.decode()
    client.post(LOGIN, {'login': 'nobody.here', 'password': 'wrong'})
    known, unknown = events(AccountEvent.SIGN_IN_FAILED).order_by('pk')
    assert (known.object_id, known.user, known.user_name) == (str(analyst.pk), None, 'anonymous')
    assert known.organisation == analyst.organisation and known.after['address'] == '198.51.100.21'
    assert (unknown.object_id, unknown.object_repr, unknown.organisation) == ('', 'nobody.here', None)
    assert unknown.after['name_tried'] == 'nobody.here'
    assert 'password' not in str(known.after) + str(unknown.after)


@override_settings(AXES_ENABLED=True)
def test_the_lock_out_works_on_allauths_form_and_is_audited(db, analyst):
    verify(analyst)
    here = Client(REMOTE_ADDR='198.51.100.22')
    for _ in range(4):
        assert here.post(LOGIN, {'login': 'kent.analyst', 'password': 'wrong'}).status_code == 200
    assert here.post(LOGIN, {'login': 'Kent.Analyst', 'password': 'wrong'}).status_code == 429
    locked = here.post(LOGIN, {'login': 'kent.analyst', 'password': PASSWORD})
    assert locked.status_code == 429 and 'Too many failed sign-in attempts' in locked.content.decode()
    assert signed_in_as(here) is None
    # One row for the attempt that locked it, one for the attempt refused while locked.
    rows = events(AccountEvent.LOCKED_OUT)
    assert rows.count() == 2
    assert {(row.object_id, row.after['address']) for row in rows} == {(str(analyst.pk), '198.51.100.22')}
    assert events(AccountEvent.SIGN_IN_FAILED).count() == 6
    # The right password from another address still works.
    elsewhere = Client(REMOTE_ADDR='198.51.100.23')
    assert elsewhere.post(LOGIN, {'login': 'kent.analyst', 'password': PASSWORD})['Location'] == '/'


def test_a_password_is_reset_by_a_link_sent_to_the_verified_address(db, analyst):
    verify(analyst)
    client = Client()
    response = client.post('/accounts/password/reset/', {'email': 'analyst@kent.example'})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r'https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)', message.body).group(1)
    assert events(AccountEvent.PASSWORD_RESET_REQUESTED).get().object_id == str(analyst.pk)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'password1' in form.content.decode()
    new = 'another-long-passphrase'
    done = client.post(form.redirect_chain[-1][0], {'password1': new, 'password2': new})
    assert done.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password(new) and not analyst.check_password(PASSWORD)
    assert events(AccountEvent.PASSWORD_RESET).get().object_id == str(analyst.pk)
    # The link works once.
    assert 'password1' not in client.get(link, follow=True).content.decode()


def test_a_reset_asked_for_on_a_welsh_page_is_sent_in_welsh(db, analyst):
    verify(analyst)
    Client().post('/accounts/password/reset/?lang=cy', {'email': ANALYST})
    (message,) = mail.outbox
    assert message.subject == 'Oversight: E-bost ailosod cyfrinair'
    assert 'oherwydd eich bod chi neu rywun arall wedi gofyn am ailosod y cyfrinair' in message.body
    assert 'password reset' not in message.body and 'Hello from' not in message.body


def test_a_reset_for_an_unknown_address_says_the_same_and_changes_nothing(db, analyst):
    response = Client().post('/accounts/password/reset/', {'email': 'stranger@example.org'})
    assert response.status_code == 302 and response['Location'] == '/accounts/password/reset/done/'
    assert events(AccountEvent.PASSWORD_RESET_REQUESTED).count() == 0
    assert all('/accounts/password/reset/key/' not in m.body for m in mail.outbox)


def test_there_is_no_sign_up(db):
    client = Client()
    page = client.get('/accounts/signup/')
    assert page.status_code == 200 and 'There is no sign-up' in page.content.decode()
    client.post(
        '/accounts/signup/',
        {'username': 'self.made', 'email': 'self@example.org', 'password1': PASSWORD, 'password2': PASSWORD},
    )
    assert not User.objects.filter(username='self.made').exists()
    assert 'sign up' not in client.get(LOGIN).content.decode().lower().replace('no sign-up', '')


def test_create_user_records_an_unverified_address_and_refuses_a_taken_one(db, analyst, body_a):
    address = EmailAddress.objects.get(user=analyst)
    assert (address.email, address.primary, address.verified) == ('analyst@kent.example', True, False)
    with pytest.raises(actions.ValidationError) as refused:
        actions.create_user(
            None, username='kent.two', organisation=body_a, role='viewer', password=PASSWORD, email=ANALYST.upper()
        )
    assert 'email' in refused.value.message_dict


def test_account_events_show_on_the_persons_history(db, analyst, regulator, client_for):
    verify(analyst)
    Client(REMOTE_ADDR='198.51.100.30').post(LOGIN, {'login': 'kent.analyst', 'password': 'wrong'})
    Client().post(LOGIN, {'login': 'kent.analyst', 'password': PASSWORD})
    page = client_for(regulator).get(analyst.get_absolute_url()).content.decode()
    assert 'Sign-in failed: wrong name or password' in page and '198.51.100.30' in page
    assert 'Signed in' in page
