"""What every survey action shares: the refusals' words, and bulk inserts."""

from django.db import connection
from django.utils.translation import gettext_lazy as _

from oversight.core.permissions import check, may_edit_body

from ..models import Invitation

Status = Invitation.Status
# Rows per statement in bulk writes.
BATCH = 500


REGULATOR_ONLY = _('Only the regulator can do this.')


def check_editor(actor, invitation: Invitation) -> None:
    """Its body's editors answer an invitation; the refusal names the body."""
    check(
        actor,
        may_edit_body,
        invitation.organisation_id,
        message=_('Only an editor of %(organisation)s can change its return.')
        % {'organisation': invitation.organisation},
    )


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert database-ready rows without building model instances: the bulk paths of national campaigns."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ', '.join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == 'postgresql':
            # One COPY streams the rows, where executemany sends a statement a row (core/bulk.py's copy).
            with cursor.cursor.copy(f'COPY {table} ({names}) FROM STDIN') as stream:
                for row in rows:
                    stream.write_row(row)
            return
        sql = f'INSERT INTO {table} ({names}) VALUES ({", ".join(["%s"] * len(columns))})'
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])
