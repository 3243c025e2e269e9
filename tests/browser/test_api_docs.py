"""The API reference page in a browser: every operation is listed, reachable from its contents, with nothing blocked."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_reference_lists_every_operation_with_nothing_blocked(sign_in, live_server, viewer_a):
    page = sign_in(viewer_a)
    console, requests = [], []
    page.on('console', lambda message: console.append(message.text))
    page.on('request', lambda request: requests.append(request.url))
    page.goto(f'{live_server.url}/api/docs/')
    expect(page.get_by_role('heading', level=1)).to_have_text('API reference')
    page.get_by_role('link', name='Invitations').click()
    expect(page.get_by_role('heading', name='Invitations', level=2)).to_be_in_viewport()
    expect(page.locator('code', has_text='/api/invitations/{id}/submit/')).to_be_visible()
    expect(page.locator('code', has_text='/api/register/sites/').first).to_be_visible()
    assert not [text for text in console if 'Content Security Policy' in text]
    assert not [url for url in requests if not url.startswith(live_server.url)], 'everything is served by Oversight'
