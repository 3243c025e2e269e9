"""What every survey action shares: who may act, and bulk inserts."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext_lazy as _

from oversight.core.querysets import sees_everything

from ..models import Invitation

Status = Invitation.Status
# Rows per statement in bulk writes.
BATCH = 500


def require_regulator(actor) -> None:
    if actor is not None and not (actor.is_active and sees_everything(actor)):
        raise PermissionDenied(_('Only the regulator can do this.'))


def require_editor(actor, invitation: Invitation) -> None:
    if actor is not None and not actor.can_edit_for(invitation.organisation_id):
        raise PermissionDenied(
            _('Only an editor of %(organisation)s can change its return.') % {'organisation': invitation.organisation}
        )


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert database-ready rows without building model instances: the bulk paths of national campaigns."""
    quote = connection.ops.quote_name
    sql = (
        f'INSERT INTO {quote(model._meta.db_table)} ({", ".join(quote(c) for c in columns)}) '
        f'VALUES ({", ".join(["%s"] * len(columns))})'
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])
