"""Settings for the test suite: fast hashing, in-memory email, no login lock-outs between tests."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']
EMAIL_BACKEND = 'django.core.mail.backends.locmem.EmailBackend'
AXES_ENABLED = False
# Tasks run as soon as their transaction commits, in the test's own process; the tests that need a real
# worker name the database backend for the processes they start on a database file. No heartbeat thread,
# which would write from outside the test's transaction.
IMMEDIATE = 'django_tasks.backends.immediate.ImmediateBackend'
TASKS = {'default': {'BACKEND': os.environ.get('OVERSIGHT_TASKS_BACKEND', IMMEDIATE)}}
OVERSIGHT_TASK_HEARTBEAT_SECONDS = float(os.environ.get('OVERSIGHT_TASK_HEARTBEAT_SECONDS', '0'))
# Second factors are required by role in every other environment; the suite's many signed-in clients
# (force_login) would otherwise all be sent to enrol. accounts/tests/test_second_factor.py turns it on.
OVERSIGHT_MFA_REQUIRED_ROLES: list[str] = []
# Uploaded files (evidence) are kept in memory: tests leave nothing on disk and never share files.
STORAGES = {
    'default': {'BACKEND': 'django.core.files.storage.InMemoryStorage'},
    'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'},
}
