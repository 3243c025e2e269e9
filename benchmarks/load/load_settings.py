"""The production settings, minus TLS: the benchmark speaks plain HTTP to gunicorn on loopback.

Everything else (password hashing, sessions in the database, the middleware, DEBUG off) is as in
production, so the numbers are production's. Cookies cannot be `Secure` or `__Host-` over HTTP.
The page benchmark may run one node on SQLite on purpose; static files are not collected, so their
names are not hashed (the pages measured are Oversight's, not WhiteNoise's).
"""

import os

os.environ.setdefault('OVERSIGHT_SINGLE_NODE', '1')

from oversight.settings.production import *  # noqa: F403

STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}  # noqa: F405

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = 'oversight-session'
CSRF_COOKIE_NAME = 'oversight-csrf'
LOGGING = {'version': 1, 'disable_existing_loggers': False, 'root': {'handlers': [], 'level': 'ERROR'}}
# The benchmark's people sign in with a password alone: it measures the pages, not enrolling a second factor.
OVERSIGHT_MFA_REQUIRED_ROLES: list[str] = []
