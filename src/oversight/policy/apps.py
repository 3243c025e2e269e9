from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = 'oversight.policy'
    label = 'policy'
    verbose_name = 'Policy obligations'
