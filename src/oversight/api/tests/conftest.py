"""API test fixtures: the two-body world, and clients authenticated as its people with their API tokens."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    """`api(user)`: a client sending the user's own API token (made for them); `api(None)`: no credentials."""

    def client_for(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f'Token {token.key}')
        return client

    return client_for
