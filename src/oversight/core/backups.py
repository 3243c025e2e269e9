"""Backups of the PostgreSQL database (`pg_dump -Fc`), restores (`pg_restore`), and the drill that proves them.

Everything Oversight keeps is in the database: registers, returns, uploaded files, scans, published
reports and their PDFs, sessions and the audit trail. A backup is one custom-format dump; a restore goes
into a new, empty database and only if the dump's schema is exactly this release's (its recorded
migrations), so a restore never leaves a database that the running code misreads.

The drill (`oversight restore-drill`) backs up the configured database, restores it into a fresh
database beside it, and has a new process on each compute every campaign's findings and serve every
published report's PDF: the two must be identical.
"""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.module_loading import import_string


class BackupError(Exception):
    """Refused or failed: the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """One PostgreSQL database, as the client programs take it (in the environment: no password in `ps`)."""

    name: str
    env: dict

    @classmethod
    def from_url(cls, url: str) -> 'Target':
        config = dj_database_url.parse(url)
        if config['ENGINE'] != 'django.db.backends.postgresql':
            raise BackupError(
                'Backups and restores are made with PostgreSQL’s tools: DATABASE_URL must name PostgreSQL.'
            )
        options = config.get('OPTIONS', {})
        env = {'PGDATABASE': config['NAME']}
        for variable, key in (('PGHOST', 'HOST'), ('PGPORT', 'PORT'), ('PGUSER', 'USER'), ('PGPASSWORD', 'PASSWORD')):
            # A unix socket's directory comes as ?host=… in the address.
            if value := config.get(key) or options.get(key.lower()):
                env[variable] = str(value)
        if sslmode := options.get('sslmode'):
            env['PGSSLMODE'] = sslmode
        return cls(config['NAME'], env)

    @classmethod
    def configured(cls) -> 'Target':
        url = os.environ.get('DATABASE_URL', '')
        if not url:
            raise BackupError('DATABASE_URL must name the PostgreSQL database to back up or restore into.')
        return cls.from_url(url)

    def run(self, *command: str, stdin=None) -> subprocess.CompletedProcess:
        program = shutil.which(command[0])
        if program is None:
            raise BackupError(f'{command[0]} was not found: install PostgreSQL’s client programs (postgresql-client).')
        env = {**os.environ, **self.env}
        result = subprocess.run([program, *command[1:]], env=env, capture_output=True, stdin=stdin)
        if result.returncode:
            raise BackupError(f'{command[0]} failed: {result.stderr.decode(errors="replace").strip()}')
        return result


def backup(path: Path, target: Target | None = None) -> Path:
    """A custom-format dump (compressed; `pg_restore` can restore it table by table)."""
    target = target or Target.configured()
    target.run('pg_dump', '--format=custom', '--no-owner', '--no-privileges', f'--file={path}')
    return path


# The schema a dump carries, and this release's


def release_migrations() -> set[tuple[str, str]]:
    """Every migration this release ships (those a fully migrated database has recorded)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    recorded = set(loader.disk_migrations)
    # A squashed migration records the ones it replaces too.
    for key, migration in loader.disk_migrations.items():
        if migration.replaces:
            recorded |= set(migration.replaces)
            recorded.add(key)
    return recorded


def dump_migrations(path: Path, target: Target) -> set[tuple[str, str]]:
    """The migrations recorded in a dump's django_migrations table, read without restoring it."""
    listing = target.run('pg_restore', '--data-only', '--table=django_migrations', '--file=-', str(path))
    rows, copying = set(), False
    for line in listing.stdout.decode().splitlines():
        if line.startswith('COPY ') and 'django_migrations' in line:
            copying = True
        elif copying and line == '\\.':
            break
        elif copying:
            _id, app, name, _applied = line.split('\t')
            rows.add((app, name))
    if not rows:
        raise BackupError(f'{path} holds no record of Oversight’s migrations: it is not a backup of Oversight.')
    return rows


def _named(migrations: set[tuple[str, str]], most: int = 5) -> str:
    names = [f'{app}.{name}' for app, name in sorted(migrations)]
    return ', '.join(names[:most]) + (f' and {len(names) - most} more' if len(names) > most else '')


def check_schema(path: Path, target: Target) -> None:
    """Refuse a dump whose schema is not this release's, saying which release can restore it."""
    ours = release_migrations()
    theirs = dump_migrations(path, target)
    older, newer = ours - theirs, theirs - ours
    if not (older or newer):
        return
    problems = []
    if older:
        problems.append(f'it lacks {_named(older)}, so an earlier release made it')
    if newer:
        problems.append(f'it has {_named(newer)}, which this release does not know, so a later release made it')
    raise BackupError(
        f'This backup’s schema version differs from this release’s: {"; ".join(problems)}. Nothing was restored. '
        'Restore it with the release that made it (then upgrade as usual: the new release’s `oversight migrate`).'
    )


def is_empty(target: Target) -> bool:
    listing = target.run('psql', '--no-psqlrc', '--tuples-only', '--no-align', '--command', _TABLES_SQL)
    return listing.stdout.decode().strip() == '0'


_TABLES_SQL = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"


def restore(path: Path, target: Target | None = None) -> None:
    """Restore a dump into an empty database, all or nothing, after checking its schema version."""
    target = target or Target.configured()
    if not Path(path).is_file():
        raise BackupError(f'{path} is not a file.')
    check_schema(path, target)
    if not is_empty(target):
        raise BackupError(
            f'The database {target.name} is not empty: restore into a new, empty database (createdb), then point '
            'DATABASE_URL at it. Nothing was restored.'
        )
    target.run(
        'pg_restore', '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction',
        f'--dbname={target.name}', str(path),
    )  # fmt: skip


# The drill


def service_digest() -> dict:
    """What a restored service must reproduce, gathered from the apps that say (`restore_digest` on their
    AppConfig: findings gives every campaign's figures and the bytes of every published PDF)."""
    digest = {}
    for config in apps.get_app_configs():
        if path := getattr(config, 'restore_digest', ''):
            digest |= import_string(path)()
    return digest


def _digest_in_new_process(database_url: str) -> dict:
    env = {**os.environ, 'DATABASE_URL': database_url}
    command = [sys.executable, '-m', 'oversight.manage', 'restore-drill', '--digest']
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    if result.returncode:
        raise BackupError(f'Computing the service’s findings failed:\n{result.stderr[-3000:]}')
    return json.loads(result.stdout)


def _admin(target: Target, sql: str) -> None:
    maintenance = Target(target.name, {**target.env, 'PGDATABASE': 'postgres'})
    maintenance.run('psql', '--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', '--command', sql)


@dataclass
class DrillReport:
    backup: Path
    backup_bytes: int
    campaigns: int
    published_pdfs: int
    differences: list[str]


def drill(workdir: Path, keep: bool = False) -> DrillReport:
    source_url = os.environ.get('DATABASE_URL', '')
    source = Target.configured()
    scratch = f'{source.name}_restore_drill_{os.getpid()}'
    scratch_url = _with_database(source_url, scratch)
    scratch_target = Target.from_url(scratch_url)
    dump = backup(workdir / f'{source.name}.dump', source)
    connection.close()
    _admin(source, f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin(source, f'CREATE DATABASE "{scratch}" TEMPLATE template0')
    try:
        restore(dump, scratch_target)
        before = _digest_in_new_process(source_url)
        after = _digest_in_new_process(scratch_url)
    finally:
        if not keep:
            _admin(source, f'DROP DATABASE IF EXISTS "{scratch}"')
    differences = []
    for part in ('findings', 'published_pdfs'):
        for key in sorted(set(before[part]) | set(after[part])):
            if before[part].get(key) != after[part].get(key):
                differences.append(f'{part}: {key}')
    return DrillReport(dump, dump.stat().st_size, len(before['findings']), len(before['published_pdfs']), differences)


def _with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f'/{name}'))
