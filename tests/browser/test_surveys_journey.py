"""Issue 3's journey: a body fills its return in parts, submits it late; the regulator queries it, the body
answers, the regulator accepts and corrects it; the original answer stays visible; the dashboard agrees."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oversight.organisations.models import OrganisationGroup
from oversight.surveys.actions.campaigns import create_campaign, open_campaign
from oversight.surveys.actions.returns import Declaration, submit_return
from oversight.surveys.models import Questionnaire
from oversight.vendors.models import ConcernList

pytestmark = pytest.mark.browser

CATEGORIES = (
    'external_cctv',
    'internal_cctv',
    'anpr',
    'body_worn_video',
    'drone',
    'helicopter',
    'facial_recognition',
    'other',
)


@pytest.fixture
def campaign(regulator):
    """Open, with the deadline passed yesterday and the cut-off still a fortnight away."""
    now = timezone.now()
    concern_list = ConcernList.objects.filter(slug='obscc-2022').first() or ConcernList.objects.create(
        slug='obscc-2022',
        name='2022 police survey list',
        authority='BSCC',
        instrument='Police survey 2022',
        jurisdiction='England and Wales',
        source_url='https://www.gov.uk/government/publications/police-survey-2022-responses-and-key-findings',
    )
    created = create_campaign(
        regulator,
        title='Police survey (journey)',
        slug='police-journey',
        year=now.year,
        questionnaire=Questionnaire.objects.get(slug='police-2022'),
        concern_list=concern_list,
        recipients_group=OrganisationGroup.objects.get(slug='policing-bodies-england-wales'),
        opens_at=now - datetime.timedelta(days=30),
        deadline=now - datetime.timedelta(days=1),
        late_cutoff=now + datetime.timedelta(days=14),
    )
    return open_campaign(regulator, created)


def question(page, key):
    return page.locator(f'[data-question="{key}"]')


def line_cell(page, category, row, field):
    return page.locator(f'#lines-{category} tr').nth(row).locator(f'[data-field="{field}"]')


def sign_out(page):
    page.get_by_role('button', name='Sign out').click()


def test_return_from_draft_to_correction(sign_in, editor_a, regulator, campaign, live_server):
    # The body's return, submitted after the deadline (tests/browser/test_return_journey.py walks its pages).
    answers = {f'{c}.operates': 'no' for c in CATEGORIES[1:]}
    answers.update(
        {
            'external_cctv.operates': 'yes',
            'external_cctv.systems': 'Town-centre cameras',
            'external_cctv.cameras': '40',
            'external_cctv.manufacturers': [
                {'manufacturer': 'Hikvision', 'brand': '', 'model': 'DS-2CD2143G2-I', 'quantity': '30'},
                {'manufacturer': 'Axis', 'brand': '', 'model': '', 'quantity': '10'},
            ],
            'external_cctv.concern_equipment': 'yes',
            'external_cctv.aware_of_concerns': 'yes',
            'external_cctv.capabilities': ['video'],
            'governance.sro_name': 'A. Chief',
            'governance.sro_role': 'Assistant Chief Constable',
            'governance.dpia': 'no',
            'governance.certification': 'none',
            'governance.contact_point': 'no',
        }
    )
    answers.update({f'governance.principle_{n}': 'compliant' for n in range(1, 13)})
    invitation = campaign.invitations.get(organisation=editor_a.organisation)
    submit_return(editor_a, invitation, answers, declaration=Declaration('Sam Roe', 'Analyst', 'A. Chief'))
    page = sign_in(editor_a)
    page.goto(f'{live_server.url}{invitation.get_absolute_url()}')
    expect(page.get_by_test_id('status')).to_have_text('Submitted')
    # The deadline passed yesterday: the submission is late, computed from its time.
    expect(page.get_by_test_id('timeliness')).to_have_text(re.compile(r'^Late: '))
    sign_out(page)

    # The regulator sees it on the dashboard and returns it with a query.
    page = sign_in(regulator)
    page.goto(f'{live_server.url}/surveys/police-journey/')
    expect(page.get_by_test_id('response-rate')).to_have_text('1 of 47 (2.1%)')
    expect(page.get_by_test_id('late')).to_have_text('1')
    expect(page.get_by_test_id('on-time')).to_have_text('0')
    expect(page.get_by_test_id('outstanding')).to_have_text('46')
    expect(page.get_by_test_id('non-respondents')).to_contain_text('Essex Police')
    expect(page.get_by_test_id('non-respondents')).not_to_contain_text('Kent Police')
    page.get_by_role('link', name='Kent Police', exact=True).click()
    page.get_by_role('link', name='Read the return as submitted').click()
    page.get_by_role('link', name='Return with a query').click()
    page.get_by_label('Query for the body to answer').fill('Are all 40 external cameras in public places?')
    page.get_by_role('button', name='Return with query').click()
    expect(page.get_by_test_id('status')).to_have_text('Returned with a query')
    sign_out(page)

    # The body answers the query and resubmits.
    page = sign_in(editor_a)
    page.get_by_role('link', name='Surveys').click()
    page.get_by_role('link', name='Police survey (journey)').click()
    page.get_by_role('link', name='Answer the query').click()
    page.get_by_role('link', name='answer the query and resubmit').click()
    page.get_by_label(re.compile('Your answer to: Are all 40')).fill('Yes: all are in town centres.')
    page.get_by_role('button', name='Answer the query and resubmit').click()
    expect(page.get_by_test_id('status')).to_have_text('Submitted')
    sign_out(page)

    # The regulator accepts it, then records a correction; the original answer is still shown.
    page = sign_in(regulator)
    page.goto(f'{live_server.url}/surveys/police-journey/')
    page.get_by_role('link', name='Kent Police', exact=True).click()
    page.get_by_role('link', name='Read the return as submitted').click()
    expect(page.get_by_test_id('query')).to_contain_text('Yes: all are in town centres.')
    page.get_by_role('link', name='Accept the return').click()  # it asks first: acceptance cannot be undone
    expect(page.get_by_role('heading', level=1)).to_have_text('Accept the return of Kent Police?')
    page.get_by_role('button', name='Accept the return').click()
    expect(page.get_by_test_id('status')).to_have_text('Accepted')
    page.get_by_role('link', name='Record a correction').click()
    # The autocomplete's text box, which replaces the select once the page's script has run.
    page.locator('input#id_field').fill('external how many cameras')
    page.locator('#id_field__listbox').get_by_role('option', name='External CCTV, 1.3: How many cameras').click()
    page.get_by_label('Corrected value').fill('41')
    page.get_by_label('Why the value was wrong').fill('One camera was missed from the count.')
    page.get_by_label('Source of the correct value').fill('Force email of 3 March')
    page.get_by_label('Publish as an Update to findings that used the old value').check()
    page.get_by_role('button', name='Record correction').click()
    answer = page.locator('[data-answer="external_cctv.cameras"]')
    expect(answer).to_contain_text('41')
    expect(answer.get_by_test_id('original')).to_contain_text('Originally: 40')
    expect(page.get_by_test_id('corrections')).to_contain_text('One camera was missed from the count.')

    # The dashboard still counts from the data: one late, accepted return.
    page.goto(f'{live_server.url}/surveys/police-journey/')
    expect(page.get_by_test_id('responded')).to_have_text('1')
    expect(page.get_by_test_id('accepted')).to_have_text('1')
