from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = 'oversight.surveys'
    label = 'surveys'
    verbose_name = 'Survey campaigns'
