"""Production settings: everything secret or host-specific comes from the environment (docs/security.md).

Oversight runs behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For.
Required: OVERSIGHT_SECRET_KEY (at least 50 random characters), OVERSIGHT_ALLOWED_HOSTS (comma-separated
host names) and DATABASE_URL (PostgreSQL; SQLite only with OVERSIGHT_SINGLE_NODE=1). A missing or bad
setting stops start-up with a message naming it. Every setting is listed in docs/operations.md;
`oversight check --deploy` is clean with these settings (tests/test_hardening.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False


def _required(name: str) -> str:
    value = os.environ.get(name, '').strip()
    if not value:
        raise ImproperlyConfigured(f'{name} must be set in the environment (docs/security.md).')
    return value


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, '').strip().lower()
    if not value:
        return default
    if value in ('1', 'true', 'yes', 'on'):
        return True
    if value in ('0', 'false', 'no', 'off'):
        return False
    raise ImproperlyConfigured(f'{name} must be true or false (1 or 0), not {value!r}.')


SECRET_KEY = _required('OVERSIGHT_SECRET_KEY')
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured('OVERSIGHT_SECRET_KEY must be a random string of at least 50 characters.')
ALLOWED_HOSTS = [h.strip() for h in _required('OVERSIGHT_ALLOWED_HOSTS').split(',') if h.strip()]
OVERSIGHT_BASE_URL = (os.environ.get('OVERSIGHT_BASE_URL', '').strip() or f'https://{ALLOWED_HOSTS[0]}').rstrip('/')
if not OVERSIGHT_BASE_URL.startswith(('https://', 'http://')):
    raise ImproperlyConfigured(f'OVERSIGHT_BASE_URL must be an address starting https://, not {OVERSIGHT_BASE_URL!r}.')
ACCOUNT_DEFAULT_HTTP_PROTOCOL = OVERSIGHT_BASE_URL.split(':', 1)[0]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

# SQLite has one writer: two nodes (or a node and a worker under load) on one file lose writes to "database
# is locked". Production runs on PostgreSQL unless the operator says this is one machine on purpose.
SINGLE_NODE = _flag('OVERSIGHT_SINGLE_NODE', False)
if DATABASES['default']['ENGINE'] == 'django.db.backends.sqlite3' and not SINGLE_NODE:  # noqa: F405
    raise ImproperlyConfigured(
        'DATABASE_URL must name a PostgreSQL database in production (it is unset or names SQLite). '
        'To run a single node on SQLite on purpose, set OVERSIGHT_SINGLE_NODE=1.'
    )
# Database time per query for Prometheus: the same backends, wrapped by django-prometheus. (New objects,
# not changes to base's: a process that imports both, as a test does, keeps its own settings.)
_database = DATABASES['default']  # noqa: F405
DATABASES = {
    'default': {
        **_database,
        'ENGINE': _database['ENGINE'].replace('django.db.backends.', 'django_prometheus.db.backends.'),
    }
}

# Static files: WhiteNoise serves what `collectstatic` gathered, each name carrying a hash of its content
# (so it is cached for a year and a new release never meets a stale copy), with gzip and Brotli copies.
_security = MIDDLEWARE.index('django.middleware.security.SecurityMiddleware') + 1  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE[:_security], 'whitenoise.middleware.WhiteNoiseMiddleware', *MIDDLEWARE[_security:]]  # noqa: F405
STORAGES = {
    'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'},
    'staticfiles': {'BACKEND': 'oversight.core.staticfiles.StaticFilesStorage'},
}
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60  # only unhashed names (none are linked) fall back to this

LOGGING = logging_config('json', os.environ.get('OVERSIGHT_LOG_LEVEL', 'INFO').upper())  # noqa: F405
if LOGGING['root']['level'] not in ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'):
    raise ImproperlyConfigured(
        f'OVERSIGHT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {LOGGING["root"]["level"]!r}.'
    )

# HTTPS only: the proxy says which requests came in over TLS; everything else is redirected to it.
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = 'same-origin'
SECURE_CROSS_ORIGIN_OPENER_POLICY = 'same-origin'
X_FRAME_OPTIONS = 'DENY'

# Cookies: sent only over HTTPS, never readable by scripts, and (with the __Host- prefix) bound to this
# exact host, so a sibling subdomain cannot set or overwrite them.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = 'Lax'
SESSION_COOKIE_NAME = '__Host-oversight-session'
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day: sign in again the next morning
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = 'Lax'
CSRF_COOKIE_NAME = '__Host-oversight-csrf'
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_NAME = '__Host-oversight-language'

# Login throttling counts failures per username and client address. Behind the proxy every request comes
# from the proxy's address, so the client's is taken from X-Forwarded-For, trusting only the number of
# proxies in front of Oversight (OVERSIGHT_PROXY_COUNT, default 1): addresses a client wrote itself are
# further left and are never used.
PROXY_COUNT = number_setting('OVERSIGHT_PROXY_COUNT', 1)  # noqa: F405
# The API's throttles (core/throttling.py) take the client's address the same way.
REST_FRAMEWORK = {**REST_FRAMEWORK, 'NUM_PROXIES': PROXY_COUNT}  # noqa: F405


def client_address(request) -> str | None:
    """The address the nearest trusted proxy saw the client at."""
    forwarded = [a.strip() for a in request.META.get('HTTP_X_FORWARDED_FOR', '').split(',') if a.strip()]
    if PROXY_COUNT and len(forwarded) >= PROXY_COUNT:
        return forwarded[-PROXY_COUNT]
    return request.META.get('REMOTE_ADDR')


AXES_CLIENT_IP_CALLABLE = client_address

EMAIL_BACKEND = os.environ.get('OVERSIGHT_EMAIL_BACKEND', 'django.core.mail.backends.smtp.EmailBackend')
EMAIL_HOST = os.environ.get('OVERSIGHT_EMAIL_HOST', 'localhost')
EMAIL_PORT = number_setting('OVERSIGHT_EMAIL_PORT', 587)  # noqa: F405
EMAIL_HOST_USER = os.environ.get('OVERSIGHT_EMAIL_USER', '')
EMAIL_HOST_PASSWORD = os.environ.get('OVERSIGHT_EMAIL_PASSWORD', '')
EMAIL_USE_TLS = _flag('OVERSIGHT_EMAIL_TLS', True)
DEFAULT_FROM_EMAIL = os.environ.get('OVERSIGHT_FROM_EMAIL', DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Error reports to Sentry (or a compatible service) only when a DSN is given; the SDK is an optional extra.
if SENTRY_DSN := os.environ.get('SENTRY_DSN', '').strip():
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            'SENTRY_DSN is set but the Sentry SDK is not installed: install Oversight with oversight[sentry].'
        ) from None
    from oversight.core.logs import current_request_id

    def _with_request_id(event, hint):
        if request_id := current_request_id():
            event.setdefault('tags', {})['request_id'] = request_id
        return event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        before_send=_with_request_id,
        environment=os.environ.get('SENTRY_ENVIRONMENT', 'production'),
        traces_sample_rate=number_setting('SENTRY_TRACES_SAMPLE_RATE', 0.0),  # noqa: F405
        send_default_pii=False,  # no names, addresses or cookies of the people using the service
    )
