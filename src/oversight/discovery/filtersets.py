import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet

from .models import DiscoveredDevice, Scan


class ScanFilterSet(GovukFilterSet):
    class Meta:
        model = Scan
        fields = ['source']


class DeviceFilterSet(GovukFilterSet):
    """The devices of one scan: by who made them, whether the register has them, and trouble."""

    STATES = (
        ('undeclared', _('Not in the register')),
        ('matched', _('In the register')),
        ('mismatched', _('Contradicts the register')),
        ('errors', _('Answered with errors')),
        ('concern', _('Made by a maker of concern')),
    )

    maker = django_filters.CharFilter(lookup_expr='iexact', label=_('Made by'))
    state = django_filters.ChoiceFilter(choices=STATES, method='filter_state', label=_('Show'))

    class Meta:
        model = DiscoveredDevice
        fields = ['maker', 'state']

    def filter_state(self, queryset, name, value):
        return {
            'undeclared': queryset.undeclared,
            'matched': lambda: queryset.filter(line__isnull=False),
            'mismatched': queryset.mismatched,
            'errors': queryset.with_errors,
            'concern': queryset.of_concern,
        }[value]()
