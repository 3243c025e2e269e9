"""Settings for the test suite: fast hashing, in-memory email, no login lock-outs between tests."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']
EMAIL_BACKEND = 'django.core.mail.backends.locmem.EmailBackend'
AXES_ENABLED = False
