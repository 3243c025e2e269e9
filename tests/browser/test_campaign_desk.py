"""The regulator's campaign desk in Chromium: filter the bodies to the outstanding and late, remind one body
after previewing the email (it arrives at the mail server), remind every outstanding body through a task,
return a submitted return with a query; and, by keyboard alone, correct an accepted return choosing the
field with the autocomplete.

Tasks run in the live server's process as their request commits (the test settings' immediate backend: a
separate worker cannot reach the live server's in-memory database); the task page is followed as people see it.
"""

import datetime
import re

import pytest
import time_machine
from django.core.mail import get_connection
from django.utils import timezone
from playwright.sync_api import expect

from oversight.accounts.models import User
from oversight.organisations.models import Organisation, OrganisationGroup
from oversight.surveys.actions.campaigns import create_campaign, open_campaign
from oversight.surveys.actions.invitations import send_invitations, set_contacts
from oversight.surveys.actions.returns import accept_return, submit_return
from oversight.surveys.models import Questionnaire
from oversight.surveys.tests.test_workflow import with_lines
from oversight.testing.smtp import SmtpSink
from oversight.vendors.models import ConcernList

from .conftest import verified_email

pytestmark = pytest.mark.browser

CONTACTS = {
    'Kent Police': 'sam@kent.example',
    'Essex Police': 'tom@essex.example',
    'Avon and Somerset Constabulary': 'ann@avon.example',
    'Dorset Police': 'dev@dorset.example',
}


@pytest.fixture
def desk(regulator, editor_b):
    """Deadline yesterday, cut-off in a fortnight. Kent and Avon have not submitted; Essex submitted on time;
    Dorset submitted late and was accepted. Only these four have contacts, and each was sent its invitation."""
    now = timezone.now()
    concern_list = ConcernList.objects.create(
        slug='desk-list', name='Desk list', authority='BSCC', instrument='Police survey', jurisdiction='E&W'
    )
    campaign = create_campaign(
        regulator,
        title='Police survey (desk)',
        slug='police-desk',
        year=now.year,
        questionnaire=Questionnaire.objects.get(slug='police-2022'),
        concern_list=concern_list,
        recipients_group=OrganisationGroup.objects.get(slug='policing-bodies-england-wales'),
        opens_at=now - datetime.timedelta(days=30),
        deadline=now - datetime.timedelta(days=1),
        late_cutoff=now + datetime.timedelta(days=14),
    )
    campaign = open_campaign(regulator, campaign)
    invitations = {}
    for name, email in CONTACTS.items():
        invitations[name] = campaign.invitations.get(organisation__name=name)
        set_contacts(regulator, invitations[name], [(name.split()[0], email, 'SRO')])
    send_invitations(regulator, campaign, connection=get_connection('django.core.mail.backends.locmem.EmailBackend'))
    with time_machine.travel(now - datetime.timedelta(days=2), tick=False):
        submit_return(editor_b, invitations['Essex Police'], with_lines())
    dorset = Organisation.objects.get(name='Dorset Police')
    editor = User.objects.create_user('dorset', password='x', organisation=dorset, role=User.Role.EDITOR)
    accept_return(regulator, submit_return(editor, invitations['Dorset Police'], with_lines()))
    return campaign


@pytest.fixture
def sink(settings):
    with SmtpSink() as running:
        settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
        settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', running.port
        yield running


def bodies_listed(page) -> list[str]:
    return page.locator('table tbody tr td:first-child a').all_inner_texts()


def test_the_regulator_filters_reminds_and_queries(sign_in, regulator, desk, sink, live_server):
    page = sign_in(regulator)
    page.get_by_role('link', name='Surveys').click()
    page.get_by_role('link', name='Police survey (desk)').click()
    expect(page.get_by_test_id('campaign-status')).to_have_text('Open')

    # Only the bodies still to submit whose deadline has passed.
    page.get_by_label('Outstanding: not submitted, or returned with a query').check()
    page.get_by_label('Late: not submitted by the deadline, or submitted after it').check()
    page.get_by_role('button', name='Filter').click()
    listed = bodies_listed(page)
    assert 'Kent Police' in listed and 'Avon and Somerset Constabulary' in listed
    assert 'Essex Police' not in listed and 'Dorset Police' not in listed  # on time; accepted
    expect(page.get_by_label('Late: not submitted by the deadline, or submitted after it')).to_be_checked()

    # One body, from its row: the email is shown as Kent will receive it, then sent.
    page.get_by_role('link', name='Send a reminder to Kent Police').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Send a reminder to Kent Police')
    expect(page.get_by_test_id('email-to')).to_have_text('sam@kent.example')
    subject = 'Reminder 1: Police survey (desk) return for Kent Police'
    expect(page.get_by_test_id('email-subject')).to_have_text(subject)
    expect(page.get_by_test_id('email-body')).to_contain_text('has not been submitted yet (not started)')
    assert sink.messages == []
    page.get_by_role('button', name='Send reminder').click()
    expect(page.get_by_text('Reminder sent to Kent Police (1 email address).')).to_be_visible()
    (message,) = sink.messages
    assert f'Subject: {subject}'.encode() in message and b'To: sam@kent.example' in message

    # Every outstanding body, through a task: Kent, reminded a moment ago, is left out.
    page.get_by_role('link', name='Police survey (desk)').first.click()
    page.get_by_role('link', name='Remind every outstanding body').click()
    expect(page.get_by_test_id('reminder-count')).to_contain_text('1 body')
    expect(page.get_by_test_id('to-remind')).to_contain_text('ann@avon.example')
    expect(page.get_by_test_id('left-out')).to_contain_text('You cannot send a reminder to Kent Police because')
    page.get_by_role('button', name='Send 1 reminder').click()
    expect(page.get_by_test_id('job-state')).to_have_text('Done')
    assert len(sink.messages) == 2 and b'To: ann@avon.example' in sink.messages[1]
    page.get_by_test_id('job-result-link').click()

    # A submitted return is returned with a query; the queried filter then finds it.
    page.get_by_role('link', name='Essex Police', exact=True).click()
    page.get_by_role('link', name='Read the return as submitted').click()
    page.get_by_role('link', name='Return with a query').click()
    page.get_by_label('Query for the body to answer').fill('Which sites do the 40 cameras cover?')
    page.get_by_role('button', name='Return with query').click()
    expect(page.get_by_test_id('status')).to_have_text('Returned with a query')
    page.goto(f'{live_server.url}/surveys/police-desk/')
    page.get_by_label('Queried: returned with a query not yet answered').check()
    page.get_by_role('button', name='Filter').click()
    assert bodies_listed(page) == ['Essex Police']
    expect(page.locator('table tbody')).to_contain_text('Returned with a query')


FOCUSED = """() => {
  const element = document.activeElement
  if (!element || element === document.body) return ''
  const label = element.labels && element.labels.length ? element.labels[0].textContent : ''
  return `${label} ${element.textContent || ''}`.replace(/\\s+/g, ' ').trim()
}"""


def tab_to(page, text: str, most: int = 150) -> None:
    """Press Tab until the focused element's label or text holds `text`, as a keyboard user moves."""
    for _ in range(most):
        page.keyboard.press('Tab')
        if text in page.evaluate(FOCUSED):
            return
    raise AssertionError(f'Tabbing never reached "{text}"')


def test_a_correction_by_keyboard_alone_with_the_field_autocomplete(regulator, desk, page, live_server):
    dorset = desk.invitations.get(organisation__name='Dorset Police').survey_return
    verified_email(regulator)
    page.goto(f'{live_server.url}/accounts/login/')
    tab_to(page, 'Username')
    page.keyboard.type(regulator.username)
    tab_to(page, 'Password')
    page.keyboard.type(f'pw-{regulator.username}')
    page.keyboard.press('Enter')
    page.wait_for_url(f'{live_server.url}/')

    page.goto(f'{live_server.url}{dorset.get_absolute_url()}')
    tab_to(page, 'Record a correction')
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'/correct/$'))
    tab_to(page, 'Field to correct')
    page.keyboard.type('external how many cameras')
    options = page.locator('#id_field__listbox').get_by_role('option')
    expect(options).to_have_count(1)
    expect(options).to_have_text('External CCTV, 1.3: How many cameras or devices does it have in total?')
    page.keyboard.press('ArrowDown')
    page.keyboard.press('Enter')
    expect(page.locator('#id_field-select')).to_have_value('external_cctv.cameras')
    tab_to(page, 'Corrected value')
    page.keyboard.type('41')
    tab_to(page, 'Why the value was wrong')
    page.keyboard.type('One camera was missed from the count.')
    tab_to(page, 'Source of the correct value')
    page.keyboard.type('Force email of 3 March')
    tab_to(page, 'Record correction')
    page.keyboard.press('Enter')
    answer = page.locator('[data-answer="external_cctv.cameras"]')
    expect(answer).to_contain_text('41')
    expect(answer.get_by_test_id('original')).to_contain_text('Originally: 40')
