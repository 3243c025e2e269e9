from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = 'oversight.organisations'
    label = 'organisations'
    verbose_name = 'Organisations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Organisations'), 'organisations:organisation_list')]
    navigation_order = 60
