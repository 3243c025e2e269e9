from django.db import models

from oversight.core.permissions import sees_everything


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Regulators see every organisation; a body's user sees only its own."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(pk=user.organisation_id)

    def bodies(self):
        """Organisations that are overseen (everything but the regulator itself)."""
        return self.exclude(kind=self.model.Kind.REGULATOR)


class OrganisationGroupQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(organisations=user.organisation_id)
