"""Backups that are proved: back up, restore into a fresh database, and the restored service computes the same
findings and serves the same published PDFs; a backup of another schema version, or a database that is not
empty, is refused. Runs in the PostgreSQL run (the tools are PostgreSQL's own)."""

import json

import pytest
from deployment_fixtures import WORKER, admin, database_url, execute, oversight, process_env

pytestmark = pytest.mark.postgres
pytest_plugins = ['deployment_fixtures']

WORLD = 'from oversight.api.tests.world import build_world; build_world(published_report=True)'


@pytest.fixture(scope='module')
def source(migrated_template):
    """A database with two bodies' registers and returns, and a published findings report with its PDF."""
    name = f'backup_source_{WORKER}'
    admin(f'CREATE DATABASE {name} TEMPLATE {migrated_template}')
    env = process_env(database_url(name))
    built = oversight(env, 'shell', '-c', WORLD)
    assert built.returncode == 0, built.stderr[-3000:]
    yield env
    admin(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


def digest(env) -> dict:
    result = oversight(env, 'restore-drill', '--digest')
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_restore_drill_proves_a_backup_restores_the_same_service(source, tmp_path):
    drilled = oversight(source, 'restore-drill', '--backup-dir', str(tmp_path))
    assert drilled.returncode == 0, drilled.stdout + drilled.stderr[-3000:]
    assert 'Restore drill passed' in drilled.stdout and 'serves the same 1 published PDFs' in drilled.stdout
    assert [path.suffix for path in tmp_path.iterdir()] == ['.dump']  # kept where asked


def test_a_backup_restores_into_an_empty_database_and_nowhere_else(source, fresh_database, tmp_path):
    dump = tmp_path / 'oversight.dump'
    made = oversight(source, 'backup', str(dump))
    assert made.returncode == 0, made.stderr[-3000:]
    # Into a database that already holds Oversight: refused, and nothing is changed.
    occupied = process_env(fresh_database('backup_occupied'))
    refused = oversight(occupied, 'restore', str(dump))
    assert refused.returncode != 0 and 'is not empty: restore into a new, empty database' in refused.stderr
    # Into a new, empty one: the same findings, and every published PDF served byte for byte.
    target = process_env(fresh_database('backup_target', empty=True))
    restored = oversight(target, 'restore', str(dump))
    assert restored.returncode == 0, restored.stderr[-3000:]
    before, after = digest(source), digest(target)
    assert before == after
    assert before['findings'] and [pdf['status'] for pdf in after['published_pdfs'].values()] == [200]


@pytest.mark.parametrize(
    ('change', 'message'),
    [
        (
            "DELETE FROM django_migrations WHERE app = 'jobs' AND name = (SELECT max(name) FROM django_migrations "
            "WHERE app = 'jobs')",
            'it lacks jobs.',
        ),
        (
            'INSERT INTO django_migrations (app, name, applied) '
            "VALUES ('findings', '9999_from_a_later_release', now())",
            'it has findings.9999_from_a_later_release, which this release does not know, so a later release made it',
        ),
    ],
)
def test_a_backup_of_another_schema_version_is_refused(fresh_database, tmp_path, change, message):
    other = fresh_database('backup_other_schema')
    execute(other, change)
    dump = tmp_path / 'other.dump'
    assert oversight(process_env(other), 'backup', str(dump)).returncode == 0
    target = process_env(fresh_database('backup_refused', empty=True))
    refused = oversight(target, 'restore', str(dump))
    assert refused.returncode != 0
    assert 'This backup’s schema version differs from this release’s' in refused.stderr and message in refused.stderr
    assert 'Nothing was restored' in refused.stderr
    assert oversight(target, 'restore-drill', '--digest').returncode != 0  # still empty: no tables at all
