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


@pytest.fixture(scope='session')
def _reference_data(django_db_setup, django_db_blocker):
    """The database as migrations left it (the 47 bodies, the makers), serialized once per session."""
    from django.db import connection

    with django_db_blocker.unblock():
        return getattr(connection, '_test_serialized_contents', None) or connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _keep_reference_data(_reference_data, django_db_serialized_rollback):
    """The live server needs committed rows, so the database is flushed after each journey, and Django's
    serialized rollback reloads the reference data migrations put there (the 47 bodies, the makers).

    Django keeps that data on the connection object, but once Playwright's event loop has run in this
    thread the test gets a fresh connection object without it, and the reload would silently be skipped.
    So it is put back on whichever connection object the test will use, before the database is set up.
    """
    from django.db import connection

    connection._test_serialized_contents = _reference_data


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the login form as it is shown to people; returns the page on the home screen."""

    def sign_in_as(user, password=None):
        verified_email(user)
        page.goto(f'{live_server.url}/accounts/login/')
        page.get_by_label('Username').fill(user.username)
        page.get_by_label('Password').fill(password or f'pw-{user.username}')
        page.get_by_role('button', name='Sign in').click()
        page.wait_for_url(f'{live_server.url}/')
        return page

    return sign_in_as


def verified_email(user) -> str:
    """Give the user the verified address allauth requires before it lets anyone in (its own, if they have one)."""
    from allauth.account.models import EmailAddress

    email = user.email or f'{user.username}@example.org'
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={'verified': True, 'primary': True})
    return email
