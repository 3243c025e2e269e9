"""Per-organisation scope, enforced in the query layer (Read the Docs' `for_user()` pattern).

Every view, export, count, chart, dropdown and API endpoint starts from `for_user()`, so a body's
user can never reach another body's rows by any surface. Edit pages and actions fetch what they change
from `editable_by()`, which asks the predicates of `core.permissions`.
"""

from django.db import models

from .permissions import may_edit_body, may_edit_reference_data, sees_everything


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

    def editable_by(self, user):
        """The rows this person may change: their own body's, if they edit it (the regulator reads, never edits)."""
        if not may_edit_body(user, user.organisation_id):
            return self.none()
        return self.filter(**{self.organisation_lookup: user.organisation_id})


class ReferenceQuerySet(models.QuerySet):
    """Reference data (makers, designations): readable by every signed-in user."""

    def for_user(self, user):
        return self if user.is_authenticated else self.none()

    def editable_by(self, user):
        return self if may_edit_reference_data(user) else self.none()


class ObjectChangeQuerySet(OrganisationScopedQuerySet):
    """A body sees the history of its own data only; reference-data history has no organisation."""

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
