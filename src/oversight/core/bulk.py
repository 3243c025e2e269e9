"""Inserting many rows at once (imports): database-ready values, a few statements, the keys read back.

Django's `bulk_create` compiles every value through the SQL compiler and, on SQLite, sends at most
999 parameters a statement: for a register of 100,000 lines that was most of the commit's time.
"""

from django.db import connection


def _max_parameters() -> int:
    if connection.vendor == 'sqlite':
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535  # PostgreSQL's bound on a statement's parameters


def insert(model, objects: list) -> None:
    """Insert unsaved `objects` of `model` and set each one's primary key, as `bulk_create` would."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ', '.join(quote(field.column) for field in fields)
    placeholders = '(' + ', '.join(['%s'] * len(fields)) + ')'
    per_statement = max(1, _max_parameters() // len(fields))
    pk = model._meta.pk
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_statement):
            batch = objects[start : start + per_statement]
            params = [
                field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in batch for field in fields
            ]
            cursor.execute(
                f'INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES '
                f'{", ".join([placeholders] * len(batch))} RETURNING {quote(pk.column)}',
                params,
            )
            for obj, (key,) in zip(batch, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, key)
                obj._state.adding, obj._state.db = False, connection.alias
