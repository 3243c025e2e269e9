"""Filters over many sites or systems: a select while short, a search box past core.filtersets.SEARCH_OVER."""

import pytest
from django.urls import reverse

from oversight.core import filtersets
from oversight.register import actions
from oversight.register.models import Category, Site


@pytest.fixture
def many(monkeypatch, body_a, register_a, register_b):
    """Kent Police has three sites, and "many" means more than one."""
    actions.create_site(None, body_a, name='Ashford custody', kind=Site.Kind.CUSTODY)
    actions.create_site(None, body_a, name='Ashford roads', kind=Site.Kind.ROADSIDE)
    line = actions.create_line(
        None, body_a, site=register_a.site, system=register_a.system, manufacturer_declared='Axis', quantity=2
    )
    monkeypatch.setattr(filtersets, 'SEARCH_OVER', 1)
    return line


def test_a_short_list_stays_a_select(client_for, editor_a, register_a):
    html = client_for(editor_a).get(reverse('register:equipment_list')).content.decode()
    assert '<select name="site"' in html
    assert 'data-search-source' not in html


def test_a_long_list_becomes_a_search_box_that_works_without_javascript(client_for, editor_a, many):
    client = client_for(editor_a)
    html = client.get(reverse('register:equipment_list')).content.decode()
    assert '<select name="site"' not in html
    assert f'data-search-source="{reverse("register:site_names")}"' in html
    assert 'Ashford roads' not in html  # the page no longer carries every name
    found = client.get(reverse('register:equipment_list'), {'site': 'maidstone'}).content.decode()
    assert 'Axis' in found
    missed = client.get(reverse('register:equipment_list'), {'site': 'ashford'}).content.decode()
    assert 'No equipment lines match.' in missed
    # A link naming one site by its id still works.
    by_id = client.get(reverse('register:equipment_list'), {'site': many.site_id}).content.decode()
    assert 'Axis' in by_id


def test_a_search_box_matches_only_the_users_own_sites(client_for, editor_b, many, register_b):
    client = client_for(editor_b)
    html = client.get(reverse('register:equipment_list'), {'site': 'maidstone'}).content.decode()
    assert 'No equipment lines match.' in html
    html = client.get(reverse('register:equipment_list'), {'site': many.site_id}).content.decode()
    assert 'No equipment lines match.' in html


def test_names_are_scoped_and_match_every_word(client_for, editor_a, editor_b, many, register_b):
    names = client_for(editor_a).get(reverse('register:site_names'), {'q': 'ashford ROADS'}).json()
    assert names == {'results': ['Ashford roads']}
    assert client_for(editor_b).get(reverse('register:site_names'), {'q': 'ashford'}).json() == {'results': []}
    everything = client_for(editor_b).get(reverse('register:site_names')).json()['results']
    assert everything == ['Chelmsford HQ']


def test_system_names(client_for, editor_a, register_a, body_a):
    actions.create_system(None, body_a, name='ANPR cameras', category=Category.ANPR)
    names = client_for(editor_a).get(reverse('register:system_names'), {'q': 'cctv'}).json()
    assert names == {'results': ['Custody CCTV']}
