"""A body administrator invites a colleague in Chromium; the invitation arrives at a mail server; the colleague
follows its link, sets a password and signs in; the link then refuses a second use; the administrator
changes the colleague's role and deactivates them. Every page checked with axe-core."""

import email
import re

import pytest
from playwright.sync_api import expect

from oversight.accounts.models import User
from oversight.testing.smtp import SmtpSink

from . import test_accessibility
from .test_accessibility import violations_on

# axe-core in every page (and so the Content Security Policy bypassed), as the accessibility tests have it.
browser_context_args = test_accessibility.browser_context_args
page = test_accessibility.page

pytestmark = pytest.mark.browser


@pytest.fixture
def sink(settings, live_server):
    with SmtpSink() as server:
        settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
        settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', server.port
        settings.OVERSIGHT_BASE_URL = live_server.url
        yield server


def test_an_administrator_invites_a_colleague_who_sets_a_password_once(sign_in, body_a, sink, page, live_server):
    administrator = User.objects.create_user(
        'admin_a', password='pw-admin_a', organisation=body_a, role=User.Role.ADMINISTRATOR, email='a@kent.example'
    )
    sign_in(administrator)
    page.goto(f'{live_server.url}/accounts/')
    page.get_by_role('link', name='People', exact=True).click()
    expect(page).to_have_url(re.compile(r'/accounts/people/$'))
    assert violations_on(page) == []
    page.get_by_role('link', name='Invite someone').click()
    expect(page).to_have_url(re.compile(r'/people/invite/$'))
    assert violations_on(page) == []
    page.get_by_label('Email address').fill('sam.okafor@kent.example')
    page.get_by_label('First name').fill('Sam')
    page.get_by_label('Last name').fill('Okafor')
    page.get_by_label('Role').select_option('editor')
    page.get_by_role('button', name='Send the invitation').click()
    expect(page.get_by_text('Invited sam.okafor@kent.example')).to_be_visible()
    expect(page.get_by_test_id('person-status').first).to_have_text('Invited')

    [sent] = sink.messages
    body = email.message_from_bytes(sent).get_payload(decode=True).decode()
    link = re.search(r'(http://\S+/accounts/invitation/ovi_[\w-]+/)', body).group(1)

    colleague = page.context.browser.new_context(bypass_csp=True).new_page()
    colleague.context.add_init_script(path=str(test_accessibility.AXE))
    colleague.goto(link)
    expect(colleague.get_by_test_id('invitation-username')).to_have_text('sam.okafor@kent.example')
    assert violations_on(colleague) == []
    colleague.get_by_label('Choose a password').fill('a long passphrase 1')
    colleague.get_by_label('Type the password again').fill('a long passphrase 1')
    colleague.get_by_role('button', name='Set my password').click()
    expect(colleague).to_have_url(re.compile(r'/accounts/login/$'))
    colleague.get_by_label('Username').fill('sam.okafor@kent.example')
    colleague.get_by_label('Password').fill('a long passphrase 1')
    colleague.get_by_role('button', name='Sign in').click()
    expect(colleague).to_have_url(f'{live_server.url}/')

    colleague.goto(link)  # used once already
    expect(colleague.get_by_test_id('invitation-problem')).to_contain_text('already been used')
    assert violations_on(colleague) == []

    # The administrator makes them a viewer, then switches the account off; they are signed out at once.
    page.reload()
    page.get_by_role('link', name='Sam Okafor').click()
    expect(page.get_by_test_id('person-status')).to_have_text('Active')
    assert violations_on(page) == []
    page.get_by_role('link', name='Change role').click()
    page.get_by_label('New role').select_option('viewer')
    page.get_by_role('button', name='Change role').click()
    expect(page.get_by_test_id('person-role')).to_have_text('Body viewer')
    expect(page.get_by_text('Role changed')).to_be_visible()  # the history, in words
    page.get_by_role('button', name='Deactivate account').click()
    expect(page).to_have_url(re.compile(r'/deactivate/$'))
    assert violations_on(page) == []
    page.get_by_role('button', name='Deactivate account').click()
    expect(page.get_by_test_id('person-status')).to_have_text('Deactivated')
    colleague.goto(f'{live_server.url}/')
    expect(colleague).to_have_url(re.compile(r'/accounts/login/'))
