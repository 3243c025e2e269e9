"""The published report in Welsh in a browser: from the publication page the header's switcher leads to the Welsh
page, whose documents lead to the Welsh rendering of the report and its Welsh PDF; each page is marked as Welsh and
meets WCAG 2.2 AA (axe-core)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oversight.findings import actions
from oversight.findings.tests.conftest import campaign, fast_pdf  # noqa: F401 (fixtures)
from oversight.findings.tests.test_publication import TEXT

from .test_accessibility import AXE, violations_on

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected as a script the Content Security Policy would (rightly) refuse.
    return {**browser_context_args, 'bypass_csp': True}


@pytest.mark.usefixtures('fast_pdf')
def test_the_public_switches_to_welsh_and_reads_the_welsh_report(live_server, page, campaign, regulator):  # noqa: F811
    report = actions.create_report(regulator, campaign, narrative_text=TEXT)
    actions.update_report(regulator, report, title=report.title, narrative_text=TEXT, title_cy='Arolwg: canfyddiadau')
    actions.publish_report(regulator, report)
    page.context.add_init_script(path=str(AXE))
    page.goto(live_server.url + reverse('publications:publication', args=['survey-2022', 1]))
    expect(page.get_by_role('heading', level=1)).to_have_text(report.title)
    page.get_by_role('navigation', name='Language').get_by_role('link', name='Cymraeg').click()
    expect(page.locator('html')).to_have_attribute('lang', 'cy')
    expect(page.get_by_role('heading', level=1)).to_have_text('Arolwg: canfyddiadau')
    welsh_pdf = reverse('publications:pdf_cy', args=['survey-2022', 1])
    expect(page.get_by_test_id('pdf-cy')).to_have_attribute('href', welsh_pdf)
    assert violations_on(page) == []

    page.get_by_test_id('documents').get_by_role('link', name='Arolwg: canfyddiadau', exact=True).click()
    expect(page.locator('html')).to_have_attribute('lang', 'cy')
    expect(page.get_by_role('heading', name='Canfyddiadau fesul categori')).to_be_visible()
    expect(page.get_by_role('img', name='Siart bar: cyfradd ymateb pob ymgyrch.', exact=False)).to_be_visible()
    # The regulator wrote no Welsh text: the English is shown, marked as English.
    expect(page.get_by_test_id('narrative')).to_have_attribute('lang', 'en-GB')
    expect(page.locator('a[type="application/pdf"]')).to_have_attribute('href', welsh_pdf)
    assert violations_on(page) == []
