"""Settings shared by every environment. Environment modules override what differs."""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    'django_filters',
    'rest_framework',
    'drf_spectacular',
    'axes',
    'django_prometheus',
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
    'oversight.compliance',
    'oversight.discovery',
    'oversight.jobs',
    'oversight.api',
    # After Oversight's apps, so their templates (account/, mfa/, allauth/) override allauth's own.
    'allauth',
    'allauth.account',
    'allauth.mfa',
    'allauth.usersessions',
    'allauth.socialaccount',
    'allauth.socialaccount.providers.openid_connect',
]

MIDDLEWARE = [
    # Probes and metrics are answered before the host check and the HTTPS redirect (core/health.py).
    'oversight.core.health.ProbeMiddleware',
    'django_prometheus.middleware.PrometheusBeforeMiddleware',
    'oversight.core.logs.RequestIdMiddleware',
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    # English or Cymraeg, from the switcher's ?lang=, its cookie, or the browser (core/languages.py).
    'oversight.core.languages.LanguageMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
    'django_htmx.middleware.HtmxMiddleware',
    'oversight.core.middleware.ContentSecurityPolicyMiddleware',
    'oversight.core.middleware.DatabaseBusyMiddleware',
    'allauth.account.middleware.AccountMiddleware',
    'oversight.accounts.mfa.RequireSecondFactorMiddleware',
    'oversight.accounts.sessions.IdleSessionMiddleware',
    'axes.middleware.AxesMiddleware',
    'django_prometheus.middleware.PrometheusAfterMiddleware',
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out name and address is refused before any password is checked.
    'axes.backends.AxesStandaloneBackend',
    # allauth's backend is Django's ModelBackend that also takes an email address in place of a username.
    'allauth.account.auth_backends.AuthenticationBackend',
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
                'oversight.core.context_processors.permissions',
                'oversight.core.languages.switcher',
            ],
            # GOV.UK's one date style and status tags, and the permission filter, in every template without
            # loading them (core/dates.py, core/status.py, core/permissions.py).
            'builtins': [
                'oversight.core.templatetags.govuk_dates',
                'oversight.core.templatetags.status_tags',
                'oversight.core.templatetags.may',
                'oversight.core.templatetags.labels',
            ],
            # django-tables2 is not an installed app: importing it imports django.contrib.postgres and psycopg,
            # which every command would pay for at start-up on SQLite. Its templates are core's (table.html);
            # its tags are all the pages need of it.
            'libraries': {'django_tables2': 'django_tables2.templatetags.django_tables2'},
        },
    },
]


def number_setting(name: str, default: int | float) -> int | float:
    """A number from the environment, of the default's type; anything else stops start-up naming the variable."""
    text = os.environ.get(name, '').strip()
    try:
        return type(default)(text) if text else default
    except ValueError:
        kind = 'a whole number' if isinstance(default, int) else 'a number'
        raise ImproperlyConfigured(f'{name} must be {kind}, not {text!r}.') from None


try:
    DATABASES = {
        'default': dj_database_url.config(
            default=f'sqlite:///{VAR_DIR / "oversight.sqlite3"}',
            conn_max_age=number_setting('OVERSIGHT_CONN_MAX_AGE', 0),
        )
    }
except ValueError as exc:  # an unknown scheme or a malformed address
    raise ImproperlyConfigured(f'DATABASE_URL is not a database address Oversight can use: {exc}') from None
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
LOGIN_URL = 'account_login'
LOGIN_REDIRECT_URL = 'core:home'
LOGOUT_REDIRECT_URL = 'account_login'

# Accounts (django-allauth, docs/security.md "Signing in"). Nobody signs themselves up: accounts are made by
# the organisation the person works for (`create-user`), and the adapter closes every sign-up route.
ACCOUNT_ADAPTER = 'oversight.accounts.adapters.AccountAdapter'
ACCOUNT_LOGIN_METHODS = {'username', 'email'}
ACCOUNT_SIGNUP_FIELDS = ['email*', 'username*', 'password1*']
ACCOUNT_UNIQUE_EMAIL = True
# An address is used for sign-in and password reset only once its owner has followed the link sent to it.
ACCOUNT_EMAIL_VERIFICATION = 'mandatory'
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = 'Oversight: '
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {'login': 'oversight.accounts.forms.SignInForm'}
# Single sign-on (OpenID Connect, accounts.SingleSignOn): each organisation's provider is an allauth SocialApp,
# authorisation code flow with PKCE; the adapter matches people by verified address and never makes accounts.
SOCIALACCOUNT_ADAPTER = 'oversight.accounts.adapters.SingleSignOnAdapter'
SOCIALACCOUNT_PROVIDERS = {'openid_connect': {'OAUTH_PKCE_ENABLED': True}}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# Signed-in sessions (allauth.usersessions): each person's list of them, with the device, address and last
# activity. allauth's own activity tracking writes on every request; accounts/sessions.py notes it at most
# once a minute instead, and signs a session out after OVERSIGHT_SESSION_IDLE_MINUTES without a request.
USERSESSIONS_TRACK_ACTIVITY = False
OVERSIGHT_SESSION_IDLE_MINUTES = number_setting('OVERSIGHT_SESSION_IDLE_MINUTES', 30)
# How long the link in an invitation to a new account works (accounts.AccountInvitation).
OVERSIGHT_INVITATION_DAYS = number_setting('OVERSIGHT_INVITATION_DAYS', 7)

# Second factors (allauth.mfa): an authenticator app (TOTP), a security key or passkey (WebAuthn), and
# single-use recovery codes. Required for the roles named here (accounts/mfa.py sends them to enrol).
MFA_SUPPORTED_TYPES = ['totp', 'webauthn', 'recovery_codes']
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = 'Oversight'
# A code typed as its 30 s step ends still counts (RFC 6238 5.2: one step for the delay); a used code never does.
MFA_TOTP_TOLERANCE = 1


def _roles(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    roles = default if value is None else [r.strip() for r in value.split(',') if r.strip()]
    unknown = sorted(set(roles) - {'regulator', 'administrator', 'editor', 'viewer'})
    if unknown:
        raise ImproperlyConfigured(f'{name} names roles Oversight does not have: {", ".join(unknown)}.')
    return roles


OVERSIGHT_MFA_REQUIRED_ROLES = _roles('OVERSIGHT_MFA_REQUIRED_ROLES', ['regulator', 'administrator', 'editor'])
# Development and the tests serve plain HTTP on loopback; production (HTTPS only) turns this off.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# allauth's own limits stay: its "login_failed" limit is what bounds guesses at second-factor codes (five
# a user in five minutes). Wrong passwords are counted by django-axes alone (AccountAdapter.pre_authenticate).

AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},
    {'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'},
]

LANGUAGE_CODE = 'en-gb'
# English and Welsh (docs/welsh.md). Any other language asked for falls back to English. British English
# ("en-gb", not "en"), so Django's own formats stay British (en's are American: "Dec. 4, 2026", 12/04).
LANGUAGES = [('en-gb', 'English'), ('cy', 'Cymraeg')]
LOCALE_PATHS = [PACKAGE_DIR / 'locale']
# The switcher's choice lasts as long as the browser session, like the session cookie; it holds only
# "en" or "cy" and is listed on the cookies page.
LANGUAGE_COOKIE_NAME = 'oversight_language'
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = 'Lax'
TIME_ZONE = 'Europe/London'
USE_I18N = True
USE_TZ = True

STATIC_URL = '/static/'
# Collected by `oversight collectstatic`; the container image collects them at build, outside var/.
STATIC_ROOT = Path(os.environ.get('OVERSIGHT_STATIC_ROOT', VAR_DIR / 'static'))
MEDIA_ROOT = VAR_DIR / 'media'

# Uploads are bounded: a national body's register (a few hundred thousand lines) fits; anything larger is
# refused, not parsed. Files are read as streams; an upload over 5 MB waits on disk, not in memory.
OVERSIGHT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = OVERSIGHT_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Evidence for a system's governance (a DPIA, a certificate, a policy): documents, not data sets.
OVERSIGHT_MAX_EVIDENCE_BYTES = int(os.environ.get('OVERSIGHT_MAX_EVIDENCE_BYTES', 20 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

DJANGO_TABLES2_TEMPLATE = 'core/table.html'
DJANGO_TABLES2_TABLE_ATTRS = {'class': 'govuk-table'}

EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'
# The address people reach the service at, for links in emails (invitations, reminders).
OVERSIGHT_BASE_URL = os.environ.get('OVERSIGHT_BASE_URL', 'http://127.0.0.1:8000')
# Links in account emails (verification, password reset) use the scheme people reach the service by.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = 'https' if OVERSIGHT_BASE_URL.startswith('https:') else 'http'
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
    # Throttles see the address the nearest trusted proxy saw (production sets the count of proxies).
    'NUM_PROXIES': 0,
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
OVERSIGHT_TASK_HEARTBEAT_SECONDS = number_setting('OVERSIGHT_TASK_HEARTBEAT_SECONDS', 10.0)
OVERSIGHT_TASK_STALE_SECONDS = number_setting('OVERSIGHT_TASK_STALE_SECONDS', 300.0)
# A body's register of at least this many lines has its unfiltered policy page worked out and stored by the
# worker, so that a web process which has not evaluated it serves the page at once (policy/stored.py).
OVERSIGHT_STORED_POLICY_LINES = number_setting('OVERSIGHT_STORED_POLICY_LINES', 10_000)


# A cache every node shares: the API's throttles count there, so a limit holds across web servers.
# The database's own table by default (made by core's migration 0003); OVERSIGHT_CACHE_URL=redis://host:6379/0
# uses Redis instead (docs/operations.md, "Throttles").
def _cache(url: str) -> dict:
    if not url:
        return {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'oversight_cache'}
    if url.startswith(('redis://', 'rediss://', 'unix://')):
        return {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': url}
    raise ImproperlyConfigured(f'OVERSIGHT_CACHE_URL must be a redis://, rediss:// or unix:// address, not {url!r}.')


CACHES = {'default': _cache(os.environ.get('OVERSIGHT_CACHE_URL', '').strip())}


# API throttles (core/throttling.py), each "number/period" (second, minute, hour or day); an over-limit
# request is answered 429 with Retry-After. Failed token attempts are counted per client address and,
# past the limit, every token from that address is refused until the window clears.
def _rate(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r'[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)', value):
        raise ImproperlyConfigured(f'{name} must be a rate such as "20/hour" (number/second|minute|hour|day).')
    return value


OVERSIGHT_THROTTLE_RATES = {
    'token_failures': _rate('OVERSIGHT_THROTTLE_TOKEN_FAILURES', '20/hour'),
    'scan_upload': _rate('OVERSIGHT_THROTTLE_SCAN_UPLOADS', '60/hour'),
    'identify': _rate('OVERSIGHT_THROTTLE_IDENTIFY', '30/minute'),
}


def _days(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f'{name} must be a whole number of days, at least 1, not {value!r}.')
    return int(value)


# Retention (`oversight clean-up`, docs/operations.md): how long each kind of record is kept. Expired
# sessions go at once; audit rows (core.ObjectChange) are kept for good.
OVERSIGHT_RETAIN_LOGIN_LOG_DAYS = _days('OVERSIGHT_RETAIN_LOGIN_LOG_DAYS', 180)
OVERSIGHT_RETAIN_IMPORT_FILES_DAYS = _days('OVERSIGHT_RETAIN_IMPORT_FILES_DAYS', 30)
OVERSIGHT_RETAIN_SCANS_DAYS = _days('OVERSIGHT_RETAIN_SCANS_DAYS', 365)

# Login throttling: five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [['username', 'ip_address']]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = 'accounts/locked_out.html'
# allauth's sign-in form names its field "login" (a username or an email address).
AXES_USERNAME_CALLABLE = 'oversight.accounts.adapters.axes_username'

# Prometheus metrics at /metrics for a bearer of this token (core/health.py); empty: no metrics page.
OVERSIGHT_METRICS_TOKEN = os.environ.get('OVERSIGHT_METRICS_TOKEN', '')


def logging_config(formatter: str, level: str) -> dict:
    """Everything to standard error, each record carrying the request id (core/logs.py)."""
    return {
        'version': 1,
        'disable_existing_loggers': False,
        'filters': {'request_id': {'()': 'oversight.core.logs.RequestIdFilter'}},
        'formatters': {
            'json': {'()': 'oversight.core.logs.JsonFormatter'},
            'text': {'format': '%(levelname)s %(name)s [%(request_id)s] %(message)s'},
        },
        'handlers': {'console': {'class': 'logging.StreamHandler', 'filters': ['request_id'], 'formatter': formatter}},
        'root': {'handlers': ['console'], 'level': level},
    }


LOGGING = logging_config('text', 'WARNING')
