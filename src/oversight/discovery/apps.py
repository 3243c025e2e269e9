from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = 'oversight.discovery'
    label = 'discovery'
    verbose_name = 'Network discovery'
    navigation = [(_('Discovery'), 'discovery:scan_list')]
    navigation_order = 40
