from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = 'oversight.findings'
    label = 'findings'
    verbose_name = 'Findings and reports'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [('Findings', 'findings:report_list')]
    navigation_order = 32
