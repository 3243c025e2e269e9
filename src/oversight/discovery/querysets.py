from oversight.core.querysets import OrganisationScopedQuerySet


class ScanTokenQuerySet(OrganisationScopedQuerySet):
    def active(self):
        return self.filter(revoked__isnull=True)


class ScanQuerySet(OrganisationScopedQuerySet):
    pass


class DiscoveredDeviceQuerySet(OrganisationScopedQuerySet):
    organisation_lookup = 'scan__organisation'

    def undeclared(self):
        return self.filter(line__isnull=True)

    def mismatched(self):
        return self.exclude(mismatches=[])

    def with_errors(self):
        return self.exclude(errors=[])

    def of_concern(self):
        return self.filter(concern=True)


class UnseenLineQuerySet(OrganisationScopedQuerySet):
    organisation_lookup = 'scan__organisation'
