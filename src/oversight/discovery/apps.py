from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = 'oversight.discovery'
    label = 'discovery'
    verbose_name = 'Network discovery'
