"""API test fixtures: the two-body world, and clients authenticated as its people with their API tokens."""

import pytest
from rest_framework.test import APIClient

from oversight.api import actions

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    """`api(user)`: a client sending the user's own API token (made for them); `api(None)`: no credentials."""

    secrets = {}  # one token a person for the test: making another would replace the first

    def client_for(user):
        client = APIClient()
        if user is not None:
            if user.pk not in secrets:
                secrets[user.pk] = actions.create_api_token(None, user)[1]
            client.credentials(HTTP_AUTHORIZATION=f'Token {secrets[user.pk]}')
        return client

    return client_for
