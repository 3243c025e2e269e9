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
