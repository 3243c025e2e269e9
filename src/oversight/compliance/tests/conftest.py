import pytest

from oversight.register import actions as register_actions
from oversight.register.models import Category


@pytest.fixture
def system_a(body_a):
    return register_actions.create_system(None, body_a, name='Custody CCTV', category=Category.INTERNAL_CCTV)


@pytest.fixture
def system_b(body_b):
    return register_actions.create_system(None, body_b, name='Town centre CCTV', category=Category.EXTERNAL_CCTV)
