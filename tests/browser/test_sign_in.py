import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_body_viewer_signs_in_sees_their_body_and_signs_out(sign_in, viewer_a, registers, live_server):
    page = sign_in(viewer_a)
    expect(page.get_by_role('heading', level=1)).to_have_text('Kent Police')
    expect(page.get_by_test_id('signed-in-as')).to_contain_text('Kent Police, body viewer')
    # Counts are Kent Police's alone: Essex Police's 40 Dahua devices are not in them.
    expect(page.get_by_test_id('site-count')).to_have_text('1')
    expect(page.get_by_test_id('line-count')).to_have_text('2')
    expect(page.get_by_test_id('device-count')).to_have_text('17')
    expect(page.get_by_test_id('concern-device-count')).to_have_text('5')
    # The GOV.UK Frontend stylesheet is served and applied: the inverse service bar is blue, not unstyled.
    expect(page.locator('.govuk-service-navigation--inverse')).to_have_css('background-color', 'rgb(29, 112, 184)')
    page.screenshot(path='/tmp/oversight-home.png', full_page=True)

    page.get_by_role('button', name='Sign out').click()
    expect(page).to_have_url(re.compile(r'/accounts/login/$'))
    expect(page.get_by_role('heading', level=1)).to_have_text('Sign in to Oversight')
    page.goto(f'{live_server.url}/')
    expect(page).to_have_url(re.compile(r'/accounts/login/\?next=/$'))
