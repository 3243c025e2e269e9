import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet

from .models import Report


class ReportFilterSet(GovukFilterSet):
    campaign__year = django_filters.NumberFilter(label=_('Year'))

    class Meta:
        model = Report
        fields = ['campaign__year']
