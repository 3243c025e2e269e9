"""A real `oversight worker` process on an SQLite file, as the demo and a small deployment run it."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

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


@pytest.fixture
def env(tmp_path):
    return {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.test',
        'DATABASE_URL': f'sqlite:///{tmp_path / "oversight.sqlite3"}',
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


def query(env, sql: str, *params):
    with sqlite3.connect(env['DATABASE_URL'].removeprefix('sqlite:///')) as database:
        return database.execute(sql, params).fetchone()


def writing(env) -> bool:
    """Whether another process holds SQLite's write lock: the import's transaction is open."""
    database = sqlite3.connect(env['DATABASE_URL'].removeprefix('sqlite:///'), timeout=0, isolation_level=None)
    try:
        database.execute('BEGIN IMMEDIATE')
        database.execute('ROLLBACK')
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        database.close()


def test_a_worker_killed_midway_leaves_nothing_and_the_task_runs_again(env):
    oversight(env, 'migrate', '-v0')
    made = json.loads(oversight(env, 'shell', '-c', SETUP.replace('ROWS', '20000')).stdout.splitlines()[-1])
    job, organisation = made['job'], made['organisation']
    sites = 'SELECT count(*) FROM register_site WHERE organisation_id = ?'
    assert query(env, 'SELECT status FROM jobs_job WHERE id = ?', job) == ('queued',)

    worker = subprocess.Popen(
        [sys.executable, '-m', 'oversight.manage', 'worker', '--no-reload', '--no-startup-delay', '--interval', '0.1'],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, held = time.monotonic() + 120, 0
        # Killed while it writes: the lock held at three probes in a row is the import's transaction, not a
        # heartbeat's one-row update.
        while held < 3:
            assert time.monotonic() < deadline and worker.poll() is None, 'the worker never wrote'
            held = held + 1 if writing(env) else 0
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    # Nothing of the import was kept; the task is still "running" until its silence shows it stopped.
    assert query(env, 'SELECT status FROM jobs_job WHERE id = ?', job) == ('running',)
    assert query(env, sites, organisation) == (0,)
    assert query(env, 'SELECT status FROM register_importbatch') == ('pending',)
    time.sleep(1.2)
    oversight(env, 'shell', '-c', RETRY.replace('JOB', str(job)))
    oversight(env, 'worker', '--batch', '--no-reload', '--no-startup-delay')
    assert query(env, 'SELECT status, attempt FROM jobs_job WHERE id = ?', job) == ('done', 2)
    assert query(env, sites, organisation) == (20000,)
    assert query(env, 'SELECT status FROM register_importbatch') == ('committed',)
