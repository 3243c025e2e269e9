"""Fixtures for the cross-app security tests: the two-body world built once per test module.

Import them into a test module (`from api_fixtures import world`); tests/conftest.py is shared and
stays as it is. The world is built inside a transaction that is rolled back when the module ends, and
each test runs in a savepoint of it (the `db` fixture), so tests cannot see each other's changes.
"""

import pytest
from django.db import transaction
from django.test import Client

from oversight.api.tests.world import World, build_world

ROLES = ('regulator', 'editor', 'admin', 'viewer', 'other', 'anonymous')


@pytest.fixture(scope='module')
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(published_report=True)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def user_for(world: World, role: str):
    """The person behind each role: A's editor, administrator and viewer, B's editor as the other body's user."""
    return {
        'regulator': world.regulator,
        'editor': world.a.editor,
        'admin': world.a.admin,
        'viewer': world.a.viewer,
        'other': world.b.editor,
        'anonymous': None,
    }[role]


def client_for(world: World, role: str, **options) -> Client:
    client = Client(**options)
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    return client
