"""Cross-app tests get the shared fixtures of src/oversight/conftest.py, and a small register per body."""

import pytest

from oversight.conftest import *  # noqa: F403  (body_a, body_b, regulator, editor_a, viewer_a, editor_b, client_for)

# `import *` leaves out names beginning with an underscore: the autouse fixtures are named here, or a test here
# would start in Welsh after another's Welsh page in the same worker, or read a policy evaluation kept by another.
from oversight.conftest import _english_unless_asked, _fresh_policy_evaluations  # noqa: F401
from oversight.register.models import Category, EquipmentLine, Site, System

# Modules import api_fixtures before pytest loads it as their plugin: have its asserts rewritten then.
pytest.register_assert_rewrite('api_fixtures', 'deployment_fixtures')


def add_register(organisation, lines):
    """One site and one system for `organisation`, with an equipment line per (maker, quantity, concern)."""
    site = Site.objects.create(organisation=organisation, name=f'{organisation} headquarters', sensitive=True)
    system = System.objects.create(organisation=organisation, name='Custody CCTV', category=Category.INTERNAL_CCTV)
    for maker, quantity, concern in lines:
        EquipmentLine.objects.create(
            organisation=organisation,
            site=site,
            system=system,
            manufacturer_declared=maker,
            quantity=quantity,
            concern=concern,
        )


@pytest.fixture
def registers(body_a, body_b):
    """Kent Police: 1 site, 2 lines, 17 devices (5 of concern). Essex Police: 1 site, 1 line, 40 devices."""
    add_register(body_a, [('Axis', 12, False), ('Hikvision', 5, True)])
    add_register(body_b, [('Dahua', 40, True)])
