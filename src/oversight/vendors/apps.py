from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = 'oversight.vendors'
    label = 'vendors'
    verbose_name = 'Makers, brands and concern designations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [('Makers', 'vendors:manufacturer_list'), ('Concern lists', 'vendors:concernlist_list')]
    navigation_order = 50
