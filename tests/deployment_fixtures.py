"""For tests that run Oversight's own processes (web nodes, workers, commands) as a deployment does: the
collected static files, and fresh PostgreSQL databases on the `--postgres` run's throwaway server, used
outside the test's transaction.

One database per run (per xdist worker) is migrated by `oversight migrate`; each test copies it
(CREATE DATABASE … TEMPLATE), which takes a moment where migrating takes twenty seconds.
"""

import os
import pathlib
import secrets
import subprocess
import sys
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
import pytest

BIN = pathlib.Path(sys.executable).parent
WORKER = os.environ.get('PYTEST_XDIST_WORKER', 'main')  # each xdist worker has its own databases


def database_url(name: str) -> str:
    """The run's server and role, another database."""
    return urlunsplit(urlsplit(os.environ['DATABASE_URL'])._replace(path=f'/{name}'))


def execute(url: str, sql: str) -> list[tuple]:
    """Run one statement in the database `url` names (outside any test transaction); the rows it returns."""
    parts = urlsplit(url)
    host = unquote(dict(p.split('=', 1) for p in parts.query.split('&') if '=' in p).get('host', '')) or parts.hostname
    name = parts.path.lstrip('/')
    with psycopg.connect(host=host, port=parts.port, user=parts.username, dbname=name, autocommit=True) as c:
        cursor = c.execute(sql)
        return cursor.fetchall() if cursor.description else []


def admin(sql: str) -> None:
    execute(database_url('postgres'), sql)


def process_env(url: str, **extra) -> dict:
    env = {**os.environ, 'DATABASE_URL': url, 'DJANGO_SETTINGS_MODULE': 'oversight.settings.test', **extra}
    env.pop('DJANGO_ALLOW_ASYNC_UNSAFE', None)
    return env


def oversight(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / 'oversight', *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope='session')
def static_root(tmp_path_factory) -> pathlib.Path:
    """The static files as the image holds them: collected once by the production storage (hashed, compressed)."""
    root = tmp_path_factory.mktemp('static')
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.production',
        'OVERSIGHT_SECRET_KEY': secrets.token_urlsafe(64),
        'OVERSIGHT_ALLOWED_HOSTS': 'oversight.example.org',
        'OVERSIGHT_SINGLE_NODE': '1',
        'DATABASE_URL': f'sqlite:///{root / "unused.sqlite3"}',  # collectstatic opens no database
        'OVERSIGHT_STATIC_ROOT': str(root),
        'OVERSIGHT_LOG_LEVEL': 'WARNING',
    }
    collected = oversight(env, 'collectstatic', '--noinput', '-v0')
    assert collected.returncode == 0, collected.stderr[-3000:]
    return root


@pytest.fixture(scope='session')
def migrated_template():
    name = f'oversight_migrated_{WORKER}'
    admin(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
    admin(f'CREATE DATABASE {name}')
    migrated = oversight(process_env(database_url(name)), 'migrate', '-v0')
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    yield name
    admin(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


@pytest.fixture
def fresh_database(migrated_template):
    """fresh_database('name') -> the address of a new, migrated database; fresh_database('name', empty=True)
    -> of a new, empty one. Dropped after the test."""
    made = []

    def make(name: str, *, empty: bool = False) -> str:
        name = f'{name}_{WORKER}'
        admin(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin(f'CREATE DATABASE {name} TEMPLATE {"template0" if empty else migrated_template}')
        made.append(name)
        return database_url(name)

    yield make
    for name in made:
        admin(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
