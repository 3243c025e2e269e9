"""Second factors (allauth.mfa): required by role, enrolment forced, real TOTP codes, recovery codes, resets."""

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client, override_settings

from oversight.accounts.events import AccountEvent
from oversight.accounts.models import User
from oversight.core.models import ObjectChange

pytestmark = pytest.mark.usefixtures('_second_factor_required')

LOGIN = '/accounts/login/'
AUTHENTICATE = '/accounts/2fa/authenticate/'


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def _second_factor_required():
    with override_settings(OVERSIGHT_MFA_REQUIRED_ROLES=['regulator', 'editor']):
        yield


def verified(user):
    EmailAddress.objects.create(user=user, email=f'{user.username}@example.org', verified=True, primary=True)
    return user


def sign_in(user) -> tuple[Client, str]:
    client = Client()
    response = client.post(LOGIN, {'login': user.username, 'password': f'pw-{user.username}'})
    assert response.status_code == 302
    return client, response['Location']


def enrol_totp(client, user, commits) -> str:
    """Add an authenticator app as a person does: the secret the page shows, and a code computed from it."""
    asked = client.get('/accounts/2fa/totp/activate/')
    # Adding a factor asks for the password again first.
    assert asked.status_code == 302 and asked['Location'].startswith('/accounts/reauthenticate/')
    assert client.post(asked['Location'], {'password': f'pw-{user.username}'}).status_code == 302
    page = client.get('/accounts/2fa/totp/activate/')
    assert page.status_code == 200
    secret = page.context['form'].secret
    assert secret in page.content.decode()  # shown for typing in, beside the QR code
    refused = client.post('/accounts/2fa/totp/activate/', {'code': wrong(pyotp.TOTP(secret).now())})
    assert refused.status_code == 200 and 'Incorrect code' in refused.content.decode()
    # allauth announces the new factor (and so its audit row) once the transaction commits.
    with commits(execute=True):
        done = client.post('/accounts/2fa/totp/activate/', {'code': pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    return secret


def enrolled(user, commits) -> str:
    """Someone who has added an authenticator app and signed out again; its secret."""
    verified(user)
    client, _ = sign_in(user)
    secret = enrol_totp(client, user, commits)
    client.post('/accounts/logout/')
    return secret


def wrong(code: str) -> str:
    return f'{(int(code) + 1) % 10**6:06d}'


def events(kind: AccountEvent):
    return ObjectChange.objects.filter(action=ObjectChange.Action.EVENT, after__event=kind.value)


def signed_in(client) -> bool:
    return '_auth_user_id' in client.session


def test_an_editor_without_a_second_factor_is_sent_to_add_one_before_anything_else(db, editor_a, commits):
    verified(editor_a)
    client, home = sign_in(editor_a)
    for path in (home, '/register/', '/accounts/'):
        response = client.get(path)
        assert response.status_code == 302 and response['Location'] == '/accounts/2fa/', path
    assert 'Body editor must sign in with a second factor' in client.get('/accounts/2fa/').content.decode()
    enrol_totp(client, editor_a, commits)
    assert client.get('/register/').status_code == 200
    added = events(AccountEvent.SECOND_FACTOR_ADDED)
    assert {(row.object_id, row.user, row.after['type']) for row in added} == {
        (str(editor_a.pk), editor_a, 'totp'),
        (str(editor_a.pk), editor_a, 'recovery_codes'),
    }
    # Recovery codes are made with the first factor, to sign in with when the phone is lost.
    assert Authenticator.objects.filter(user=editor_a, type='recovery_codes').exists()


def test_a_viewer_may_go_without_a_second_factor(db, viewer_a):
    verified(viewer_a)
    client, home = sign_in(viewer_a)
    assert client.get('/register/').status_code == 200
    assert 'your role must have one' not in client.get('/accounts/').content.decode()


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_or_replayed_one(db, editor_a, commits):
    secret = enrolled(editor_a, commits)

    client, location = sign_in(editor_a)
    assert location == AUTHENTICATE and not signed_in(client)
    code = pyotp.TOTP(secret).now()
    refused = client.post(AUTHENTICATE, {'code': wrong(code)})
    assert refused.status_code == 200 and 'Incorrect code' in refused.content.decode() and not signed_in(client)
    failed = events(AccountEvent.SECOND_FACTOR_FAILED).get()
    assert (failed.object_id, failed.user, failed.after['type']) == (str(editor_a.pk), None, 'totp')
    assert client.post(AUTHENTICATE, {'code': code})['Location'] == '/'
    assert signed_in(client) and client.get('/register/').status_code == 200
    methods = events(AccountEvent.SIGNED_IN).latest('pk').after['methods']
    assert methods == ['password', 'mfa']

    # The same code again, within its thirty seconds, from someone who watched it typed: refused.
    thief, location = sign_in(editor_a)
    assert location == AUTHENTICATE
    replayed = thief.post(AUTHENTICATE, {'code': code})
    assert replayed.status_code == 200 and not signed_in(thief)
    assert events(AccountEvent.SECOND_FACTOR_FAILED).count() == 2


def test_a_recovery_code_signs_in_once(db, regulator, commits):
    verified(regulator)
    client, _ = sign_in(regulator)
    enrol_totp(client, regulator, commits)
    codes = RecoveryCodes(Authenticator.objects.get(user=regulator, type='recovery_codes')).get_unused_codes()
    assert len(codes) == 10

    client, location = sign_in(regulator)
    assert location == AUTHENTICATE
    assert client.post(AUTHENTICATE, {'code': codes[0]})['Location'] == '/'
    assert signed_in(client)

    again, _ = sign_in(regulator)
    assert again.post(AUTHENTICATE, {'code': codes[0]}).status_code == 200 and not signed_in(again)
    assert again.post(AUTHENTICATE, {'code': codes[1]})['Location'] == '/'


def test_a_body_administrator_resets_a_second_factor_and_the_person_enrols_again(
    db, regulator, editor_a, viewer_a, commits
):
    verified(editor_a)
    client, _ = sign_in(editor_a)
    enrol_totp(client, editor_a, commits)
    url = f'/accounts/users/{editor_a.pk}/reset-second-factor/'
    administrator = User.objects.create_user(
        'admin_a', password='pw-admin_a', organisation=editor_a.organisation, role=User.Role.ADMINISTRATOR
    )

    # Only whoever administers the person: their body's administrators (regulator staff run only the
    # regulator's people and bodies' administrators); nobody else learns the page exists.
    assert Client().get(url).status_code == 302
    TOTP.activate(regulator, pyotp.random_base32())  # regulator staff need a factor of their own
    for outsider in (editor_a, viewer_a, regulator):
        other = Client()
        other.force_login(outsider)
        assert other.post(url).status_code == 404
    TOTP.activate(administrator, pyotp.random_base32())  # administrators need a factor of their own
    admin = Client()
    admin.force_login(administrator)
    assert 'Reset second factor' in admin.get(editor_a.get_absolute_url()).content.decode()
    assert admin.post(f'/accounts/users/{administrator.pk}/reset-second-factor/').status_code == 404
    assert Authenticator.objects.filter(user=editor_a).count() == 2

    done = admin.post(url)
    assert done.status_code == 302 and done['Location'] == editor_a.get_absolute_url()
    assert not Authenticator.objects.filter(user=editor_a).exists()
    reset = events(AccountEvent.SECOND_FACTOR_RESET).get()
    assert (reset.object_id, reset.user, reset.organisation) == (str(editor_a.pk), administrator, editor_a.organisation)
    assert reset.after['types'] == ['recovery_codes', 'totp']
    assert admin.post(url).status_code == 200  # nothing left to reset: said, not done

    # At the next sign-in there is no code to ask for: the editor must add a new factor first.
    client, home = sign_in(editor_a)
    assert home == '/' and client.get('/register/')['Location'] == '/accounts/2fa/'


def test_regulator_staff_reset_a_body_administrators_second_factor(db, regulator, body_a):
    administrator = User.objects.create_user(
        'admin_a', password='pw-admin_a', organisation=body_a, role=User.Role.ADMINISTRATOR
    )
    TOTP.activate(administrator, pyotp.random_base32())
    TOTP.activate(regulator, pyotp.random_base32())
    staff = Client()
    staff.force_login(regulator)
    done = staff.post(f'/accounts/users/{administrator.pk}/reset-second-factor/')
    assert done.status_code == 302 and not Authenticator.objects.filter(user=administrator).exists()


def test_guessing_codes_is_stopped_after_five_wrong_ones(db, editor_a, commits):
    secret = enrolled(editor_a, commits)
    guesser, _ = sign_in(editor_a)
    code = pyotp.TOTP(secret).now()
    for _ in range(5):
        assert 'Incorrect code' in guesser.post(AUTHENTICATE, {'code': wrong(code)}).content.decode()
    # Even the right code is refused now: five guesses a person in five minutes.
    stopped = guesser.post(AUTHENTICATE, {'code': code})
    assert stopped.status_code == 200 and 'Too many failed' in stopped.content.decode()
    assert not signed_in(guesser)
