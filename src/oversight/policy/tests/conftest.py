"""Policy fixtures: makers with their countries and designations, and a small estate in each of two bodies.

Makers and designations are looked up first and created only when the seeded reference data lacks
them; the facts these tests depend on (country, which lists name which maker) are then set here.
Equipment lines carry their resolved maker directly, as the register's identification leaves them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils.text import slugify

from oversight.register.models import Category, EquipmentLine, Site, System
from oversight.vendors.models import ConcernList, Designation, Manufacturer

SOURCE = 'https://example.org/policy-tests'
# Evaluations in these tests happen on this day, so due dates and overdue flags are fixed.
TODAY = datetime.date(2026, 1, 15)


def maker(name: str, country: str) -> Manufacturer:
    found = Manufacturer.objects.filter(name=name).first()
    if found is None:
        return Manufacturer.objects.create(name=name, slug=slugify(name), country=country, source_url=SOURCE)
    if found.country != country:
        Manufacturer.objects.filter(pk=found.pk).update(country=country)
        found.country = country
    return found


def designate(slug: str, *makers: Manufacturer) -> ConcernList:
    concern_list, _ = ConcernList.objects.get_or_create(
        slug=slug,
        defaults={
            'name': f'Test list {slug}',
            'authority': 'Test authority',
            'instrument': 'Test instrument',
            'jurisdiction': 'Test',
            'date': datetime.date(2022, 11, 24),
            'covers_affiliates': True,
            'source_url': SOURCE,
        },
    )
    for each in makers:
        Designation.objects.get_or_create(
            concern_list=concern_list,
            manufacturer=each,
            defaults={
                'date': concern_list.date,
                'scope': 'video surveillance equipment',
                'reason': 'national_security_law',
                'source_url': SOURCE,
            },
        )
    return concern_list


@pytest.fixture
def makers(db):
    ns = SimpleNamespace(
        dahua=maker('Dahua', 'China'),
        hikvision=maker('Hikvision', 'China'),
        honeywell=maker('Honeywell', 'United States'),
        axis=maker('Axis', 'Sweden'),
        nuuo=maker('Nuuo', 'Taiwan'),
    )
    designate('obscc-2022', ns.dahua, ns.hikvision, ns.honeywell, ns.nuuo)
    designate('ndaa-889', ns.dahua, ns.hikvision)
    designate('fcc-covered-list', ns.dahua, ns.hikvision)
    return ns


def _estate(body, prefix: str) -> SimpleNamespace:
    return SimpleNamespace(
        body=body,
        hq=Site.objects.create(organisation=body, name=f'{prefix} HQ', sensitive=True, kind=Site.Kind.HEADQUARTERS),
        town=Site.objects.create(organisation=body, name=f'{prefix} town centre', kind=Site.Kind.PUBLIC_SPACE),
        custody=System.objects.create(organisation=body, name='Custody CCTV', category=Category.INTERNAL_CCTV),
        streets=System.objects.create(organisation=body, name='Town CCTV', category=Category.EXTERNAL_CCTV),
        drones=System.objects.create(organisation=body, name='Drone unit', category=Category.DRONE),
    )


@pytest.fixture
def estate_a(body_a, makers):
    return _estate(body_a, 'Maidstone')


@pytest.fixture
def estate_b(body_b, makers):
    return _estate(body_b, 'Chelmsford')


def line(estate, *, site=None, system=None, made_by=None, manufacturer=None, **fields) -> EquipmentLine:
    """An equipment line as the register stores it once identified (maker resolved)."""
    fields.setdefault('manufacturer_declared', (manufacturer or made_by).name if (manufacturer or made_by) else 'Acme')
    fields.setdefault('quantity', 1)
    fields.setdefault('network', EquipmentLine.Network.ISOLATED)
    created = EquipmentLine.objects.create(
        organisation=estate.body,
        site=site or estate.hq,
        system=system or estate.custody,
        manufacturer=manufacturer or made_by,
        made_by=made_by,
        concern=None,
        **fields,
    )
    return loaded(created)


def loaded(*lines):
    """Lines as the evaluation reads them: with site, system, organisation and makers loaded."""
    found = EquipmentLine.objects.filter(pk__in=[each.pk for each in lines]).select_related(
        'organisation', 'site', 'system', 'manufacturer', 'made_by'
    )
    return found.get() if len(lines) == 1 else list(found.order_by('pk'))
