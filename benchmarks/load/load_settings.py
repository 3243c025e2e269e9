"""The production settings, minus TLS: the benchmark speaks plain HTTP to gunicorn on loopback.

Everything else (password hashing, sessions in the database, the middleware, DEBUG off) is as in
production, so the numbers are production's. Cookies cannot be `Secure` or `__Host-` over HTTP.
"""

from oversight.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = 'oversight-session'
CSRF_COOKIE_NAME = 'oversight-csrf'
LOGGING = {'version': 1, 'disable_existing_loggers': False, 'root': {'handlers': [], 'level': 'ERROR'}}
