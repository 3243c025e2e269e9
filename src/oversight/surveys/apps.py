from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = 'oversight.surveys'
    label = 'surveys'
    verbose_name = 'Survey campaigns'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [('Surveys', 'surveys:campaign_list')]
    navigation_order = 30
