"""The return in Welsh in a browser: the header's switcher, the task list and a section with its errors,
each page in Welsh, marked as Welsh, and meeting WCAG 2.2 AA (axe-core) as the English pages do."""

import re

import pytest
from playwright.sync_api import expect

from .test_accessibility import AXE, violations_on
from .test_surveys_journey import campaign  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def rules(violations: list[str]) -> set[str]:
    return {violation.split(' ', 1)[0] for violation in violations}


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected as a script the Content Security Policy would (rightly) refuse.
    return {**browser_context_args, 'bypass_csp': True}


def test_an_editor_switches_to_welsh_and_walks_the_task_list(sign_in, editor_a, campaign):  # noqa: F811
    page = sign_in(editor_a)
    page.context.add_init_script(path=str(AXE))
    switcher = page.get_by_role('navigation', name='Language')
    switcher.get_by_role('link', name='Cymraeg').click()
    expect(page.locator('html')).to_have_attribute('lang', 'cy')
    expect(page.get_by_role('navigation', name='Iaith').locator('[aria-current]')).to_have_text('Cymraeg')
    page.get_by_role('link', name='Arolygon').click()  # the choice holds from page to page
    page.get_by_role('link', name='Police survey (journey)').click()
    page.get_by_role('link', name='Dechrau eich ffurflen').click()
    expect(page.locator('html')).to_have_attribute('lang', 'cy')
    expect(page.get_by_role('heading', level=1)).to_have_text('Ffurflen Kent Police')
    expect(page.get_by_test_id('status-Llywodraethu')).to_have_text('Heb ddechrau')
    expect(page.get_by_test_id('status-Gwirio eich atebion a chyflwyno')).to_have_text('Ni ellir dechrau eto')
    assert violations_on(page) == []

    page.get_by_role('link', name='Llywodraethu').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Llywodraethu')
    expect(
        page.get_by_text('Pwy yw eich Uwch Swyddog Cyfrifol ar gyfer systemau camerâu gwyliadwriaeth?')
    ).to_be_visible()
    page.get_by_label('Ydw, rwyf wedi cwblhau’r adran hon').check()
    page.get_by_role('button', name='Cadw a pharhau').click()
    expect(page).to_have_title(re.compile('^Gwall: Llywodraethu'))
    expect(page.get_by_test_id('error-summary')).to_contain_text('Mae problem')
    expect(page.get_by_test_id('error-summary')).to_contain_text('Rhowch ateb')
    in_welsh = rules(violations_on(page))

    page.get_by_role('button', name='Cadw a dod yn ôl yn nes ymlaen').click()
    expect(page.get_by_text('Mae eich atebion wedi’u cadw.')).to_be_visible()
    page.get_by_role('navigation', name='Iaith').get_by_role('link', name='English').click()
    expect(page.locator('html')).to_have_attribute('lang', 'en-gb')
    expect(page.get_by_role('heading', level=1)).to_have_text('Governance')
    page.get_by_label('Yes, I’ve completed this section').check()
    page.get_by_role('button', name='Save and continue').click()
    expect(page).to_have_title(re.compile('^Error: Governance'))
    # The section page with errors has a finding of its own in English too (GOV.UK Frontend's radios carry
    # aria-expanded); the Welsh page adds none.
    assert in_welsh <= rules(violations_on(page))
