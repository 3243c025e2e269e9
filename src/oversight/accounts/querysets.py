from django.db.models import Q

from oversight.core.permissions import is_active, may_administer_body, may_edit_body, sees_everything
from oversight.core.querysets import OrganisationScopedQuerySet


class UserQuerySet(OrganisationScopedQuerySet):
    def for_user(self, user):
        """Regulators see every user; a body's editors and administrators see their colleagues; anyone else
        only themselves."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user) or may_edit_body(user, user.organisation_id):
            return super().for_user(user)
        return self.filter(pk=user.pk)

    def administered_by(self, user):
        """The people `user` administers (core.permissions.may_administer_person says the same of one), but
        themselves: a body's administrators run its people; regulator staff the regulator's people and bodies'
        administrators."""
        if not is_active(user):
            return self.none()
        others = self.exclude(pk=user.pk)
        if user.is_superuser:
            return others
        if sees_everything(user):
            return others.filter(Q(role=user.Role.REGULATOR) | Q(role=user.Role.ADMINISTRATOR))
        if may_administer_body(user, user.organisation_id):
            return others.filter(organisation_id=user.organisation_id).exclude(role=user.Role.REGULATOR)
        return self.none()
