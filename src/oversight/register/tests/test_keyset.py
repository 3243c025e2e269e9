"""Cursor pagination (core.pagination) over the register: every row once, in order, both ways."""

import datetime
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse

from oversight.core import pagination
from oversight.register.models import EquipmentLine


@pytest.fixture
def lines(body_a, register_a):
    # Ties and nulls in every sort key, so the cursor has to use all of them.
    return EquipmentLine.objects.bulk_create(
        EquipmentLine(
            organisation=body_a,
            site=register_a.site,
            system=register_a.system,
            manufacturer_declared=['Axis', 'Bosch', 'Axis'][n % 3],
            model=f'M{n % 4}',
            quantity=1 + n % 5,
            installed_on=None if n % 4 == 0 else datetime.date(2020, 1 + n % 3, 1),
        )
        for n in range(23)
    )


def walk(queryset, per_page: int) -> tuple[list, list]:
    """The pks met going forwards page by page, then backwards from the last page."""
    forwards, cursor, pages = [], None, []
    while True:
        found = pagination.page(queryset, cursor, per_page)
        pages.append(found)
        forwards += [row.pk for row in found.rows]
        if not found.next_cursor:
            break
        cursor = found.next_cursor
    backwards, cursor = [], pages[-1].previous_cursor
    while cursor:
        found = pagination.page(queryset, cursor, per_page)
        backwards = [row.pk for row in found.rows] + backwards
        cursor = found.previous_cursor
    return forwards, backwards + [row.pk for row in pages[-1].rows]


@pytest.mark.parametrize(
    'ordering',
    [
        (),
        ('manufacturer_declared', 'model'),
        ('-installed_on', 'model'),
        ('installed_on', '-quantity'),
        ('-site__name', '-pk'),
    ],
)
def test_every_row_once_in_order_both_ways(lines, ordering):
    queryset = EquipmentLine.objects.as_listed()
    if ordering:
        queryset = queryset.order_by(*ordering)
    expected = [line.pk for line in queryset.order_by(*pagination.ordering_of(queryset))]
    forwards, backwards = walk(queryset, per_page=4)
    assert forwards == expected
    assert backwards == expected


@pytest.mark.parametrize(
    'cursor', ['', 'not base64!', 'WyJuIl0', pagination.cursor_from('n', ['pk'], SimpleNamespace(pk=3))]
)
def test_a_cursor_unreadable_or_for_another_order_starts_from_the_first_page(lines, cursor):
    queryset = EquipmentLine.objects.order_by('model')
    assert pagination.page(queryset, cursor, 5).rows == list(queryset.order_by('model', 'pk')[:5])


NEXT = re.compile(r'href="([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="([^"]+)" rel="prev"')
LINE = re.compile(r'/register/equipment/(\d+)/')


def test_the_register_pages_by_next_and_previous_links(client_for, editor_a, lines):
    client = client_for(editor_a)
    url, seen, pages = reverse('register:equipment_list') + '?sort=-quantity', [], []
    while url:
        html = client.get(url).content.decode()
        pages.append(url)
        seen += list(dict.fromkeys(int(pk) for pk in LINE.findall(html)))
        found = NEXT.search(html)
        url = reverse('register:equipment_list') + unescape(found.group(1)) if found else None
    assert len(pages) == 1  # 23 lines fit in a page of 50
    assert sorted(seen) == sorted(line.pk for line in lines)


def test_deep_pages_are_reached_without_offset(client_for, editor_a, lines, monkeypatch):
    from oversight.register.views import EquipmentLineListView

    monkeypatch.setattr(EquipmentLineListView, 'paginate_by', 5)
    client = client_for(editor_a)
    url, seen = reverse('register:equipment_list'), []
    while url:
        html = client.get(url).content.decode()
        seen += list(dict.fromkeys(int(pk) for pk in LINE.findall(html)))
        found = NEXT.search(html)
        url = reverse('register:equipment_list') + unescape(found.group(1)) if found else None
    assert sorted(seen) == sorted(line.pk for line in lines)
    assert len(seen) == len(set(seen))
    # And back from the last page.
    previous = PREVIOUS.search(html)
    assert previous
    html = client.get(reverse('register:equipment_list') + unescape(previous.group(1))).content.decode()
    assert 'First page' in html
