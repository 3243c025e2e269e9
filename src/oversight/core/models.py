from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .querysets import ObjectChangeQuerySet


class ObjectChange(models.Model):
    """One audited write: who changed what, when, with the object's state before and after.

    Written by the `actions` layer in the same transaction as the change itself, so a change
    without its audit row cannot be committed.
    """

    class Action(models.TextChoices):
        CREATE = 'create', 'Created'
        UPDATE = 'update', 'Updated'
        DELETE = 'delete', 'Deleted'
        # Something that happened to an account (a sign-in, a failure, a reset): accounts/events.py.
        EVENT = 'event', 'Account event'

    time = models.DateTimeField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text so the record survives the user's deletion.
    user_name = models.CharField(max_length=150, blank=True)
    # The organisation whose data changed: history is scoped like the data itself.
    organisation = models.ForeignKey(
        'organisations.Organisation', null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField('object name', max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)

    objects = ObjectChangeQuerySet.as_manager()

    class Meta:
        ordering = ['-time', '-pk']
        indexes = [
            models.Index(fields=['content_type', 'object_id']),
            # The newest change of a body's data (policy.evaluation.revision) in one index probe.
            models.Index(fields=['organisation', 'id']),
        ]

    def __str__(self) -> str:
        return f'{self.get_action_display()} {self.object_repr}'

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        return [
            (k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)
        ]
