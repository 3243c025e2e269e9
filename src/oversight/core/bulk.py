"""Inserting many rows at once (imports, stored pages): database-ready values, a few statements, the keys read
back where they are needed.

Django's `bulk_create` compiles every value through the SQL compiler and, on SQLite, sends at most
999 parameters a statement: for a register of 100,000 lines that was most of the commit's time.
"""

import contextlib
import gc

from django.db import connection, models

# Fields whose Python values are already what the database driver takes: read as they are, not
# through `get_db_prep_save` (a third of an import's commit went there).
_AS_THEY_ARE = models.CharField | models.TextField | models.IntegerField | models.BooleanField | models.FloatField


def _reader(field):
    if isinstance(field, models.ForeignKey | _AS_THEY_ARE):
        return lambda obj, name=field.attname: getattr(obj, name)
    return lambda obj, field=field: field.get_db_prep_save(getattr(obj, field.attname), connection)


def _max_parameters() -> int:
    if connection.vendor == 'sqlite':
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535  # PostgreSQL's bound on a statement's parameters


def _inserted(cursor, model, fields: list, items: list, values_of, returning: str = ''):
    """Insert `items` (each row's values `values_of(item)`) as many to a statement as the database takes,
    yielding each batch once its statement has run (for the keys it returns)."""
    quote = connection.ops.quote_name
    columns = ', '.join(quote(field.column) for field in fields)
    placeholders = '(' + ', '.join(['%s'] * len(fields)) + ')'
    per_statement = max(1, _max_parameters() // len(fields))
    for start in range(0, len(items), per_statement):
        batch = items[start : start + per_statement]
        cursor.execute(
            f'INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES '
            f'{", ".join([placeholders] * len(batch))}{returning}',
            [value for item in batch for value in values_of(item)],
        )
        yield batch


def insert(model, objects: list) -> None:
    """Insert unsaved `objects` of `model` and set each one's primary key, as `bulk_create` would."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    pk = model._meta.pk
    readers = [_reader(field) for field in fields]
    with connection.cursor() as wrapper:
        # The driver's own cursor: with DEBUG on, Django's would keep every statement with its thousands of
        # values written into it (hundreds of MB over a national register) and spend seconds formatting them.
        cursor = wrapper.cursor
        returning = f' RETURNING {connection.ops.quote_name(pk.column)}'
        for batch in _inserted(cursor, model, fields, objects, lambda obj: [read(obj) for read in readers], returning):
            for obj, (key,) in zip(batch, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, key)
                obj._state.adding, obj._state.db = False, connection.alias


def copy(model, objects: list) -> None:
    """Insert unsaved `objects` of `model` whose keys are not needed afterwards (they are not set).

    On PostgreSQL one COPY streams the rows: no statement text with a placeholder per value, which psycopg
    splits and fills in Python (for 20,000 scanned devices that took longer than the database's work).
    """
    if connection.vendor != 'postgresql':
        insert(model, objects)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    readers = [_reader(field) for field in fields]
    copy_values(model, [field.attname for field in fields], ([read(obj) for read in readers] for obj in objects))


def copy_values(model, names: list[str], rows) -> None:
    """Insert rows of database-ready values (ints, strings) of the fields `names` of `model` (a foreign key by
    its attname, `evaluation_id`), building no model instance: for rows made by the hundred thousand, their
    construction cost more than the writing. Keys are not read back."""
    fields = [model._meta.get_field(name) for name in names]
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's own, as in `insert`
        if connection.vendor == 'postgresql':
            quote = connection.ops.quote_name
            columns = ', '.join(quote(field.column) for field in fields)
            with cursor.copy(f'COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN') as stream:
                for row in rows:
                    stream.write_row(row)
            return
        for _batch in _inserted(cursor, model, fields, list(rows), lambda row: row):
            pass


@contextlib.contextmanager
def without_cycle_collection():
    """Python's cycle collector paused while an import reads and writes (a decorator or a `with`), then resumed.

    An import makes no reference cycles worth collecting, and the collector's full passes over what it
    holds until it is written (for a national returns file, hundreds of thousands of lists and dicts)
    took a tenth of its time. Objects are still freed as their last reference goes.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
