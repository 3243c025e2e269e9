from oversight.core.permissions import may_edit_body, sees_everything
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
