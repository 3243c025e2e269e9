"""A filter over many sites is a search box; with JavaScript it suggests names as the person types."""

import pytest
from playwright.sync_api import expect

from oversight.core import filtersets
from oversight.register import actions
from oversight.register.models import Site

pytestmark = pytest.mark.browser


def test_the_site_filter_suggests_names_and_filters_the_register(
    sign_in, page, live_server, monkeypatch, editor_a, body_a, body_b
):
    names = ['Maidstone HQ', 'Maidstone custody', 'Ashford roads']
    sites = [actions.create_site(None, body_a, name=n, kind=Site.Kind.OTHER) for n in names]
    actions.create_site(None, body_b, name='Maidstone elsewhere', kind=Site.Kind.OTHER)  # Essex's: never offered
    system = actions.create_system(None, body_a, name='Custody CCTV', category='internal_cctv')
    for site, maker in zip(sites, ['Axis', 'Bosch', 'Hikvision'], strict=True):
        actions.create_line(None, body_a, site=site, system=system, manufacturer_declared=maker, quantity=1)
    monkeypatch.setattr(filtersets, 'SEARCH_OVER', 2)

    sign_in(editor_a)
    page.goto(f'{live_server.url}/register/')
    box = page.get_by_role('combobox', name='Site', exact=True)
    box.fill('maids')
    suggestions = page.locator('#id_site__listbox')
    expect(suggestions.get_by_role('option')).to_have_count(2)
    expect(suggestions).not_to_contain_text('elsewhere')
    suggestions.get_by_role('option', name='Maidstone custody').click()
    page.wait_for_url('**site=Maidstone%20custody**')
    results = page.locator('#results')
    expect(results).to_contain_text('Bosch')
    expect(results).not_to_contain_text('Axis')
