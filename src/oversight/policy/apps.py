from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = 'oversight.policy'
    label = 'policy'
    verbose_name = 'Policy obligations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Policy'), 'policy:policy')]
    navigation_order = 35
