from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = 'oversight.findings'
    label = 'findings'
    verbose_name = 'Findings and reports'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Findings'), 'findings:report_list')]
    navigation_order = 32
    # What the restore drill compares before and after a restore (core.backups).
    restore_digest = 'oversight.findings.drill.restore_digest'
