"""Nothing lost: a section of the return open in two tabs. The second tab's save is refused with a clear
message, and the first tab's answers are what the database keeps (optimistic locking on the return's version)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oversight.surveys.actions.campaigns import create_campaign, open_campaign
from oversight.surveys.actions.returns import save_draft
from oversight.surveys.models import Questionnaire, Return
from oversight.vendors.models import ConcernList

pytestmark = pytest.mark.browser

STALE = 'Someone else saved a change to this record after you opened it'
SRO = 'Who is your Senior Responsible Officer for surveillance camera systems?'


@pytest.fixture
def invitation(regulator, body_a):
    now = timezone.now()
    concern_list = ConcernList.objects.filter(slug='obscc-2022').first() or ConcernList.objects.create(
        slug='two-tabs',
        name='Test list',
        authority='Test',
        instrument='Test',
        jurisdiction='Test',
        date=now.date(),
        source_url='https://example.org/',
    )
    campaign = create_campaign(
        regulator,
        title='Police survey',
        slug='police-survey',
        year=now.year,
        questionnaire=Questionnaire.objects.get(slug='police-2022'),
        concern_list=concern_list,
        recipients=[body_a],
        opens_at=now - datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=30),
        late_cutoff=now + datetime.timedelta(days=40),
    )
    open_campaign(regulator, campaign)
    return campaign.invitations.get(organisation=body_a)


def _save(tab, answer: str) -> None:
    tab.get_by_label(SRO, exact=False).fill(answer)
    tab.get_by_role('button', name='Save and come back later').click()


@pytest.mark.parametrize('saved_before', [False, True], ids=['first save', 'later save'])
def test_the_second_tabs_save_is_refused_and_the_first_is_kept(
    sign_in, live_server, editor_a, invitation, saved_before
):
    if saved_before:
        save_draft(editor_a, invitation, {'governance.sro_name': 'Before'})
    first = sign_in(editor_a)
    second = first.context.new_page()
    url = f'{live_server.url}/surveys/invitations/{invitation.pk}/return/governance/'
    first.goto(url)
    second.goto(url)

    _save(first, 'Chief Constable, first tab')
    expect(first.get_by_text('Your answers have been saved')).to_be_visible()

    _save(second, 'Deputy, second tab')
    summary = second.get_by_test_id('error-summary')
    expect(summary).to_contain_text(STALE)
    expect(summary).to_contain_text('reload the page to see their change')
    second.screenshot(path='/tmp/oversight-two-tabs.png', full_page=False)

    kept = Return.objects.get(invitation=invitation)
    assert kept.answers['governance.sro_name'] == 'Chief Constable, first tab'
    # Reloading shows the first tab's answer, and saving from there works.
    second.goto(url)
    expect(second.get_by_label(SRO, exact=False)).to_have_value('Chief Constable, first tab')
    _save(second, 'Deputy, after reloading')
    expect(second.get_by_text('Your answers have been saved')).to_be_visible()
    assert Return.objects.get(invitation=invitation).answers['governance.sro_name'] == 'Deputy, after reloading'
