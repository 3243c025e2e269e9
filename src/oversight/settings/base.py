"""Settings shared by every environment. Environment modules override what differs."""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Databases, uploads and published reports live under var/ in the working directory, so every
# command can run against a database of the caller's choosing.
VAR_DIR = Path(os.environ.get('OVERSIGHT_VAR_DIR', Path.cwd() / 'var'))

SECRET_KEY = os.environ.get('OVERSIGHT_SECRET_KEY', 'insecure-development-key-change-me')
DEBUG = False
ALLOWED_HOSTS: list[str] = ['127.0.0.1', 'localhost', '[::1]']

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
    'django.contrib.humanize',
    'django_htmx',
    'django_tables2',
    'django_filters',
    'rest_framework',
    'drf_spectacular',
    'axes',
    'django_tasks',
    'django_tasks_db',
    'oversight.core',
    'oversight.accounts',
    'oversight.organisations',
    'oversight.vendors',
    'oversight.register',
    'oversight.identification',
    'oversight.surveys',
    'oversight.findings',
    'oversight.policy',
    'oversight.discovery',
    'oversight.jobs',
    'oversight.api',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
    'django_htmx.middleware.HtmxMiddleware',
    'oversight.core.middleware.ContentSecurityPolicyMiddleware',
    'oversight.core.middleware.DatabaseBusyMiddleware',
    'axes.middleware.AxesMiddleware',
]

AUTHENTICATION_BACKENDS = [
    'axes.backends.AxesStandaloneBackend',
    'django.contrib.auth.backends.ModelBackend',
]

ROOT_URLCONF = 'oversight.urls'
WSGI_APPLICATION = 'oversight.wsgi.application'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
                'oversight.core.context_processors.navigation',
                'oversight.core.context_processors.service',
            ],
        },
    },
]

DATABASES = {
    'default': dj_database_url.config(
        default=f'sqlite:///{VAR_DIR / "oversight.sqlite3"}',
        conn_max_age=int(os.environ.get('OVERSIGHT_CONN_MAX_AGE', '0')),
    )
}
if DATABASES['default']['ENGINE'] == 'django.db.backends.sqlite3':
    if 'DATABASE_URL' not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web server and a command share the embedded database. Transactions
    # take the write lock when they begin: one that began reading and then wrote would fail at once with
    # "database is locked" when another wrote meanwhile, where waiting its turn lets it see the change and
    # be refused as stale (409), as on PostgreSQL.
    DATABASES['default'].setdefault('OPTIONS', {}).update(
        {
            'timeout': 20,
            'transaction_mode': 'IMMEDIATE',
            'init_command': 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;',
        }
    )

DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
AUTH_USER_MODEL = 'accounts.User'
LOGIN_URL = 'accounts:login'
LOGIN_REDIRECT_URL = 'core:home'
LOGOUT_REDIRECT_URL = 'accounts:login'

AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},
    {'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'},
]

LANGUAGE_CODE = 'en-gb'
TIME_ZONE = 'Europe/London'
USE_I18N = True
USE_TZ = True

STATIC_URL = '/static/'
STATIC_ROOT = VAR_DIR / 'static'
MEDIA_ROOT = VAR_DIR / 'media'

# Uploads are bounded: a national body's register (a few hundred thousand lines) fits; anything larger is
# refused, not parsed. Files are read as streams; an upload over 5 MB waits on disk, not in memory.
OVERSIGHT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = OVERSIGHT_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

DJANGO_TABLES2_TEMPLATE = 'core/table.html'
DJANGO_TABLES2_TABLE_ATTRS = {'class': 'govuk-table'}

EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'
# The address people reach the service at, for links in emails (invitations, reminders).
OVERSIGHT_BASE_URL = os.environ.get('OVERSIGHT_BASE_URL', 'http://127.0.0.1:8000')
CSRF_FAILURE_VIEW = 'oversight.core.views.csrf_failure'
# Who runs this service: named in the footer, the accessibility statement, the privacy notice and the
# contact page. A deployment sets its own; the defaults say plainly that they are placeholders.
OVERSIGHT_OPERATOR = {
    'name': os.environ.get('OVERSIGHT_OPERATOR_NAME', 'The organisation running this Oversight service'),
    'email': os.environ.get('OVERSIGHT_CONTACT_EMAIL', 'oversight@example.org'),
    'phase': os.environ.get('OVERSIGHT_PHASE', 'Beta'),
    # When the statement was last reviewed (the date the suite last checked every page is each build's).
    'statement_reviewed': os.environ.get('OVERSIGHT_STATEMENT_REVIEWED', '4 December 2026'),
}
DEFAULT_FROM_EMAIL = 'Oversight <oversight@localhost>'

REST_FRAMEWORK = {
    'DEFAULT_AUTHENTICATION_CLASSES': [
        'oversight.api.authentication.PersonalTokenAuthentication',
        'rest_framework.authentication.SessionAuthentication',
    ],
    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],
    # JSON only: people read the API through its reference page (api:docs); DRF's browsable pages do not
    # meet WCAG 2.2 AA (unnamed buttons, low contrast, no language, nested main landmarks).
    'DEFAULT_RENDERER_CLASSES': ['rest_framework.renderers.JSONRenderer'],
    # Any view that names no parsers reads JSON as every API view does: bounded, deep nesting a 400.
    'DEFAULT_PARSER_CLASSES': ['oversight.api.parsers.BoundedJSONParser'],
    'DEFAULT_FILTER_BACKENDS': ['django_filters.rest_framework.DjangoFilterBackend'],
    'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.PageNumberPagination',
    'PAGE_SIZE': 50,
    'DEFAULT_SCHEMA_CLASS': 'drf_spectacular.openapi.AutoSchema',
}
SPECTACULAR_SETTINGS = {
    'TITLE': 'Oversight API',
    'DESCRIPTION': 'Registers, survey returns, findings, identification and discovery uploads.',
    'VERSION': '1',
    # Several models have a "kind" choice; name each enum after its model so the schema has no collisions.
    'ENUM_NAME_OVERRIDES': {
        'OrganisationKindEnum': 'oversight.organisations.models.Organisation.Kind',
        'SiteKindEnum': 'oversight.register.models.Site.Kind',
        'ImportKindEnum': 'oversight.register.models.ImportBatch.Kind',
        'QuestionKindEnum': 'oversight.surveys.models.Question.Kind',
    },
}

# Background work goes through Django's tasks API only (docs/tasks.md): the database backend runs on the
# embedded SQLite and on PostgreSQL with `oversight worker`; another backend is a change of this setting.
TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}
# A running task writes a sign of life this often; one silent for longer than the stale limit is taken as
# dead (its worker was killed) and may be queued again. Long enough for one SQLite write transaction.
OVERSIGHT_TASK_HEARTBEAT_SECONDS = float(os.environ.get('OVERSIGHT_TASK_HEARTBEAT_SECONDS', '10'))
OVERSIGHT_TASK_STALE_SECONDS = float(os.environ.get('OVERSIGHT_TASK_STALE_SECONDS', '300'))

# Login throttling: five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [['username', 'ip_address']]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = 'accounts/locked_out.html'

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'WARNING'},
}
