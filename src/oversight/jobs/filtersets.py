from oversight.core.filtersets import GovukFilterSet

from .models import Job


class JobFilterSet(GovukFilterSet):
    class Meta:
        model = Job
        fields = ['status', 'kind']
