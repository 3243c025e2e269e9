from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = 'oversight.surveys'
    label = 'surveys'
    verbose_name = 'Survey campaigns'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Surveys'), 'surveys:campaign_list')]
    navigation_order = 30
