from oversight.core.querysets import OrganisationScopedQuerySet


class PolicySettingsQuerySet(OrganisationScopedQuerySet):
    pass


class UnitCostQuerySet(OrganisationScopedQuerySet):
    def by_category(self, organisation_ids=None) -> dict:
        """{(organisation id, category): cost} for every unit cost in the queryset."""
        rows = self if organisation_ids is None else self.filter(organisation_id__in=organisation_ids)
        return {(o, c): cost for o, c, cost in rows.values_list('organisation_id', 'category', 'cost')}


class ObligationDecisionQuerySet(OrganisationScopedQuerySet):
    def by_obligation(self) -> dict:
        """{(line id, rule key): decision} for the decisions whose line is still in the register."""
        return {(d.line_id, d.rule): d for d in self.filter(line__isnull=False)}
