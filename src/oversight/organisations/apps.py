from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = 'oversight.organisations'
    label = 'organisations'
    verbose_name = 'Organisations'
