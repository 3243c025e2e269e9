"""Production settings: everything secret or host-specific comes from the environment (docs/security.md).

Oversight runs behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For.
Required: OVERSIGHT_SECRET_KEY (at least 50 random characters) and OVERSIGHT_ALLOWED_HOSTS (comma-separated
host names). `oversight check --deploy` is clean with these settings (tests/test_hardening.py).
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


SECRET_KEY = _required('OVERSIGHT_SECRET_KEY')
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured('OVERSIGHT_SECRET_KEY must be a random string of at least 50 characters.')
ALLOWED_HOSTS = [h.strip() for h in _required('OVERSIGHT_ALLOWED_HOSTS').split(',') if h.strip()]
OVERSIGHT_BASE_URL = os.environ.get('OVERSIGHT_BASE_URL', f'https://{ALLOWED_HOSTS[0]}').rstrip('/')

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

# Login throttling counts failures per username and client address. Behind the proxy every request comes
# from the proxy's address, so the client's is taken from X-Forwarded-For, trusting only the number of
# proxies in front of Oversight (OVERSIGHT_PROXY_COUNT, default 1): addresses a client wrote itself are
# further left and are never used.
PROXY_COUNT = int(os.environ.get('OVERSIGHT_PROXY_COUNT', '1'))
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
EMAIL_PORT = int(os.environ.get('OVERSIGHT_EMAIL_PORT', '587'))
EMAIL_HOST_USER = os.environ.get('OVERSIGHT_EMAIL_USER', '')
EMAIL_HOST_PASSWORD = os.environ.get('OVERSIGHT_EMAIL_PASSWORD', '')
EMAIL_USE_TLS = os.environ.get('OVERSIGHT_EMAIL_TLS', 'true').lower() != 'false'
DEFAULT_FROM_EMAIL = os.environ.get('OVERSIGHT_FROM_EMAIL', DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL
