"""Second factors in Chromium: enrolment forced for an editor, an authenticator app with a real code, and a
security key (Chromium's virtual WebAuthn authenticator), each page checked with axe-core."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from . import test_accessibility
from .conftest import verified_email
from .test_accessibility import violations_on

# axe-core in every page (and so the Content Security Policy bypassed), as the accessibility tests have it.
browser_context_args = test_accessibility.browser_context_args
page = test_accessibility.page

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.OVERSIGHT_MFA_REQUIRED_ROLES = ['regulator', 'editor']


def password_sign_in(page, live_server, user):
    verified_email(user)
    page.goto(f'{live_server.url}/accounts/login/')
    page.get_by_label('Username').fill(user.username)
    page.get_by_label('Password').fill(f'pw-{user.username}')
    page.get_by_role('button', name='Sign in').click()


def confirm_password(page, user):
    expect(page).to_have_url(re.compile(r'/accounts/reauthenticate/'))
    assert violations_on(page) == []
    page.get_by_label('Password').fill(f'pw-{user.username}')
    page.get_by_role('button', name='Confirm').click()


def sign_out(page):
    page.get_by_role('button', name='Sign out').click()
    expect(page).to_have_url(re.compile(r'/accounts/login/$'))


def test_an_editor_must_add_an_authenticator_app_then_signs_in_with_its_code(editor_a, page, live_server):
    password_sign_in(page, live_server, editor_a)
    expect(page).to_have_url(re.compile(r'/accounts/2fa/$'))
    expect(page.get_by_text('Body editor must sign in with a second factor')).to_be_visible()
    assert violations_on(page) == []
    page.goto(f'{live_server.url}/register/')
    expect(page).to_have_url(re.compile(r'/accounts/2fa/$'))  # nothing else until a factor is added

    page.goto(f'{live_server.url}/accounts/2fa/totp/activate/')
    confirm_password(page, editor_a)
    expect(page).to_have_url(re.compile(r'/accounts/2fa/totp/activate/$'))
    expect(page.get_by_role('img')).to_be_visible()  # the QR code
    assert violations_on(page) == []
    secret = page.locator('#authenticator_secret').input_value()
    page.locator('input[name="code"]').fill('000000' if pyotp.TOTP(secret).now() != '000000' else '111111')
    page.get_by_role('button', name='Activate').click()
    expect(page.locator('.govuk-error-summary')).to_be_visible()
    assert violations_on(page) == []
    page.locator('input[name="code"]').fill(pyotp.TOTP(secret).now())
    page.get_by_role('button', name='Activate').click()
    # Straight to the recovery codes, made with the first factor, to be kept somewhere safe.
    expect(page.get_by_role('heading', level=1)).to_have_text('Recovery Codes')
    expect(page.get_by_text('There are 10 out of 10 recovery codes available.')).to_be_visible()
    assert violations_on(page) == []
    page.goto(f'{live_server.url}/register/')
    expect(page).to_have_url(re.compile(r'/register/$'))

    sign_out(page)
    password_sign_in(page, live_server, editor_a)
    expect(page).to_have_url(re.compile(r'/accounts/2fa/authenticate/$'))
    assert violations_on(page) == []
    page.locator('input[name="code"]').fill(pyotp.TOTP(secret).now())
    page.get_by_role('button', name='Sign in').click()
    expect(page).to_have_url(f'{live_server.url}/')
    expect(page.get_by_test_id('signed-in-as')).to_contain_text('Kent Police, body editor')


def test_a_regulator_adds_a_security_key_and_signs_in_with_it(regulator, page, live_server):
    # Chromium's virtual authenticator: a real WebAuthn ceremony, with no key plugged in.
    cdp = page.context.new_cdp_session(page)
    cdp.send('WebAuthn.enable')
    cdp.send(
        'WebAuthn.addVirtualAuthenticator',
        {
            'options': {
                'protocol': 'ctap2',
                'transport': 'usb',
                'hasResidentKey': True,
                'hasUserVerification': True,
                'isUserVerified': True,
                'automaticPresenceSimulation': True,
            }
        },
    )
    password_sign_in(page, live_server, regulator)
    expect(page).to_have_url(re.compile(r'/accounts/2fa/$'))
    page.goto(f'{live_server.url}/accounts/2fa/webauthn/add/')
    confirm_password(page, regulator)
    expect(page).to_have_url(re.compile(r'/accounts/2fa/webauthn/add/$'))
    assert violations_on(page) == []
    page.get_by_label('Name').fill('Desk key')
    page.get_by_role('button', name='Add').click()
    expect(page).not_to_have_url(re.compile(r'/webauthn/add/'))
    page.goto(f'{live_server.url}/accounts/2fa/webauthn/')
    expect(page.get_by_role('cell', name='Desk key', exact=True)).to_be_visible()
    assert violations_on(page) == []

    sign_out(page)
    password_sign_in(page, live_server, regulator)
    expect(page).to_have_url(re.compile(r'/accounts/2fa/authenticate/$'))
    page.get_by_role('button', name='Use a security key').click()
    expect(page).to_have_url(f'{live_server.url}/')
    expect(page.get_by_test_id('signed-in-as')).to_contain_text('regulator')
