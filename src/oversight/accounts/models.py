from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import UserQuerySet


class OversightUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager with the `for_user()` scope."""


class User(AbstractUser):
    """A person signed in to Oversight: one organisation, one role."""

    class Role(models.TextChoices):
        REGULATOR = 'regulator', _('Regulator staff')
        EDITOR = 'editor', _('Body editor')
        VIEWER = 'viewer', _('Body viewer')

    organisation = models.ForeignKey(
        'organisations.Organisation', null=True, blank=True, on_delete=models.PROTECT, related_name='users'
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    objects = OversightUserManager()

    class Meta:
        constraints = [
            # Body users must belong to a body; only superusers may stand outside every organisation.
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(is_superuser=True),
                name='user_has_organisation_unless_superuser',
            ),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse('accounts:user_detail', args=[self.pk])

    def clean(self):
        super().clean()
        # The role follows from the organisation: the regulator's people are regulator staff, bodies' are not.
        if self.organisation_id is None:
            return
        at_regulator = self.organisation.kind == self.organisation.Kind.REGULATOR
        if at_regulator and self.role != self.Role.REGULATOR:
            raise ValidationError({'role': f'Users of {self.organisation} are regulator staff.'})
        if not at_regulator and self.role == self.Role.REGULATOR:
            raise ValidationError(
                {'role': f'{self.organisation} is an overseen body: its users are editors or viewers.'}
            )

    @property
    def is_regulator(self) -> bool:
        return self.role == self.Role.REGULATOR

    def can_edit_for(self, organisation_id) -> bool:
        """Editors change their own body's data; regulators read bodies' registers but do not edit them."""
        return self.is_active and self.role == self.Role.EDITOR and organisation_id == self.organisation_id
