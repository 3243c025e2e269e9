from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = 'oversight.findings'
    label = 'findings'
    verbose_name = 'Findings and reports'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Findings'), 'findings:report_list')]
    navigation_order = 32
