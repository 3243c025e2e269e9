from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = 'oversight.identification'
    label = 'identification'
    verbose_name = 'Identification'
