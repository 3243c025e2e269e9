from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = 'oversight.discovery'
    label = 'discovery'
    verbose_name = 'Network discovery'
    navigation = [('Discovery', 'discovery:scan_list')]
    navigation_order = 40
