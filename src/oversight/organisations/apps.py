from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = 'oversight.organisations'
    label = 'organisations'
    verbose_name = 'Organisations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [('Organisations', 'organisations:organisation_list')]
    navigation_order = 60
