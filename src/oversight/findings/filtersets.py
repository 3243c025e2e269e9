import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportFilterSet(django_filters.FilterSet):
    campaign__year = django_filters.NumberFilter(label=_('Year'))

    class Meta:
        model = Report
        fields = ['campaign__year']
