"""Keyset (cursor) pagination: a page starts after the last row of the one before, found through an index.

OFFSET reads and throws away every row before the page, so page 1,000 of a national register costs a
thousand pages. A cursor instead carries the sort values of the row a page ends (or starts) at, and the
next page is the rows strictly after it in the same order: "WHERE (a, b, id) > (x, y, z) ORDER BY a, b,
id LIMIT 51", which an index on (a, b, id) answers by reading 51 entries, however deep the page.

The order always ends with the primary key, so rows never tie. Nulls sort first going forwards (and so
last going backwards) on every database, so a cursor means the same on SQLite and PostgreSQL. A cursor
holds sort values only, and the rows are looked up in the caller's (already scoped) queryset, so a
crafted cursor can skip about within the user's own rows and nowhere else; one that cannot be read, or
was made for another order, starts again from the first page.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q

FORWARD, BACKWARD = 'n', 'p'


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def ordering_of(queryset) -> list[str]:
    """The queryset's order as field paths ('-site__name'), ending with the primary key."""
    fields = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not all(isinstance(f, str) for f in fields):
        raise ValueError('Keyset pagination orders by field names only.')
    names = [f.lstrip('-') for f in fields]
    if 'pk' not in names and 'id' not in names:
        fields.append('pk')
    return fields


def _value(obj, path: str):
    for part in path.split('__'):
        obj = None if obj is None else getattr(obj, part)
    return getattr(obj, 'pk', obj)


def _json(value):
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def _encode(direction: str, ordering: list[str], row) -> str:
    values = [_json(_value(row, f.lstrip('-'))) for f in ordering]
    text = json.dumps([direction, ordering, values], separators=(',', ':'))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip('=')


def _decode(cursor: str, ordering: list[str]):
    try:
        direction, made_for, values = json.loads(base64.urlsafe_b64decode(cursor + '=' * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        return None
    if direction not in (FORWARD, BACKWARD) or made_for != ordering or len(values) != len(ordering):
        return None
    if not all(v is None or isinstance(v, str | int | float | bool) for v in values):
        return None
    return direction, values


def _after(ordering: list[str], values: list) -> Q:
    """Rows strictly after `values` in `ordering` (ascending: nulls first; descending: nulls last)."""
    after = Q(pk__in=[])
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip('-')
        if field.startswith('-'):
            beyond = Q(pk__in=[]) if value is None else Q(**{f'{name}__lt': value}) | Q(**{f'{name}__isnull': True})
        else:
            beyond = Q(**{f'{name}__isnull': False}) if value is None else Q(**{f'{name}__gt': value})
        after |= equal & beyond
        equal &= Q(**{f'{name}__isnull': True}) if value is None else Q(**{name: value})
    return after


def _flip(field: str) -> str:
    return field[1:] if field.startswith('-') else f'-{field}'


def _order(ordering: list[str]) -> list:
    return [F(f[1:]).desc(nulls_last=True) if f.startswith('-') else F(f).asc(nulls_first=True) for f in ordering]


def page(queryset, cursor: str | None, per_page: int) -> KeysetPage:
    """One page of the ordered queryset, and the cursors of the pages either side of it."""
    ordering = ordering_of(queryset)
    decoded = _decode(cursor, ordering) if cursor else None
    direction, values = decoded or (FORWARD, None)
    walk = ordering if direction == FORWARD else [_flip(f) for f in ordering]
    rows = queryset.order_by(*_order(walk))
    if values is not None:
        rows = rows.filter(_after(walk, values))
    rows = list(rows[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if direction == BACKWARD:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    # Going forwards, a row beyond the page means a next page, and a cursor means a previous one.
    has_next = more if direction == FORWARD else True
    has_previous = values is not None if direction == FORWARD else more
    return KeysetPage(
        rows,
        _encode(FORWARD, ordering, rows[-1]) if has_next else None,
        _encode(BACKWARD, ordering, rows[0]) if has_previous else None,
    )
