from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = 'oversight.jobs'
    label = 'jobs'
    verbose_name = 'Background tasks'
    navigation = [(_('Your tasks'), 'jobs:job_list')]
    navigation_order = 90
    # With "Sign out" in the header, not in the service navigation.
    navigation_place = 'account'
