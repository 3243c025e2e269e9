from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = 'oversight.core'
    label = 'core'
    verbose_name = 'Core and audit'

    def ready(self):
        from . import tables  # noqa: F401  (registers the date columns with django-tables2)
