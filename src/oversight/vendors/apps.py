from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = 'oversight.vendors'
    label = 'vendors'
    verbose_name = 'Makers, brands and concern designations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Makers'), 'vendors:manufacturer_list'), (_('Concern lists'), 'vendors:concernlist_list')]
    navigation_order = 50
