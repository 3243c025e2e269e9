from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = 'oversight.register'
    label = 'register'
    verbose_name = 'Equipment register'
