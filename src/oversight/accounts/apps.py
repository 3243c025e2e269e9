from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = 'oversight.accounts'
    label = 'accounts'
    verbose_name = 'Accounts'
