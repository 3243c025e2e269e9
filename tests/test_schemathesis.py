"""Fuzzing the API from its OpenAPI schema (schemathesis): whatever a body's editor sends, no 5xx.

Every operation in the schema gets generated requests, valid and invalid, sent in-process to the Django
WSGI application with the editor's API token, inside the test's transaction. The examples are bounded so
the whole run takes a minute or two; `OVERSIGHT_FUZZ_EXAMPLES` raises the bound for a longer hunt.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from oversight.api.actions import create_api_token

pytest_plugins = ['api_fixtures']  # the module-scoped `world`

EXAMPLES = int(os.environ.get('OVERSIGHT_FUZZ_EXAMPLES', '25'))

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
application = get_wsgi_application()


@pytest.fixture
def editor_token(world, db):
    return create_api_token(None, world.a.editor)[1]


@pytest.fixture(autouse=True)
def requests_keep_the_test_transaction():
    """Requests run inside the test's transaction, as with Django's test client, which (unlike a WSGI
    caller) stops each request's end from closing the database connection it runs in."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_request_makes_the_server_fail(case, editor_token):
    response = case.call(app=application, headers={'Authorization': f'Token {editor_token}'})
    case.validate_response(response, checks=[not_a_server_error])
