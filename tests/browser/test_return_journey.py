"""Issue 14's editor journey: the task list, a section with errors and its linked summary, save and come back,
answers pre-filled from the register with their source, a cross-check confirmed, check your answers with a
change link, the declaration, the confirmation panel and the receipt in the mail server; the declaration and
submission again, keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from oversight.core.audit import save_audited
from oversight.register.models import EquipmentLine, Site, System
from oversight.surveys.models import Return
from oversight.testing.smtp import SmtpSink

from .test_surveys_journey import CATEGORIES, campaign, line_cell, question  # noqa: F401 (campaign is a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def kent_drones(body_a, editor_a):
    site = save_audited(editor_a, Site(organisation=body_a, name='Air support unit'))
    system = save_audited(editor_a, System(organisation=body_a, name='Drones', category='drone'))
    save_audited(
        editor_a,
        EquipmentLine(
            organisation=body_a, site=site, system=system, manufacturer_declared='DJI', model='Matrice 300', quantity=4
        ),
    )


@pytest.fixture
def sink(settings):
    with SmtpSink() as server:
        settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
        settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', server.port
        yield server


def complete(page, button='Save and continue'):
    page.get_by_label('Yes, I’ve completed this section').check()
    page.get_by_role('button', name=button).click()


def test_the_editors_return_from_task_list_to_receipt(sign_in, editor_a, campaign, kent_drones, sink, live_server):  # noqa: F811
    editor_a.email = 'editor@kent.police.example'
    editor_a.save()
    page = sign_in(editor_a)
    page.get_by_role('link', name='Surveys').click()
    page.get_by_role('link', name='Police survey (journey)').click()
    page.get_by_role('link', name='Start your return').click()
    expect(page.get_by_test_id('status-Governance')).to_have_text('Not started')
    expect(page.get_by_test_id('status-Check your answers and submit')).to_have_text('Cannot start yet')

    # A section with errors: the summary links each to its field, and following one focuses it.
    page.get_by_role('link', name='Governance').click()
    complete(page)
    expect(page).to_have_title(re.compile('^Error: Governance'))
    summary = page.get_by_test_id('error-summary')
    expect(summary.get_by_role('link', name=re.compile('^Enter an answer – Governance, 9.1'))).to_be_visible()
    summary.get_by_role('link', name=re.compile('^Enter an answer – Governance, 9.1')).click()
    expect(page.get_by_label(re.compile('9.1 Who is your Senior Responsible Officer'))).to_be_focused()

    # Save and come back later keeps the page.
    question(page, 'governance.sro_name').get_by_role('textbox').fill('A. Chief')
    page.get_by_role('button', name='Save and come back later').click()
    expect(page.get_by_text('Your answers have been saved')).to_be_visible()
    expect(page.get_by_role('heading', name='Governance', level=1)).to_be_visible()
    question(page, 'governance.sro_role').get_by_role('textbox').fill('Assistant Chief Constable')
    question(page, 'governance.dpia').get_by_label('Yes', exact=True).check()
    question(page, 'governance.dpia_reviewed').locator('input').fill('2022-03-01')  # revealed by Yes
    for number in range(1, 13):
        question(page, f'governance.principle_{number}').get_by_label('Fully compliant').check()
    question(page, 'governance.certification').get_by_label('None').check()
    question(page, 'governance.contact_point').get_by_label('No', exact=True).check()
    complete(page)
    expect(page.get_by_test_id('status-Governance')).to_have_text('Completed')

    # A total below its lines is a warning, confirmed rather than accepted silently.
    page.get_by_role('link', name='External CCTV').click()
    question(page, 'external_cctv.operates').get_by_label('Yes', exact=True).first.check()
    question(page, 'external_cctv.systems').get_by_role('textbox').fill('Town-centre cameras')
    question(page, 'external_cctv.cameras').get_by_role('textbox').fill('10')
    line_cell(page, 'external_cctv', 0, 'manufacturer').fill('Axis')
    line_cell(page, 'external_cctv', 0, 'quantity').fill('207')
    question(page, 'external_cctv.concern_equipment').get_by_label('No', exact=True).check()
    question(page, 'external_cctv.aware_of_concerns').get_by_label('Yes', exact=True).check()
    question(page, 'external_cctv.capabilities').get_by_label('Video').check()
    complete(page)
    warning = page.get_by_test_id('warning-external_cctv.cameras:below-lines')
    expect(warning).to_contain_text('The total of 10 in 1.3 is less than the 207 devices')
    page.get_by_label('I confirm this answer is correct').check()
    complete(page)
    expect(page.get_by_test_id('status-External CCTV')).to_have_text('Completed')

    # The register's drones are pre-filled, each answer saying where it came from.
    page.get_by_role('link', name='Drones').click()
    expect(page.get_by_test_id('source-drone.cameras')).to_contain_text('From your register, ')
    expect(question(page, 'drone.cameras').get_by_role('textbox')).to_have_value('4')
    expect(line_cell(page, 'drone', 0, 'manufacturer')).to_have_value('DJI')
    question(page, 'drone.systems').get_by_role('textbox').fill('Air support drones')
    question(page, 'drone.concern_equipment').get_by_label('Yes', exact=True).check()
    question(page, 'drone.aware_of_concerns').get_by_label('Yes', exact=True).check()
    complete(page)
    others = (
        'Internal CCTV',
        'ANPR',
        'Body-worn video',
        'Helicopter-borne cameras',
        'Facial recognition',
        'Other systems',
    )
    for title, code in zip(others, CATEGORIES[1:4] + CATEGORIES[5:], strict=True):
        page.get_by_role('link', name=title, exact=True).click()
        page.locator(f'[id="id_{code}.operates-2"]').check()  # "No"
        complete(page)
        expect(page.get_by_test_id(f'status-{title}')).to_have_text('Completed')

    # Check your answers, with a change link back to the question.
    page.get_by_role('link', name='Check your answers and submit').click()
    row = page.locator('[data-answer="external_cctv.cameras"]')
    expect(row).to_contain_text('10')
    row.get_by_role('link', name=re.compile('^Change')).click()
    expect(page).to_have_url(re.compile(r'/return/external_cctv/#id_external_cctv\.cameras$'))
    page.go_back()
    expect(page.get_by_test_id('confirmed-warnings')).to_contain_text('The total of 10 in 1.3')
    page.get_by_role('link', name='Continue', exact=True).click()

    # The declaration, then the confirmation panel with the reference, and the receipt.
    expect(page.get_by_label('Name of your Senior Responsible Officer')).to_have_value('A. Chief')
    page.get_by_label('Your full name').fill('Sam Roe')
    page.get_by_label('Your role').fill('Head of information management')
    page.get_by_label(re.compile('^I confirm that')).check()
    page.get_by_role('button', name='Accept and submit').click()
    panel = page.get_by_test_id('confirmation')
    expect(panel).to_contain_text('Return submitted')
    reference = Return.objects.get(organisation=editor_a.organisation).reference
    expect(page.get_by_test_id('reference')).to_have_text(reference)
    assert re.fullmatch(r'OVS-\d{4}-[2-9A-Z]{4}-[2-9A-Z]{4}', reference)
    [receipt] = sink.messages
    assert reference.encode() in receipt and b'editor@kent.police.example' in receipt
    assert b'Sam Roe' in receipt and f'{reference}.csv'.encode() in receipt


def tab_to(page, matches, limit=120):
    """Press Tab until the focused element's text, id or name matches; fails if it never does."""
    for _ in range(limit):
        page.keyboard.press('Tab')
        focused = page.evaluate(
            '() => [document.activeElement.innerText || "", document.activeElement.id, document.activeElement.name]'
        )
        if any(matches(str(part)) for part in focused):
            return
    raise AssertionError('Tab never reached the element')


def test_checking_declaring_and_submitting_with_the_keyboard_only(sign_in, editor_a, campaign, live_server):  # noqa: F811
    from oversight.surveys.actions.returns import save_section
    from oversight.surveys.answers import Schema

    invitation = campaign.invitations.get(organisation=editor_a.organisation)
    answers = {f'{c}.operates': 'no' for c in CATEGORIES}
    answers.update(
        {
            'governance.sro_name': 'A. Chief',
            'governance.sro_role': 'Assistant Chief Constable',
            'governance.dpia': 'no',
            'governance.certification': 'none',
            'governance.contact_point': 'no',
        }
    )
    answers.update({f'governance.principle_{n}': 'compliant' for n in range(1, 13)})
    for section in Schema(campaign.questionnaire).sections:
        mine = {k: v for k, v in answers.items() if k.startswith(f'{section.code}.')}
        save_section(editor_a, invitation, section.code, mine, completed=True)
    page = sign_in(editor_a)
    page.goto(f'{live_server.url}/surveys/invitations/{invitation.pk}/return/')
    tab_to(page, lambda text: text == 'Check your answers and submit')
    page.keyboard.press('Enter')
    expect(page.get_by_role('heading', name='Check your answers before submitting your return')).to_be_visible()
    tab_to(page, lambda text: text == 'Continue')
    page.keyboard.press('Enter')
    expect(page.get_by_role('heading', name='Declaration')).to_be_visible()
    tab_to(page, lambda text: text == 'declarant_name')
    page.keyboard.type('Sam Roe')
    page.keyboard.press('Tab')
    page.keyboard.type('Analyst')
    tab_to(page, lambda text: text == 'confirm')
    page.keyboard.press('Space')
    tab_to(page, lambda text: text == 'Accept and submit')
    page.keyboard.press('Enter')
    expect(page.get_by_test_id('confirmation')).to_contain_text('Return submitted')
    stored = Return.objects.get(invitation=invitation)
    expect(page.get_by_test_id('reference')).to_have_text(stored.reference)
    assert (stored.declarant_name, stored.declarant_role, stored.declared_for) == ('Sam Roe', 'Analyst', 'A. Chief')


def test_adding_and_removing_a_line_moves_the_focus_with_it(sign_in, editor_a, campaign, kent_drones, live_server):  # noqa: F811
    invitation = campaign.invitations.get(organisation=editor_a.organisation)
    page = sign_in(editor_a)
    page.goto(f'{live_server.url}/surveys/invitations/{invitation.pk}/return/drone/')
    rows = page.locator('[data-testid="lines-drone"] tbody tr')
    expect(rows.first.locator('[data-field="manufacturer"]')).to_have_value('DJI')  # pre-filled from the register
    before = rows.count()
    add = page.get_by_role('button', name='Add a line for Drones')
    add.focus()
    page.keyboard.press('Enter')
    expect(rows).to_have_count(before + 1)
    # Focus is in the new row's first field, so typing goes there, not back onto the button.
    focused = page.evaluate('document.activeElement.id')
    assert re.fullmatch(r'line-drone-n[0-9a-f]{8}-manufacturer', focused), focused
    page.keyboard.type('Autel')
    expect(rows.nth(before).locator('[data-field="manufacturer"]')).to_have_value('Autel')
    # Removing the row takes its button away: focus goes back to "Add a line", not to the top of the page.
    rows.nth(before).get_by_role('button', name='Remove this line').focus()
    page.keyboard.press('Enter')
    expect(rows).to_have_count(before)
    expect(add).to_be_focused()
    # A row removed as soon as it appears (before htmx's default 20 ms settle had wired its button up, a quick
    # keyboard user's Remove did nothing; under load the suite's did too).
    page.evaluate("""() => {
        document.body.addEventListener('htmx:afterSwap', (event) => {
            const remove = event.detail.target.lastElementChild.querySelector('button')
            setTimeout(() => { remove.click(); document.body.dataset.removeClicked = 'yes' }, 0)
        }, {once: true})
    }""")
    add.click()
    expect(page.locator('body')).to_have_attribute('data-remove-clicked', 'yes')  # no eval: the page's CSP
    expect(rows).to_have_count(before)
