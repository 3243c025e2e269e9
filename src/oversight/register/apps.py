from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
