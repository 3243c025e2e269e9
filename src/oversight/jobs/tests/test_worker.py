"""A real `oversight worker` process, on an SQLite file (the demo, a small deployment) and, in the --postgres
run, on a PostgreSQL database of its own (a deployment with workers on several machines)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest

SETUP = """
import json
from django.db import transaction
from oversight.accounts.models import User
from oversight.jobs.actions import queue_register_import
from oversight.organisations.models import Organisation
from oversight.register.actions import upload_import
kent = Organisation.objects.get(name='Kent Police')
editor = User.objects.create_user(username='editor', password='x', organisation=kent, role=User.Role.EDITOR)
rows = ''.join(f'Depot {n},{n} Dock Road,,other,no\\n' for n in range(ROWS))
csv = ('name,address,postcode,kind,sensitive\\n' + rows).encode()
with transaction.atomic():
    job = queue_register_import(editor, upload_import(editor, kent, 'sites', 'depots.csv', csv))
print(json.dumps({'job': job.pk, 'organisation': kent.pk}))
"""

RETRY = """
from oversight.jobs.actions import retry_job
from oversight.jobs.models import Job
retry_job(None, Job.objects.get(pk=JOB))
"""


class SQLiteFile:
    """A database file of the test's own, as the demo and a small deployment use."""

    def __init__(self, tmp_path):
        self.path = tmp_path / 'oversight.sqlite3'
        self.url = f'sqlite:///{self.path}'

    def query(self, sql: str, *params):
        with sqlite3.connect(self.path) as database:
            return database.execute(sql, params).fetchone()

    def writing(self) -> bool:
        """Whether another process holds SQLite's write lock."""
        database = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            database.execute('BEGIN IMMEDIATE')
            database.execute('ROLLBACK')
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            database.close()

    def drop(self) -> None:
        pass


class PostgreSQLDatabase:
    """A database of the test's own on the --postgres run's throwaway server, as a deployment with many
    workers uses: each process has its own connection and the server rolls back a dead one's transaction."""

    def __init__(self):
        import psycopg

        self.psycopg = psycopg
        server = psycopg.conninfo.conninfo_to_dict(os.environ['DATABASE_URL'])
        self.name = f'oversight_worker_{uuid.uuid4().hex[:8]}'
        self.admin = {**server, 'dbname': 'postgres'}
        self.conninfo = {**server, 'dbname': self.name}
        with psycopg.connect(**self.admin, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE {self.name}')
        self.url = f'postgresql://{server["user"]}@/{self.name}?host={quote(server["host"], safe="")}'

    def query(self, sql: str, *params):
        with self.psycopg.connect(**self.conninfo) as database:
            return database.execute(sql.replace('?', '%s'), params).fetchone()

    def writing(self) -> bool:
        """Whether another session's open transaction has inserted sites (it holds the table's write lock)."""
        locks = (
            'SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = pg_locks.relation '
            "WHERE pg_class.relname = 'register_site' AND pg_locks.mode = 'RowExclusiveLock' "
            'AND pg_locks.pid <> pg_backend_pid()'
        )
        return self.query(locks)[0] > 0

    def drop(self) -> None:
        with self.psycopg.connect(**self.admin, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS {self.name} WITH (FORCE)')


@pytest.fixture(params=['sqlite', pytest.param('postgresql', marks=pytest.mark.postgres)])
def database(request, tmp_path):
    made = SQLiteFile(tmp_path) if request.param == 'sqlite' else PostgreSQLDatabase()
    yield made
    made.drop()


@pytest.fixture
def env(database):
    return {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.test',
        'DATABASE_URL': database.url,
        'OVERSIGHT_TASKS_BACKEND': 'django_tasks_db.DatabaseBackend',
        'OVERSIGHT_TASK_HEARTBEAT_SECONDS': '0.2',
        'OVERSIGHT_TASK_STALE_SECONDS': '1',
    }


def oversight(env, *args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, '-m', 'oversight.manage', *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_a_worker_killed_midway_leaves_nothing_and_the_task_runs_again(env, database):
    oversight(env, 'migrate', '-v0')
    made = json.loads(oversight(env, 'shell', '-c', SETUP.replace('ROWS', '20000')).stdout.splitlines()[-1])
    job, organisation = made['job'], made['organisation']
    sites = 'SELECT count(*) FROM register_site WHERE organisation_id = ?'
    assert database.query('SELECT status FROM jobs_job WHERE id = ?', job) == ('queued',)

    worker = subprocess.Popen(
        [sys.executable, '-m', 'oversight.manage', 'worker', '--no-reload', '--no-startup-delay', '--interval', '0.1'],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, held = time.monotonic() + 120, 0
        # Killed while it writes: the lock held at three probes in a row is the import's transaction, not a
        # heartbeat's one-row update (on PostgreSQL, a transaction that has inserted sites and not committed).
        while held < 3:
            assert time.monotonic() < deadline and worker.poll() is None, 'the worker never wrote'
            held = held + 1 if database.writing() else 0
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    # Nothing of the import was kept; the task is still "running" until its silence shows it stopped.
    assert database.query('SELECT status FROM jobs_job WHERE id = ?', job) == ('running',)
    assert database.query(sites, organisation) == (0,)
    assert database.query('SELECT status FROM register_importbatch') == ('pending',)
    time.sleep(1.2)
    oversight(env, 'shell', '-c', RETRY.replace('JOB', str(job)))
    oversight(env, 'worker', '--batch', '--no-reload', '--no-startup-delay')
    assert database.query('SELECT status, attempt FROM jobs_job WHERE id = ?', job) == ('done', 2)
    assert database.query(sites, organisation) == (20000,)
    assert database.query('SELECT status FROM register_importbatch') == ('committed',)
