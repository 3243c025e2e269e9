"""The register's default sorts and filters are served by indexes, as PostgreSQL's EXPLAIN shows.

A table this small is read whole and sorted whatever its indexes, so sequential scans and sorts are
priced out of the plan (`enable_seqscan`, `enable_sort` off): a plan that still has one of them has no
index that could serve the query.
"""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from oversight.core import pagination
from oversight.core.models import ObjectChange
from oversight.register.filtersets import EquipmentLineFilterSet
from oversight.register.models import EquipmentLine, Site, System
from oversight.vendors.models import Manufacturer

pytestmark = pytest.mark.postgres


@pytest.fixture
def register(body_a, body_b):
    makers = [Manufacturer.objects.create(name=f'Maker {n}', slug=f'maker-{n}') for n in range(5)]
    for body in (body_a, body_b):
        sites = Site.objects.bulk_create(Site(organisation=body, name=f'{body} site {n}') for n in range(40))
        systems = System.objects.bulk_create(
            System(organisation=body, name=f'{body} system {n}', category='anpr') for n in range(10)
        )
        EquipmentLine.objects.bulk_create(
            EquipmentLine(
                organisation=body,
                site=sites[n % 40],
                system=systems[n % 10],
                manufacturer_declared=f'Maker {n % 5}',
                model=f'M{n % 7}',
                quantity=1,
                made_by=makers[n % 5] if n % 3 else None,
                installed_on=datetime.date(2020, 1, 1),
            )
            for n in range(1500)
        )
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE')


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute('SET LOCAL enable_seqscan = off')
        cursor.execute('SET LOCAL enable_sort = off')
        cursor.execute('EXPLAIN ' + sql, params)
        return '\n'.join(row[0] for row in cursor.fetchall())


def scans(text: str) -> set[str]:
    """The tables read whole."""
    return set(re.findall(r'Seq Scan on (\w+)', text))


def first_page(queryset):
    ordering = pagination.ordering_of(queryset)
    return queryset.order_by(*ordering)[:51]


def test_a_bodys_register_page_reads_its_lines_through_an_index(register, body_a):
    lines = EquipmentLine.objects.filter(organisation=body_a).as_listed()
    assert 'register_equipmentline' not in scans(plan(first_page(lines)))
    # A deep page starts from its cursor through the same index.
    after = pagination.rows_after(
        pagination.ordering_of(lines), ['x', 'y', 'Maker 1', 'M1', 10], connection.features.nulls_order_largest
    )
    assert 'register_equipmentline' not in scans(plan(first_page(lines.filter(after))))


def test_the_makers_filter_probes_an_index_per_maker(register, body_a, rf, editor_a):
    request = rf.get('/register/')
    request.user = editor_a
    makers = EquipmentLineFilterSet(queryset=EquipmentLine.objects.none(), request=request).filters['made_by']
    text = plan(makers.get_queryset(request))
    assert 'register_equipmentline' not in scans(text)
    assert re.search(r'Index (Only )?Scan using register_eq_organis_2399ac_idx', text), text


def test_sites_and_systems_are_listed_in_name_order_from_an_index(register, body_a):
    for model in (Site, System):
        text = plan(first_page(model.objects.filter(organisation=body_a).order_by('name')))
        assert f'{model._meta.db_table}' not in scans(text)
        assert 'Sort' not in text, text  # the index gives the order: no sort of the body's every row


def test_the_policy_cache_finds_a_bodys_newest_change_in_one_probe(register, body_a, body_b):
    # Audit rows of two bodies, the other's newest: on an empty table walking the primary key backwards costs the
    # planner as little as the probe, and it may pick either.
    kind = ContentType.objects.get_for_model(EquipmentLine)
    now = timezone.now()
    ObjectChange.objects.bulk_create(
        ObjectChange(
            time=now, organisation=body_a if n < 50 else body_b, action='update', content_type=kind,
            object_id=str(n), object_repr=f'Line {n}',
        )
        for n in range(5000)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE core_objectchange')
    newest = ObjectChange.objects.order_by().filter(organisation=body_a).values('pk').order_by('-pk')[:1]
    text = plan(newest)
    assert 'core_objectchange' not in scans(text)
    assert 'core_object_organis_eaca42_idx' in text, text
