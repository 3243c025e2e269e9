import django_filters

from .models import Report


class ReportFilterSet(django_filters.FilterSet):
    campaign__year = django_filters.NumberFilter(label='Year')

    class Meta:
        model = Report
        fields = ['campaign__year']
