"""Single sign-on through a real OpenID Connect provider on loopback (tests/oidc_provider.mjs, the npm
oidc-provider package), in Chromium: authorisation code flow with PKCE, people matched by verified address
to the accounts their organisation made, and every bad reply refused with a reason and audited."""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialApp
from playwright.sync_api import expect

from oversight.accounts import actions
from oversight.accounts.events import AccountEvent
from oversight.accounts.models import SingleSignOn, User
from oversight.core.models import ObjectChange

from . import test_accessibility
from .test_accessibility import violations_on

# axe-core in every page (and so the Content Security Policy bypassed), as the accessibility tests have it.
browser_context_args = test_accessibility.browser_context_args
page = test_accessibility.page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SECRET = 'kent-client-secret-for-the-test-provider'
# Who the provider knows, by login name: the claims it returns for each.
ACCOUNTS = {
    'analyst': {'email': 'Analyst@kent.police.uk', 'email_verified': True, 'name': 'Kent Analyst'},
    'stranger': {'email': 'stranger@kent.police.uk', 'email_verified': True},
    'unverified': {'email': 'analyst@kent.police.uk', 'email_verified': False},
    'essex': {'email': 'editor@essex.police.uk', 'email_verified': True},
}


@pytest.fixture
def provider(live_server, tmp_path, body_a):
    config = tmp_path / 'provider.json'
    callback = f'{live_server.url}/accounts/oidc/kent-police/login/callback/'
    client = {'client_id': 'oversight-kent', 'client_secret': SECRET, 'redirect_uris': [callback]}
    config.write_text(json.dumps({'clients': [client], 'accounts': ACCOUNTS}))
    node = subprocess.Popen(
        ['node', str(ROOT / 'tests' / 'oidc_provider.mjs'), str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = node.stdout.readline()
        assert line.startswith('{'), f'the provider did not start: {line!r}'
        issuer = json.loads(line)['issuer']
        app = SocialApp.objects.create(
            provider='openid_connect',
            provider_id='kent-police',
            name='Kent Police sign-in',
            client_id='oversight-kent',
            secret=SECRET,
            settings={'server_url': issuer},
        )
        SingleSignOn.objects.create(organisation=body_a, app=app, email_domains='kent.police.uk')
        yield issuer
    finally:
        node.terminate()
        node.wait(timeout=10)


@pytest.fixture
def analyst(body_a, body_b):
    # An Essex editor with the address the "essex" provider account returns, to show it is never reached.
    actions.create_user(
        None, username='essex.ed', organisation=body_b, role='editor', password='x' * 16, email='editor@essex.police.uk'
    )
    kent = {'organisation': body_a, 'role': 'viewer', 'email': 'analyst@kent.police.uk'}
    return actions.create_user(None, username='kent.analyst', password='y' * 16, **kent)


def start(page, live_server, email, login=None):
    """From Oversight's sign-in page to the provider and, as `login`, back again (without a login: the
    provider remembers who signed in there, and sends them straight back)."""
    page.goto(f'{live_server.url}/accounts/login/')
    page.get_by_role('link', name='Sign in through your organisation’s own sign-in service').click()
    page.get_by_label('Your work email address').fill(email)
    page.get_by_role('button', name='Continue').click()
    if login is None:
        return
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill('the development pages take any password')
    page.get_by_role('button', name='Sign-in').click()
    page.get_by_role('button', name='Continue').click()


def refusals():
    return ObjectChange.objects.filter(action=ObjectChange.Action.EVENT, after__event=AccountEvent.SSO_REFUSED.value)


def test_a_person_signs_in_through_their_organisation_with_pkce(provider, analyst, page, live_server):
    sent = []
    page.on('request', lambda request: sent.append(request.url) if request.url.startswith(provider) else None)
    start(page, live_server, 'analyst@kent.police.uk', 'analyst')
    expect(page).to_have_url(f'{live_server.url}/')
    expect(page.get_by_test_id('signed-in-as')).to_contain_text('Kent Police, body viewer')
    authorisation = dict(parse_qsl(urlsplit(next(u for u in sent if '/auth?' in u)).query))
    assert authorisation['response_type'] == 'code' and authorisation['code_challenge_method'] == 'S256'
    assert authorisation['login_hint'] == 'analyst@kent.police.uk' and authorisation['state']
    # Matched by the verified address: the role and organisation are Oversight's, nothing was made.
    assert SocialAccount.objects.get(uid='analyst').user == analyst
    assert EmailAddress.objects.get(user=analyst).verified
    assert User.objects.count() == 2
    analyst.refresh_from_db()
    assert (analyst.role, analyst.organisation.name, analyst.first_name) == ('viewer', 'Kent Police', '')
    signed_in = ObjectChange.objects.filter(after__event=AccountEvent.SIGNED_IN.value).get()
    assert signed_in.object_id == str(analyst.pk) and signed_in.after['methods'] == ['socialaccount']

    # A second time, the remembered link is checked again and works.
    page.get_by_role('button', name='Sign out').click()
    start(page, live_server, 'analyst@kent.police.uk')
    expect(page).to_have_url(f'{live_server.url}/')


@pytest.mark.parametrize(
    ('login', 'reason'),
    [
        ('stranger', 'there is no Oversight account for stranger@kent.police.uk at Kent Police'),
        ('unverified', 'did not confirm that analyst@kent.police.uk is verified'),
        ('essex', 'editor@essex.police.uk is not an address of Kent Police'),
    ],
)
def test_a_reply_that_names_no_account_of_the_organisation_is_refused(
    provider, analyst, page, live_server, login, reason
):
    start(page, live_server, 'someone@kent.police.uk', login)
    expect(page.get_by_test_id('sso-refused')).to_contain_text(reason)
    assert violations_on(page) == []
    page.goto(f'{live_server.url}/')
    expect(page).to_have_url(re.compile(r'/accounts/login/'))
    assert User.objects.count() == 2 and not SocialAccount.objects.exists()
    assert not EmailAddress.objects.filter(verified=True).exists()
    refusal = refusals().get()
    assert reason in refusal.message and refusal.after['name_tried'].lower() == ACCOUNTS[login]['email'].lower()


def test_a_reply_whose_state_was_not_started_here_is_refused(provider, analyst, page, live_server):
    """The reply comes back to a browser session that did not start the sign-in (as when someone sends their
    own half-finished sign-in to another person): its state matches nothing stashed here."""
    page.goto(f'{live_server.url}/accounts/sso/')
    page.get_by_label('Your work email address').fill('analyst@kent.police.uk')
    page.get_by_role('button', name='Continue').click()
    page.locator('input[name="login"]').fill('analyst')
    page.locator('input[name="password"]').fill('any')
    page.get_by_role('button', name='Sign-in').click()
    page.context.clear_cookies(domain='localhost')  # Oversight's session, with the stashed state, is gone
    callbacks = []
    page.on('request', lambda r: callbacks.append(r.url) if '/login/callback/' in r.url else None)
    page.get_by_role('button', name='Continue').click()
    expect(page.get_by_test_id('sso-refused')).to_contain_text('did not match a sign-in started from this browser')
    assert dict(parse_qsl(urlsplit(callbacks[0]).query))['state']  # a state was sent back, and refused
    assert violations_on(page) == []
    page.goto(f'{live_server.url}/')
    expect(page).to_have_url(re.compile(r'/accounts/login/'))
    assert not SocialAccount.objects.exists()
    refusal = refusals().get()
    assert refusal.object_id == '' and 'was refused' in refusal.message


def test_single_sign_on_still_asks_for_oversights_second_factor(provider, analyst, page, live_server, settings):
    settings.OVERSIGHT_MFA_REQUIRED_ROLES = ['regulator', 'editor', 'viewer']
    secret = pyotp.random_base32()
    TOTP.activate(analyst, secret)
    start(page, live_server, 'analyst@kent.police.uk', 'analyst')
    expect(page).to_have_url(re.compile(r'/accounts/2fa/authenticate/$'))
    page.locator('input[name="code"]').fill(pyotp.TOTP(secret).now())
    page.get_by_role('button', name='Sign in').click()
    expect(page).to_have_url(f'{live_server.url}/')
    signed_in = ObjectChange.objects.filter(after__event=AccountEvent.SIGNED_IN.value).get()
    assert signed_in.after['methods'] == ['socialaccount', 'mfa']
