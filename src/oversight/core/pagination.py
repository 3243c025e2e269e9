"""Keyset (cursor) pagination: a page starts after the last row of the one before, found through an index.

OFFSET reads and throws away every row before the page, so page 1,000 of a national register costs a
thousand pages. A cursor instead carries the sort values of the row a page ends (or starts) at, and the
next page is the rows strictly after it in the same order: "WHERE (a, b, id) > (x, y, z) ORDER BY a, b,
id LIMIT 51", which an index on (a, b, id) answers by reading 51 entries, however deep the page.

The order always ends with the primary key, so rows never tie. Nulls stay where the database puts them
(PostgreSQL sorts them as the largest values, SQLite as the smallest), since an explicit NULLS FIRST or
LAST that differs from the index's own order would stop the index serving the sort. A cursor
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

from django.db import connections
from django.db.models import Q

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


def cursor_from(direction: str, ordering: list[str], row) -> str:
    """The cursor of the page after `row` (FORWARD) or before it (BACKWARD) in `ordering`."""
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


def rows_after(ordering: list[str], values: list, nulls_largest: bool) -> Q:
    """Rows strictly after `values` in `ordering`, nulls being the largest values or the smallest."""
    nothing = Q(pk__in=[])
    after, equal = nothing, Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip('-')
        # Going up from a value when nulls are the largest (or down when they are the smallest) the nulls
        # come after it; from a null, the non-null values do in the other two cases.
        nulls_follow = nulls_largest != field.startswith('-')
        if value is None:
            beyond = nothing if nulls_follow else Q(**{f'{name}__isnull': False})
        else:
            beyond = Q(**{f'{name}__lt' if field.startswith('-') else f'{name}__gt': value})
            if nulls_follow:
                beyond |= Q(**{f'{name}__isnull': True})
        after |= equal & beyond
        equal &= Q(**{f'{name}__isnull': True}) if value is None else Q(**{name: value})
    return after


def _flip(field: str) -> str:
    return field[1:] if field.startswith('-') else f'-{field}'


def page(queryset, cursor: str | None, per_page: int) -> KeysetPage:
    """One page of the ordered queryset, and the cursors of the pages either side of it."""
    ordering = ordering_of(queryset)
    decoded = _decode(cursor, ordering) if cursor else None
    direction, values = decoded or (FORWARD, None)
    walk = ordering if direction == FORWARD else [_flip(f) for f in ordering]
    rows = queryset.order_by(*walk)
    if values is not None:
        rows = rows.filter(rows_after(walk, values, connections[queryset.db].features.nulls_order_largest))
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
        cursor_from(FORWARD, ordering, rows[-1]) if has_next else None,
        cursor_from(BACKWARD, ordering, rows[0]) if has_previous else None,
    )
