from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from oversight.core.retention import Retention


class RegisterConfig(AppConfig):
    name = 'oversight.register'
    label = 'register'
    verbose_name = 'Equipment register'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [
        (_('Register'), 'register:equipment_list'),
        (_('Sites'), 'register:site_list'),
        (_('Systems'), 'register:system_list'),
    ]
    navigation_order = 10
    # The overview's counts (core.panels): the home page does not import the register.
    panels = {'home': 'oversight.register.panels.home_panel'}
    retention = [
        Retention(
            'register import files',
            'oversight.register.actions.clear_import_files',
            'OVERSIGHT_RETAIN_IMPORT_FILES_DAYS',
            'uploaded more than {days} days ago',
        )
    ]
