"""Register fixtures: a little reference data, and a site and a system in each of two bodies.

The reference rows are looked up first and created only when the seeded reference data lacks
them, so the tests hold whether or not the vendors data migration has loaded its makers.
"""

from types import SimpleNamespace

import pytest
from django.utils.text import slugify

from oversight.register import actions
from oversight.register.models import Category, Site
from oversight.vendors.models import Brand, ConcernList, Designation, Manufacturer, ManufacturerName
from oversight.vendors.resolution import normalise

SOURCE = 'https://example.org/register-tests'


def _maker(*names: str) -> Manufacturer:
    for name in names:
        found = ManufacturerName.objects.filter(normalised=normalise(name)).select_related('manufacturer').first()
        if found:
            return found.manufacturer
    maker = Manufacturer.objects.create(name=names[0], slug=slugify(names[0]), source_url=SOURCE)
    for name in names:
        ManufacturerName.objects.create(
            manufacturer=maker, name=name, normalised=normalise(name), kind='alias', source_url=SOURCE
        )
    return maker


def _brand(name: str, kind: str, made_by: Manufacturer, owner: Manufacturer | None = None) -> Brand:
    return Brand.objects.filter(normalised=normalise(name)).first() or Brand.objects.create(
        name=name,
        slug=slugify(name),
        normalised=normalise(name),
        kind=kind,
        owner=owner,
        made_by=made_by,
        confidence='high',
        evidence='Firmware of the Dahua format.',
        source_url=SOURCE,
    )


@pytest.fixture
def reference(db):
    """Hikvision and Dahua (designated), Axis (not), and a relabel brand made by Dahua."""
    hikvision = _maker('Hikvision', 'Hangzhou Hikvision Digital Technology Co., Ltd.')
    dahua = _maker('Dahua Technology', 'Dahua', 'Zhejiang Dahua Technology Co., Ltd.')
    axis = _maker('Axis Communications', 'Axis')
    concern_list = ConcernList.objects.create(
        slug='register-tests',
        name='Register test list',
        authority='Test authority',
        instrument='Test instrument',
        jurisdiction='Test',
        date='2022-11-24',
        source_url=SOURCE,
    )
    for maker in (hikvision, dahua):
        Designation.objects.create(
            concern_list=concern_list,
            manufacturer=maker,
            date='2022-11-24',
            scope='video surveillance equipment',
            reason='national_security_law',
            source_url=SOURCE,
        )
    # A relabel brand of our own making, so its facts are the tests' whatever the seeded data says.
    relabel = _brand('Northgate Vision', 'relabel', made_by=dahua)
    return SimpleNamespace(hikvision=hikvision, dahua=dahua, axis=axis, relabel=relabel)


@pytest.fixture
def register_a(body_a, reference):
    site = actions.create_site(None, body_a, name='Maidstone HQ', kind=Site.Kind.HEADQUARTERS, sensitive=True)
    system = actions.create_system(None, body_a, name='Custody CCTV', category=Category.INTERNAL_CCTV)
    return SimpleNamespace(site=site, system=system)


@pytest.fixture
def register_b(body_b, reference):
    site = actions.create_site(None, body_b, name='Chelmsford HQ', kind=Site.Kind.HEADQUARTERS)
    system = actions.create_system(None, body_b, name='Town centre CCTV', category=Category.EXTERNAL_CCTV)
    return SimpleNamespace(site=site, system=system)
