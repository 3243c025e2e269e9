from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = 'oversight.vendors'
    label = 'vendors'
    verbose_name = 'Makers, brands and concern designations'
