"""One filter change is one entry in the browser's history, whichever control makes it; Back undoes it."""

import pytest
from playwright.sync_api import expect

from oversight.core import filtersets
from oversight.register import actions
from oversight.register.models import Site

pytestmark = pytest.mark.browser


@pytest.fixture
def register_page(sign_in, page, live_server, monkeypatch, editor_a, body_a):
    sites = [actions.create_site(None, body_a, name=n, kind=Site.Kind.OTHER) for n in ('Maidstone HQ', 'Ashford')]
    cctv = actions.create_system(None, body_a, name='Custody CCTV', category='internal_cctv')
    anpr = actions.create_system(None, body_a, name='Roads ANPR', category='anpr')
    for site, system, maker in ((sites[0], cctv, 'Axis'), (sites[1], anpr, 'Bosch')):
        actions.create_line(None, body_a, site=site, system=system, manufacturer_declared=maker, quantity=1)
    monkeypatch.setattr(filtersets, 'SEARCH_OVER', 1)  # the site filter is the autocomplete
    sign_in(editor_a)
    page.goto(f'{live_server.url}/register/')
    return page


def _history(page) -> int:
    page.wait_for_load_state('networkidle')
    return page.evaluate('history.length')


def test_each_filter_change_is_one_history_entry(register_page):
    page = register_page
    results = page.locator('#results')
    start = _history(page)

    page.get_by_label('Category').select_option('anpr')  # a select
    page.wait_for_url('**category=anpr**')
    expect(results).not_to_contain_text('Axis')
    assert _history(page) == start + 1

    search = page.get_by_label('Maker, brand or model contains')  # a text box, Enter to filter
    search.fill('bosch')
    search.press('Enter')
    page.wait_for_url('**q=bosch**')
    assert _history(page) == start + 2

    box = page.get_by_role('combobox', name='Site', exact=True)  # the autocomplete
    box.fill('ashf')
    page.locator('#id_site__listbox').get_by_role('option', name='Ashford').click()
    page.wait_for_url('**site=Ashford**')
    page.get_by_role('heading', level=1).click()  # leaving the box fires its change event
    assert _history(page) == start + 3

    page.go_back()
    page.wait_for_url(lambda url: 'site=Ashford' not in url and 'q=bosch' in url)
    expect(results).to_contain_text('Bosch')
