"""Fixtures shared by every app's tests: two bodies, the regulator, and a user of each role."""

import os

import pytest
from hypothesis import settings

from oversight.accounts.models import User
from oversight.organisations.models import Organisation

# Property tests and the schemathesis fuzzing try the same examples on every run, so a red build can
# always be reproduced; OVERSIGHT_FUZZ_RANDOM=1 hunts with new ones (docs/security.md).
settings.register_profile('repeatable', derandomize=True)
settings.register_profile('hunt', derandomize=False)
settings.load_profile('hunt' if os.environ.get('OVERSIGHT_FUZZ_RANDOM') else 'repeatable')


@pytest.fixture(autouse=True)
def _fresh_policy_evaluations():
    """Tests write rows without audit rows and roll them back, so an evaluation kept by the policy
    page (policy.evaluation) could outlive what it was computed from; so could a stored page's plan, since
    a rollback issues the same keys and generations again."""
    from oversight.policy import stored_page
    from oversight.policy.evaluation import forget_evaluations

    forget_evaluations()
    stored_page._plans.clear()


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """A request in Welsh leaves Welsh active in its thread (LocaleMiddleware activates, nothing resets), so
    a test calling actions after another's Welsh page would read Welsh refusals. Each test starts in English."""
    from django.utils import translation

    translation.activate('en-gb')
    yield
    translation.activate('en-gb')


@pytest.fixture
def regulator_org(db):
    return Organisation.objects.get(slug='obscc')


@pytest.fixture
def body_a(db):
    return Organisation.objects.get(name='Kent Police')


@pytest.fixture
def body_b(db):
    return Organisation.objects.get(name='Essex Police')


def _user(username, organisation, role):
    return User.objects.create_user(username=username, password='pw-' + username, organisation=organisation, role=role)


@pytest.fixture
def regulator(regulator_org):
    return _user('regulator', regulator_org, User.Role.REGULATOR)


@pytest.fixture
def editor_a(body_a):
    return _user('editor_a', body_a, User.Role.EDITOR)


@pytest.fixture
def admin_a(body_a):
    return _user('admin_a', body_a, User.Role.ADMINISTRATOR)


@pytest.fixture
def viewer_a(body_a):
    return _user('viewer_a', body_a, User.Role.VIEWER)


@pytest.fixture
def editor_b(body_b):
    return _user('editor_b', body_b, User.Role.EDITOR)


@pytest.fixture
def client_for(db, client):
    """A test client signed in as the given user (a database test, even when users are fetched lazily)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
