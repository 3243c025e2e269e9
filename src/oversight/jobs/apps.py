from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from oversight.core.retention import Retention


class JobsConfig(AppConfig):
    name = 'oversight.jobs'
    label = 'jobs'
    verbose_name = 'Background tasks'
    navigation = [(_('Your tasks'), 'jobs:job_list')]
    navigation_order = 90
    # With "Sign out" in the header, not in the service navigation.
    navigation_place = 'account'
    # Scraped with /metrics (core.health): the queue's depth and age, read from the database.
    metrics = ['oversight.jobs.metrics.TaskCollector']
    retention = [
        Retention(
            "failed tasks' files",
            'oversight.jobs.actions.clear_failed_task_files',
            'OVERSIGHT_RETAIN_IMPORT_FILES_DAYS',
            'failed more than {days} days ago',
        ),
        Retention(
            'scans',
            'oversight.jobs.actions.remove_old_scans',
            'OVERSIGHT_RETAIN_SCANS_DAYS',
            "older than {days} days (each body's newest kept)",
        ),
    ]
