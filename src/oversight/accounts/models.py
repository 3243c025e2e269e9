from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class User(AbstractUser):
    """A person signed in to Oversight: one organisation, one role."""

    class Role(models.TextChoices):
        REGULATOR = 'regulator', 'Regulator staff'
        EDITOR = 'editor', 'Body editor'
        VIEWER = 'viewer', 'Body viewer'

    organisation = models.ForeignKey(
        'organisations.Organisation', null=True, blank=True, on_delete=models.PROTECT, related_name='users'
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    objects = UserManager()

    class Meta:
        constraints = [
            # Body users must belong to a body; only superusers may stand outside every organisation.
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(is_superuser=True),
                name='user_has_organisation_unless_superuser',
            ),
        ]

    @property
    def is_regulator(self) -> bool:
        return self.role == self.Role.REGULATOR

    def can_edit_for(self, organisation_id) -> bool:
        """Editors change their own body's data; regulators read bodies' registers but do not edit them."""
        return self.is_active and self.role == self.Role.EDITOR and organisation_id == self.organisation_id
