from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = 'oversight.accounts'
    label = 'accounts'
    verbose_name = 'Accounts'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [('Your account', 'accounts:account')]
    navigation_order = 90
