"""The regulator checks a report, is stopped by a wrong typed figure, publishes; a body reads the published version."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from oversight.findings import actions as findings
from oversight.surveys.actions.imports import import_returns
from oversight.surveys.interchange import COLUMNS

pytestmark = pytest.mark.browser

WHEN = '2022-08-01T10:00:00+01:00'
ROWS = [
    ('Kent Police', 'external_cctv', 'yes', 'Lorex', '', 'LNB8005', '10', 'yes', WHEN),
    ('Kent Police', 'drone', 'yes', 'DJI', '', 'Matrice 30T', '2', 'yes', WHEN),
    ('Essex Police', 'external_cctv', 'yes', 'Axis', '', 'P1455-LE', '12', 'no', WHEN),
    ('Essex Police', 'drone', 'no', '', '', '', '', '', WHEN),
]
TEXT = 'We surveyed {{ invited }} bodies: a response rate of {{ response_rate }}.'


@pytest.fixture
def report(regulator, body_a, body_b):
    """A campaign of Kent, Essex and Surrey Police (Surrey did not respond), and its draft report."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([COLUMNS, *ROWS])
    buffer.seek(0)
    result = import_returns(
        regulator, 'survey-2022', buffer, recipients_stream=io.StringIO('Kent Police\nEssex Police\nSurrey Police\n')
    )
    return findings.create_report(regulator, result.campaign, title='Survey 2022 findings', narrative_text=TEXT)


def edit_text(page, text: str) -> None:
    page.get_by_role('link', name='Edit the text').click()
    page.get_by_label('Narrative').fill(text)
    page.get_by_role('button', name='Save the text').click()


def test_the_regulator_is_stopped_by_a_wrong_figure_then_publishes_and_a_body_reads_it(
    sign_in, regulator, viewer_a, report, live_server
):
    page = sign_in(regulator)
    page.get_by_role('link', name='Findings').click()
    page.get_by_role('link', name='Survey 2022 findings').click()
    expect(page.get_by_test_id('checks-pass')).to_be_visible()
    expect(page.get_by_test_id('response-rate')).to_have_text('67% (2 of 3 bodies invited)')
    for chart in ('categories', 'manufacturers', 'responses', 'trends'):
        expect(page.get_by_test_id(f'chart-{chart}')).to_have_attribute('src', re.compile(r'^data:image/svg\+xml;'))
        expect(page.get_by_test_id(f'table-{chart}')).to_be_visible()

    edit_text(page, TEXT + ' The response rate dipped to 91%.')
    expect(page.get_by_test_id('blocking')).to_contain_text('the text says 91% but the data give 67% (2 of 3')
    # Publish asks first, on its own page; the checks refuse there, with the reasons in the error summary.
    page.get_by_role('link', name='Publish version 1').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Publish version 1 of Survey 2022 findings?')
    page.get_by_role('button', name='Publish version 1').click()
    expect(page).to_have_title(re.compile('^Error: '))
    expect(page.locator('.govuk-error-summary').first).to_contain_text('Publication is blocked')
    page.get_by_role('link', name='Cancel').click()

    edit_text(page, TEXT)
    page.get_by_role('link', name='Publish version 1').click()
    expect(page.locator('.govuk-warning-text')).to_contain_text('cannot be changed')
    page.get_by_label('What this version changes (optional)').fill('First published.')
    page.get_by_role('button', name='Publish version 1').click()
    # Frozen and rendered by a background task, whose page links to the new version once done.
    expect(page.get_by_test_id('job-state')).to_have_text('Done')
    page.get_by_test_id('job-result-link').click()
    expect(page).to_have_url(re.compile(r'/findings/survey-2022/v1/$'))
    expect(page.get_by_test_id('status')).to_contain_text('Version 1, published')
    expect(page.get_by_test_id('narrative')).to_contain_text('We surveyed 3 bodies: a response rate of 67%.')
    page.screenshot(path='/tmp/oversight-report.png', full_page=True)
    page.get_by_role('button', name='Sign out').click()

    page = sign_in(viewer_a)
    page.get_by_role('link', name='Findings').click()
    page.get_by_role('link', name='Survey 2022 findings').click()
    expect(page).to_have_url(re.compile(r'/findings/survey-2022/v1/$'))
    expect(page.get_by_test_id('non-respondents')).to_have_text('Surrey Police')
    expect(page.get_by_role('link', name='Edit the text')).to_have_count(0)
    expect(page.get_by_test_id('pdf-link')).to_be_visible()
    # The published report is aggregate: nothing names the other respondent.
    expect(page.locator('main')).not_to_contain_text('Essex Police')
    response = page.request.get(f'{live_server.url}/findings/survey-2022/')
    assert response.url.endswith('/findings/survey-2022/v1/')
    assert page.request.get(f'{live_server.url}/findings/survey-2022/edit/').status == 404
