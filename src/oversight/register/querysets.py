from django.db.models import Sum
from django.db.models.functions import Coalesce

from oversight.core.querysets import OrganisationScopedQuerySet


class SiteQuerySet(OrganisationScopedQuerySet):
    pass


class SystemQuerySet(OrganisationScopedQuerySet):
    pass


class EquipmentLineQuerySet(OrganisationScopedQuerySet):
    def total_devices(self) -> int:
        return self.aggregate(n=Coalesce(Sum('quantity'), 0))['n']

    def of_concern(self):
        """Lines whose maker (declared or real) is named by any concern list."""
        return self.filter(concern=True)
