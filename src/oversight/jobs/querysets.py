from django.db.models import Q

from oversight.core.permissions import may_edit_body, sees_everything
from oversight.core.querysets import OrganisationScopedQuerySet


class JobQuerySet(OrganisationScopedQuerySet):
    def for_user(self, user):
        """Regulator staff see every task; a body's editors their body's; anyone else only what they started.

        A task's page shows a file's problems and names, which are an editor's working papers like an import's
        preview, so a viewer does not see the body's tasks.
        """
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        mine = Q(user=user)
        if user.organisation_id and may_edit_body(user, user.organisation_id):
            mine |= Q(organisation_id=user.organisation_id)
        return self.filter(mine)

    def workers_seen_since(self, since) -> bool:
        """Whether a worker claimed, ran or finished a task since `since`: the queue is moving.

        A retry or a new task resets its heartbeat without a worker, so only attempts a worker started count.
        """
        return self.filter(started_at__isnull=False, heartbeat_at__gte=since).exists()
