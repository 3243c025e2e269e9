from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = 'oversight.findings'
    label = 'findings'
    verbose_name = 'Findings and reports'
