from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from oversight.core.querysets import OrganisationScopedQuerySet


class WithCountsQuerySet(OrganisationScopedQuerySet):
    def with_counts(self):
        """Each row's equipment lines, devices and devices from makers of concern."""
        # Django drops Meta.ordering from grouped queries, so it is restated for stable pages.
        return self.annotate(**_equipment_counts('equipment')).order_by(*self.model._meta.ordering)

    def as_listed(self):
        """As tables, exports and the API show them: with their body and their counts."""
        return self.select_related('organisation').with_counts()


class SiteQuerySet(WithCountsQuerySet):
    pass


class SystemQuerySet(WithCountsQuerySet):
    pass


class EquipmentLineQuerySet(OrganisationScopedQuerySet):
    def as_listed(self):
        """As tables, pages, exports and the API show them: with their body, site, system and makers."""
        return self.select_related('organisation', 'site', 'system', 'manufacturer', 'made_by')

    def total_devices(self) -> int:
        return self.aggregate(n=Coalesce(Sum('quantity'), 0))['n']

    def of_concern(self):
        """Lines whose maker (declared or real) is named by any concern list."""
        return self.filter(concern=True)


class ImportBatchQuerySet(OrganisationScopedQuerySet):
    def same_file_imported(self, batch):
        """The earlier import of this very file (same body, kind and digest), if it was committed."""
        same = self.filter(organisation_id=batch.organisation_id, kind=batch.kind, sha256=batch.sha256)
        return same.filter(status='committed').exclude(pk=batch.pk).order_by('created', 'pk').first()


def _equipment_counts(relation: str) -> dict:
    return {
        'line_count': Count(relation),
        'device_count': Coalesce(Sum(f'{relation}__quantity'), 0),
        'concern_device_count': Coalesce(Sum(f'{relation}__quantity', filter=Q(**{f'{relation}__concern': True})), 0),
    }
