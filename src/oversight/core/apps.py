from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = 'oversight.core'
    label = 'core'
    verbose_name = 'Core and audit'
