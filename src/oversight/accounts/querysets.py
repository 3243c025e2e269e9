from oversight.core.querysets import OrganisationScopedQuerySet, sees_everything


class UserQuerySet(OrganisationScopedQuerySet):
    def for_user(self, user):
        """Regulators see every user; a body's editors see their colleagues; anyone else only themselves."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user) or user.role == user.Role.EDITOR:
            return super().for_user(user)
        return self.filter(pk=user.pk)
