"""The return done the GOV.UK way: task list, one section a page, check your answers, declaration, receipt."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from oversight.surveys.actions.campaigns import close_campaign
from oversight.surveys.actions.returns import Declaration, submit_return
from oversight.surveys.models import Invitation, Return

from .conftest import complete_answers, london
from .test_views import form_data, kent_register  # noqa: F401 (a fixture)
from .test_workflow import with_lines

Status = Invitation.Status
DURING = london(2022, 7, 10, 12)
SECTIONS = [
    'external_cctv',
    'internal_cctv',
    'anpr',
    'body_worn_video',
    'drone',
    'helicopter',
    'facial_recognition',
    'other',
    'governance',
]


def section_url(invitation, code):
    return reverse('surveys:return_section', args=[invitation.pk, code])


def section_post(answers: dict, version, completed='yes', action='continue', confirm=()) -> dict:
    data = form_data(answers, version, action)
    data['completed'] = completed
    data['confirm'] = list(confirm)
    return data


def section_answers(code: str, answers: dict) -> dict:
    return {k: v for k, v in answers.items() if k.startswith(f'{code}.')}


def complete_every_section(client, invitation, answers):
    for code in SECTIONS:
        version = Return.objects.filter(invitation=invitation).values_list('version', flat=True).first() or 0
        response = client.post(section_url(invitation, code), section_post(section_answers(code, answers), version))
        assert response.status_code == 302, (code, response.content.decode()[:3000])


@pytest.fixture(autouse=True)
def _during_the_campaign():
    with time_machine.travel(DURING, tick=False):
        yield


def test_the_task_list_shows_each_section_and_check_your_answers_cannot_start_yet(client_for, editor_a, invitation_a):
    page = client_for(editor_a).get(reverse('surveys:return_edit', args=[invitation_a.pk])).content.decode()
    assert page.count('data-task=') == 10
    assert 'External CCTV' in page and 'Governance' in page
    assert 'govuk-task-list__status--cannot-start-yet' in page and 'Cannot start yet' in page
    assert reverse('surveys:return_check', args=[invitation_a.pk]) not in page


def test_a_section_with_errors_links_each_to_its_field_and_the_title_says_error(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    url = section_url(invitation_a, 'governance')
    response = client.post(url, section_post({'governance.dpia': 'yes'}, 0))
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'<title>Error: Governance', page)
    assert '<a href="#id_governance.sro_name">Enter an answer – Governance, 9.1:' in page
    assert '<a href="#id_governance.principle_1-1">Select an answer – Governance, 9.5:' in page
    assert 'id="id_governance.sro_name"' in page and 'id="id_governance.principle_1-1"' in page
    # 9.4 applies once 9.3 is Yes, so it is asked; 9.20 does not apply (9.19 unanswered), so it is not required.
    assert 'href="#id_governance.dpia_reviewed"' in page
    assert 'href="#id_governance.contact_point_url"' not in page
    assert not Return.objects.exists()


def test_a_question_is_revealed_by_the_answer_it_depends_on(client_for, editor_a, invitation_a):
    page = client_for(editor_a).get(section_url(invitation_a, 'governance')).content.decode()
    reveal = re.search(
        r'data-aria-controls="conditional-id_governance.dpia-1".*?id="conditional-id_governance.dpia-1"'
        r'(.*?)</div>\s*</div>',
        page,
        re.S,
    )
    assert reveal and 'govuk-radios__conditional--hidden' in page
    assert 'id_governance.dpia_reviewed' in page[page.index('id="conditional-id_governance.dpia-1"') :][:3000]


def test_save_and_come_back_later_stays_on_the_section(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    url = section_url(invitation_a, 'governance')
    response = client.post(url, section_post({'governance.sro_name': 'A. Chief'}, 0, completed='', action='later'))
    assert response.status_code == 302 and response['Location'] == url
    page = client.get(url).content.decode()
    assert 'Your answers have been saved' in page and 'value' in page and 'A. Chief' in page
    tasks = client.get(reverse('surveys:return_edit', args=[invitation_a.pk])).content.decode()
    assert re.search(r'Governance.*?In progress', tasks, re.S)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.DRAFT


def test_answers_of_questions_that_no_longer_apply_are_not_kept(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    answers = {'drone.operates': 'no', 'drone.systems': 'Typed before answering No', 'drone.cameras': '3'}
    assert client.post(section_url(invitation_a, 'drone'), section_post(answers, 0)).status_code == 302
    assert Return.objects.get().answers == {'drone.operates': 'no'}


def test_the_register_prefills_a_section_and_says_so(client_for, editor_a, invitation_a, kent_register):  # noqa: F811
    page = client_for(editor_a).get(section_url(invitation_a, 'drone')).content.decode()
    assert 'value="Matrice 300 RTK"' in page and 'value="5"' in page
    assert 'data-testid="source-drone.cameras"' in page and 'From your register, ' in page
    assert re.search(r'id="id_drone.operates-1"[^>]*value="yes"[^>]*checked', page)


def test_a_total_below_its_lines_is_a_warning_to_confirm_never_accepted_silently(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    url = section_url(invitation_a, 'external_cctv')
    answers = section_answers('external_cctv', with_lines(complete_answers()))
    answers['external_cctv.cameras'] = '10'  # the lines add up to 40
    refused = client.post(url, section_post(answers, 0))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'The total of 10 in 1.3 is less than the 40 devices in your manufacturer lines' in page
    assert 'govuk-warning-text' in page and 'name="confirm" type="checkbox" value="external_cctv.cameras:below-lines"'
    assert not Return.objects.exists()
    confirmed = client.post(url, section_post(answers, 0, confirm=['external_cctv.cameras:below-lines']))
    assert confirmed.status_code == 302
    stored = Return.objects.get()
    assert stored.answers['external_cctv.cameras'] == 10 and 'external_cctv' in stored.completed_sections
    assert stored.confirmed_warnings == [
        {
            'code': 'external_cctv.cameras:below-lines',
            'message': 'The total of 10 in 1.3 is less than the 40 devices in your manufacturer lines (1.4).',
        }
    ]


def test_check_answers_declaration_confirmation_and_receipt(client_for, editor_a, invitation_a):
    from oversight.surveys.models import Contact

    Contact.objects.create(invitation=invitation_a, name='Jo Bloggs', email='jo@kent.police.example', role='SRO')
    editor_a.email = 'editor@kent.police.example'
    editor_a.save()
    client = client_for(editor_a)
    assert client.get(reverse('surveys:return_check', args=[invitation_a.pk])).status_code == 302
    complete_every_section(client, invitation_a, with_lines(complete_answers()))
    tasks = client.get(reverse('surveys:return_edit', args=[invitation_a.pk])).content.decode()
    assert 'Cannot start yet' not in tasks and reverse('surveys:return_check', args=[invitation_a.pk]) in tasks
    check = client.get(reverse('surveys:return_check', args=[invitation_a.pk])).content.decode()
    assert 'Town-centre CCTV monitored from the force control room.' in check
    change = f'{section_url(invitation_a, "external_cctv")}#id_external_cctv.cameras'
    assert f'<a class="govuk-link" href="{change}">Change<span class="govuk-visually-hidden"> 1.3 how many' in check
    declare = reverse('surveys:return_declare', args=[invitation_a.pk])
    page = client.get(declare).content.decode()
    assert 'value="A. Chief"' in page  # the SRO named in the governance section
    version = Return.objects.get().version
    refused = client.post(declare, {'declared_for': 'A. Chief', 'version': version})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert '<title>Error: Declaration' in text and 'Enter your full name' in text
    assert 'Confirm the declaration to submit the return' in text
    mail.outbox.clear()
    with _commits():
        response = client.post(
            declare,
            {
                'declarant_name': 'Sam Roe',
                'declarant_role': 'Head of information management',
                'declared_for': 'A. Chief',
                'confirm': 'on',
                'version': version,
            },
        )
    assert response.status_code == 302
    assert response['Location'] == reverse('surveys:return_submitted', args=[invitation_a.pk])
    stored = Return.objects.get()
    assert re.fullmatch(r'OVS-2022-[2-9A-Z]{4}-[2-9A-Z]{4}', stored.reference)
    assert (stored.declared_by, stored.declarant_name, stored.declared_for) == (editor_a, 'Sam Roe', 'A. Chief')
    assert stored.declared_at == DURING
    confirmation = client.get(response['Location']).content.decode()
    assert 'govuk-panel--confirmation' in confirmation and stored.reference in confirmation
    [receipt] = mail.outbox
    assert receipt.to == ['editor@kent.police.example', 'jo@kent.police.example']
    assert stored.reference in receipt.subject and 'Sam Roe, Head of information management' in receipt.body
    assert 'Town-centre CCTV monitored from the force control room.' in receipt.body
    [(name, content, kind)] = receipt.attachments
    assert name == f'{stored.reference}.csv' and kind == 'text/csv'
    assert 'Town-centre CCTV monitored from the force control room.' in content


def _commits():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_refused_submission_sends_no_receipt_and_the_declaration_is_complete(editor_a, invitation_a):
    from django.core.exceptions import ValidationError

    mail.outbox.clear()
    with _commits(), pytest.raises(ValidationError) as refused:
        submit_return(
            editor_a, invitation_a, with_lines(complete_answers()), declaration=Declaration('', 'Analyst', '')
        )
    assert refused.value.message_dict == {
        'declarant_name': ['Enter your full name'],
        'declared_for': ['Enter the name of your Senior Responsible Officer'],
    }
    assert mail.outbox == [] and not Return.objects.exists()
    with _commits():
        submit_return(
            editor_a,
            invitation_a,
            with_lines(complete_answers()),
            declaration=Declaration('Sam', 'Analyst', 'A. Chief'),
        )
    assert Return.objects.get().reference


def test_a_campaign_closed_while_the_page_was_open_keeps_what_was_typed(client_for, editor_a, regulator, invitation_a):
    client = client_for(editor_a)
    url = section_url(invitation_a, 'governance')
    assert client.get(url).status_code == 200
    close_campaign(regulator, invitation_a.campaign)
    response = client.post(url, section_post({'governance.sro_name': 'Typed before the close'}, 0))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'closed while you were filling in this page' in page
    assert 'Typed before the close' in page
    assert not Return.objects.exists()


def test_the_workbook_links_stay_while_a_query_is_open(client_for, editor_a, regulator, invitation_a):
    from oversight.surveys.actions.returns import return_with_query

    survey_return = submit_return(
        editor_a, invitation_a, with_lines(complete_answers()), declaration=Declaration('Sam', 'Analyst', 'A. Chief')
    )
    return_with_query(regulator, survey_return, 'Are all 40 cameras in public places?')
    page = client_for(editor_a).get(invitation_a.get_absolute_url()).content.decode()
    assert reverse('surveys:return_workbook', args=[invitation_a.pk]) in page
    assert reverse('surveys:return_upload', args=[invitation_a.pk]) in page


def test_no_page_of_the_return_has_an_irreversible_action_as_its_first_button(
    client_for, editor_a, regulator, invitation_a
):
    """Enter in a field presses a form's first button: on a queried return that must not be the resubmission."""
    from oversight.surveys.actions.returns import return_with_query

    survey_return = submit_return(
        editor_a, invitation_a, with_lines(complete_answers()), declaration=Declaration('Sam', 'Analyst', 'A. Chief')
    )
    return_with_query(regulator, survey_return, 'Are all 40 cameras in public places?')
    client = client_for(editor_a)
    for code in SECTIONS:
        page = client.get(section_url(invitation_a, code)).content.decode()
        form = page[page.index('<form method="post" novalidate>') :]
        first = re.search(r'<button type="submit"[^>]*>([^<]*)<', form)
        assert first and first.group(1) == 'Save changes', code
        assert 'resubmit' not in form.lower()
