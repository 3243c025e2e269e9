from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from oversight.core.querysets import OrganisationScopedQuerySet


class WithCountsQuerySet(OrganisationScopedQuerySet):
    # The line's field naming this model ('site', 'system').
    line_field = ''

    def with_counts(self):
        """Each row's equipment lines, devices and devices from makers of concern.

        Counted by a subquery per row rather than by grouping the join: a page of 50 sites counts the
        lines of those 50, where a grouped query counted every line of the national register first.
        """
        from .models import EquipmentLine  # models imports this module

        lines = EquipmentLine.objects.filter(**{self.line_field: OuterRef('pk')}).order_by().values(self.line_field)

        def total(rows, aggregate):
            return Coalesce(Subquery(rows.annotate(n=aggregate).values('n')), 0)

        return self.annotate(
            line_count=total(lines, Count('pk')),
            device_count=total(lines, Sum('quantity')),
            concern_device_count=total(lines.filter(concern=True), Sum('quantity')),
        )

    def as_listed(self):
        """As tables, exports and the API show them: with their body and their counts."""
        return self.select_related('organisation').with_counts()


class SiteQuerySet(WithCountsQuerySet):
    line_field = 'site'


class SystemQuerySet(WithCountsQuerySet):
    line_field = 'system'


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
