"""Per-organisation scope, enforced in the query layer (Read the Docs' `for_user()` pattern).

Every view, export, count, chart, dropdown and API endpoint starts from `for_user()`, so a body's
user can never reach another body's rows by any surface.
"""

from django.db import models


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, 'is_regulator', False)))


class OrganisationScopedQuerySet(models.QuerySet):
    """Rows owned by an organisation; `organisation_lookup` is the path to it."""

    organisation_lookup = 'organisation'

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        if not user.organisation_id:
            return self.none()
        return self.filter(**{self.organisation_lookup: user.organisation_id})


class ReferenceQuerySet(models.QuerySet):
    """Reference data (makers, designations): readable by every signed-in user."""

    def for_user(self, user):
        return self if user.is_authenticated else self.none()


class ObjectChangeQuerySet(OrganisationScopedQuerySet):
    """A body sees the history of its own data only; reference-data history has no organisation."""

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
