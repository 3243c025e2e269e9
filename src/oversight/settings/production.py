"""Production settings: everything secret or host-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get('OVERSIGHT_SECRET_KEY', '')
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured('OVERSIGHT_SECRET_KEY must be set to a random string of at least 50 characters.')
ALLOWED_HOSTS = [h for h in os.environ.get('OVERSIGHT_ALLOWED_HOSTS', '').split(',') if h]

SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = 'same-origin'
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = 'DENY'
EMAIL_BACKEND = os.environ.get('OVERSIGHT_EMAIL_BACKEND', 'django.core.mail.backends.smtp.EmailBackend')
