from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = 'oversight.jobs'
    label = 'jobs'
    verbose_name = 'Background tasks'
    navigation = [('Your tasks', 'jobs:job_list')]
    navigation_order = 90
    # With "Sign out" in the header, not in the service navigation.
    navigation_place = 'account'
