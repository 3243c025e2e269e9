from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = 'oversight.jobs'
    label = 'jobs'
    verbose_name = 'Background tasks'
    navigation = [('Tasks', 'jobs:job_list')]
    navigation_order = 90
