"""The API documentation (Swagger UI) works under the Content Security Policy, from this site's own files."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_every_endpoint_with_nothing_blocked(sign_in, live_server, viewer_a):
    page = sign_in(viewer_a)
    console, requests = [], []
    page.on('console', lambda message: console.append(message.text))
    page.on('request', lambda request: requests.append(request.url))
    page.goto(f'{live_server.url}/api/docs/')
    expect(page.locator('.opblock-summary-path', has_text='/api/register/sites/').first).to_be_visible()
    expect(page.locator('.opblock-summary-path', has_text='/api/invitations/{id}/submit/')).to_be_visible()
    page.screenshot(path='/tmp/oversight-api-docs.png', full_page=False)
    assert not [text for text in console if 'Content Security Policy' in text]
    assert not [url for url in requests if not url.startswith(live_server.url)], 'everything is served by Oversight'
