"""WCAG 2.2 AA, checked by axe-core in Chromium on every page of the access matrix, as every role that can open it.

The two-body world of the access matrix is built (committed, for the live server), each role signs in,
and every HTML page the matrix says that role may open is loaded with its data and checked; the filter
variants of list pages are checked too. A violation fails the test with the page, the rule and the
elements, so a new page or template is checked from the day it exists.
"""

import itertools
import pathlib

import pytest
from api_fixtures import user_for
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from oversight.api.tests.world import build_world

pytestmark = pytest.mark.browser

AXE = pathlib.Path(__file__).resolve().parents[2] / 'node_modules' / 'axe-core' / 'axe.min.js'
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the Public Sector Bodies Accessibility Regulations require.
WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
ROLES = ('regulator', 'editor', 'admin', 'viewer', 'other', 'anonymous')


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected as a script the Content Security Policy would (rightly) refuse.
    return {**browser_context_args, 'bypass_csp': True}


@pytest.fixture
def page(page):
    # axe-core loaded with every document, once, rather than sent to each page after it loads.
    page.context.add_init_script(path=str(AXE))
    return page


def matrix_pages(world, role):
    """(label, url) of every HTML page the access matrix says `role` gets a 200 for."""
    from test_access_matrix import CASES, expect, url_of

    for name, index, case in CASES:
        if expect(case.get)[role] != '200':
            continue
        base = url_of(world, name, case)
        for query in ('', *case.queries):
            yield f'{name}#{index}{query}', base + query


def sign_in_cookie(user, live_server) -> dict:
    """A session for `user`, as the sign-in form would make it, handed to the browser as its cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {'name': settings.SESSION_COOKIE_NAME, 'value': session.session_key, 'url': live_server.url}


def violations_on(page) -> list[str]:
    if not page.evaluate('typeof axe !== "undefined"'):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            // GOV.UK Frontend's conditional reveal marks a radio aria-expanded, deliberately (the Design
            // System's radios); ARIA 1.2 does not list it for radios. That one attribute on that one role is
            // accepted, and nothing else (docs/accessibility.md).
            axe.configure({checks: [{id: 'aria-allowed-attr', options: {radio: ['aria-expanded']}}]});
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}: ` +
                v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120)).join(' | '));
        }""",
        WCAG_AA,
    )
    return found


@pytest.mark.parametrize('role', ROLES)
def test_every_page_meets_wcag_aa(transactional_db, live_server, page, role):
    world = build_world(published_report=True)
    user = user_for(world, role)
    if user is not None:
        page.context.add_cookies([sign_in_cookie(user, live_server)])
    problems = []
    checked = 0
    for label, url in matrix_pages(world, role):
        # Downloads (exports, PDFs, JSON) are not pages: asked first without the browser opening them.
        if 'text/html' not in page.request.get(live_server.url + url).headers.get('content-type', ''):
            continue
        page.goto(live_server.url + url)
        if page.evaluate('document.doctype === null'):
            continue  # a fragment HTMX swaps into a page: checked there, as part of the whole page
        checked += 1
        problems += [f'{label} {url}: {violation}' for violation in violations_on(page)]
    assert checked > (3 if user is None else 20), f'only {checked} pages were checked as {role}'
    assert not problems, f'{len(problems)} accessibility violations as {role}:\n' + '\n'.join(problems)


def test_the_sign_in_page_and_its_errors_meet_wcag_aa(live_server, page):
    page.goto(live_server.url + reverse('account_login'))
    assert violations_on(page) == []
    page.get_by_role('button', name='Sign in').click()
    assert violations_on(page) == []


# Forms sent empty, so their error summaries and error messages are checked too: (role, URL name, kwargs).
FORMS_WITH_ERRORS = (
    ('editor', 'register:site_create', None),
    ('editor', 'register:system_create', None),
    ('editor', 'register:equipment_create', None),
    ('editor', 'register:equipment_import', None),
    ('editor', 'discovery:token_create', None),
    ('editor', 'discovery:scan_upload', None),
    ('regulator', 'surveys:campaign_create', None),
    ('regulator', 'organisations:group_create', None),
    ('regulator', 'accounts:invite', None),
)


def test_forms_sent_with_errors_meet_wcag_aa(transactional_db, live_server, page):
    world = build_world()
    problems = []
    for role, name, kwargs in FORMS_WITH_ERRORS:
        page.context.clear_cookies()
        page.context.add_cookies([sign_in_cookie(user_for(world, role), live_server)])
        page.goto(live_server.url + reverse(name, kwargs=kwargs))
        page.locator('main form[method="post"] button[type="submit"]').last.click()
        page.wait_for_load_state()
        summary = page.locator('.govuk-error-summary')
        assert summary.count() == 1, f'{name}: sent empty, the form shows no error summary'
        assert page.title().startswith('Error: '), f'{name}: the title does not start "Error: " ({page.title()})'
        problems += [f'{name} (with errors): {violation}' for violation in violations_on(page)]
    assert not problems, '\n'.join(problems)


def test_a_date_with_a_part_missing_is_named_linked_to_its_day_and_meets_wcag_aa(transactional_db, live_server, page):
    """GOV.UK's date input (core.forms.GovukDateField): three labelled boxes in a fieldset, and a problem in
    the error summary that takes the reader to the day's box."""
    world = build_world()
    page.context.add_cookies([sign_in_cookie(user_for(world, 'editor'), live_server)])
    page.goto(live_server.url + reverse('register:equipment_create'))
    installed = page.get_by_role('group', name='Installed on')
    installed.get_by_label('Day').fill('31')
    installed.get_by_label('Month').fill('2')
    installed.get_by_label('Year').fill('2027')
    page.locator('main form[method="post"] button[type="submit"]').last.click()
    page.wait_for_load_state()
    message = 'The date must be a real date, for example 27 3 2026.'
    assert message in page.locator('#id_installed_on-error').inner_text()
    assert page.get_by_role('group', name='Installed on').get_by_label('Day').input_value() == '31'  # kept
    page.locator('.govuk-error-summary').get_by_role('link', name=f'Installed on: {message}').click()
    assert page.evaluate('document.activeElement.id') == 'id_installed_on_0'
    assert violations_on(page) == []


# The main pages at 320 CSS pixels wide (WCAG 1.4.10, reflow): the page itself never scrolls sideways.
REFLOW_PAGES = (
    ('editor', 'core:home', {}),
    ('editor', 'register:equipment_list', {}),
    ('editor', 'register:site_list', {}),
    ('editor', 'policy:policy', {}),
    ('editor', 'discovery:token_list', {}),
    ('editor', 'surveys:campaign_list', {}),
    ('regulator', 'surveys:campaign_detail', {'slug': 'police-survey'}),
    ('regulator', 'findings:report', {'slug': 'police-survey'}),
    ('regulator', 'api:docs', {}),
    ('regulator', 'accounts:people', {}),
    ('regulator', 'vendors:manufacturer_list', {}),
    ('regulator', 'policy:exposure', {}),
    ('regulator', 'compliance:task_counts', {}),
    ('editor', 'compliance:governance_list', {}),
    ('editor', 'compliance:principle_list', {}),
    ('editor', 'compliance:task_list', {}),
    ('anonymous', 'account_login', {}),
    ('anonymous', 'core:accessibility', {}),
    ('anonymous', 'publications:publication_list', {}),
    ('anonymous', 'publications:publication', {'slug': 'police-survey', 'number': 1}),
    ('anonymous', 'publications:report', {'slug': 'police-survey', 'number': 1}),
)


def test_the_main_pages_reflow_at_320_pixels(transactional_db, live_server, page):
    world = build_world(published_report=True)
    page.set_viewport_size({'width': 320, 'height': 640})
    wide = []
    # Welsh words run longer than English ones, so each page is checked in both languages.
    for (role, name, kwargs), language in itertools.product(REFLOW_PAGES, ('en-gb', 'cy')):
        page.context.clear_cookies()
        user = user_for(world, role)
        if user is not None:
            page.context.add_cookies([sign_in_cookie(user, live_server)])
        page.goto(f'{live_server.url}{reverse(name, kwargs=kwargs)}?lang={language}')
        overflow = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return null;
                // What sticks out of the page. Inside a scrolling region only what escapes it counts: text
                // positioned against an ancestor outside the region (visually hidden text is) widens the page.
                const escapes = e => {
                    const region = e.closest('.app-table-scroll');
                    return !region || (getComputedStyle(e).position === 'absolute' && !region.contains(e.offsetParent));
                };
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1 && escapes(e))
                    .slice(-3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')).join(', ');
            }"""
        )
        if overflow:
            wide.append(f'{name} ({language}): {overflow}')
    assert not wide, 'These pages scroll sideways at 320px:\n' + '\n'.join(wide)
