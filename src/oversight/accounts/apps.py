from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from oversight.core.retention import Retention


class AccountsConfig(AppConfig):
    name = 'oversight.accounts'
    label = 'accounts'
    verbose_name = 'Accounts'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Your account'), 'accounts:account')]
    navigation_order = 90
    # With "Sign out" in the header, not in the service navigation.
    navigation_place = 'account'
    retention = [
        Retention('sessions', 'oversight.accounts.actions.forget_expired_sessions'),
        Retention(
            'login log records',
            'oversight.accounts.actions.forget_old_sign_ins',
            'OVERSIGHT_RETAIN_LOGIN_LOG_DAYS',
            'older than {days} days',
        ),
    ]

    def ready(self):
        from . import signals  # noqa: F401  (connects the audit of account events)
