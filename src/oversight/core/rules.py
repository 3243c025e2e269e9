"""Rules across tables, which a CHECK constraint cannot state, enforced by the database with triggers.

A form or an action checks the rule first and says what is wrong in the user's words; the trigger is the
backstop for every other way in (the admin, a shell, a bug), as CHECK and UNIQUE constraints are for
rules within one row. A violation is an IntegrityError, as for any constraint.

`condition` is SQL over the row being written (`NEW`) that both SQLite (3.39+) and PostgreSQL read the
same way: use IS DISTINCT FROM, not != or IS NOT, where a side may be NULL. A rule is checked on INSERT and
UPDATE unless it names its `events`: a rule on 'update' alone may read the row as it was (`OLD`) too, and
one on 'delete' (or on 'update' and 'delete': a row that may neither go nor leave where it is) reads `OLD` only.

SQLite drops a table's triggers when Django rebuilds the table in a migration (ALTER on SQLite), so
each rule has a test that writes a violating row: if a later migration drops a trigger, it fails.
"""

from django.db.migrations.operations.base import Operation

EVENTS = ('insert', 'update', 'delete')
WRITES = ('insert', 'update')


class EnforceRule(Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, name: str, table: str, columns: list[str], condition: str, message: str, events=WRITES):
        if not events or set(events) - set(EVENTS):
            raise ValueError(f'events are some of {EVENTS}, not {events}')
        self.name, self.table, self.columns = name, table, columns
        self.condition, self.message = condition, message
        self.events = tuple(event for event in EVENTS if event in events)

    def deconstruct(self):
        kwargs = {
            'name': self.name,
            'table': self.table,
            'columns': self.columns,
            'condition': self.condition,
            'message': self.message,
        }
        if self.events != WRITES:
            kwargs['events'] = list(self.events)
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        pass  # triggers are not part of Django's model state

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for statement in self._create(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in self._drop(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def describe(self):
        return f'Enforce rule {self.name} on {self.table}'

    @property
    def migration_name_fragment(self):
        return self.name

    def _create(self, vendor: str) -> list[str]:
        message = self.message.replace("'", "''")
        columns = ', '.join(self.columns)
        on = {'insert': 'INSERT', 'update': f'UPDATE OF {columns}', 'delete': 'DELETE'}
        if vendor == 'sqlite':
            raise_it = f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            return [
                f'CREATE TRIGGER {self.name}_{event} BEFORE {on[event]} ON {self.table} '
                f'FOR EACH ROW WHEN {self.condition} {raise_it}'
                for event in self.events
            ]
        if vendor == 'postgresql':
            # A BEFORE trigger returning NULL skips the row silently: a delete it lets through returns OLD.
            keep_deleted = "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; " if 'delete' in self.events else ''
            return [
                f'CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
                f'IF {self.condition} THEN '
                f"RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = '{message}'; "
                f'END IF; {keep_deleted}RETURN NEW; END $$',
                f'CREATE TRIGGER {self.name} BEFORE {" OR ".join(on[event] for event in self.events)} '
                f'ON {self.table} FOR EACH ROW EXECUTE FUNCTION {self.name}()',
            ]
        raise NotImplementedError(f'Oversight supports SQLite and PostgreSQL, not {vendor}.')

    def _drop(self, vendor: str) -> list[str]:
        if vendor == 'sqlite':
            return [f'DROP TRIGGER IF EXISTS {self.name}_{event}' for event in self.events]
        return [f'DROP TRIGGER IF EXISTS {self.name} ON {self.table}', f'DROP FUNCTION IF EXISTS {self.name}()']


class DropRule(Operation):
    """Drop a rule's triggers for the operations that follow, which `EnforceRule` with the same rule restores.

    SQLite refuses to rebuild a table (ALTER on SQLite) while another table's trigger reads it: a migration
    that rebuilds such a table drops those triggers first and enforces them again after.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, rule: EnforceRule):
        self.rule = rule

    def deconstruct(self):
        return self.__class__.__name__, [self.rule], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self.rule.database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.rule.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f'Drop rule {self.rule.name} on {self.rule.table}'
