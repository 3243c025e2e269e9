from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = 'oversight.policy'
    label = 'policy'
    verbose_name = 'Policy obligations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [('Policy', 'policy:policy')]
    navigation_order = 35
