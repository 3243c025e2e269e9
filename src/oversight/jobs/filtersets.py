import django_filters

from .models import Job


class JobFilterSet(django_filters.FilterSet):
    class Meta:
        model = Job
        fields = ['status', 'kind']
