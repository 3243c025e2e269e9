"""Playwright journeys driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

Playwright's own browser downloads are never used (`playwright install` is not part of the set-up).
"""

import os

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django's ORM would refuse to be
# called from it (the fixtures create rows there), though nothing here is actually asynchronous.
os.environ.setdefault('DJANGO_ALLOW_ASYNC_UNSAFE', 'true')

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]


@pytest.fixture(scope='session')
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (`make setup` installs Debian's chromium).")
    return {**browser_type_launch_args, 'executable_path': CHROMIUM, 'args': CHROMIUM_ARGS, 'headless': True}


@pytest.fixture(autouse=True)
def _keep_reference_data(django_db_serialized_rollback):
    """The live server needs committed rows, so the database is flushed after each journey; this reloads
    the reference data that migrations put there (the 47 bodies, the makers) before the next one."""


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the login form as it is shown to people; returns the page on the home screen."""

    def sign_in_as(user, password=None):
        page.goto(f'{live_server.url}/accounts/login/')
        page.get_by_label('Username').fill(user.username)
        page.get_by_label('Password').fill(password or f'pw-{user.username}')
        page.get_by_role('button', name='Sign in').click()
        page.wait_for_url(f'{live_server.url}/')
        return page

    return sign_in_as
