from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import UserQuerySet


class OversightUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager with the `for_user()` scope."""


class User(AbstractUser):
    """A person signed in to Oversight: one organisation, one role."""

    class Role(models.TextChoices):
        REGULATOR = 'regulator', _('Regulator staff')
        ADMINISTRATOR = 'administrator', _('Body administrator')
        EDITOR = 'editor', _('Body editor')
        VIEWER = 'viewer', _('Body viewer')

    organisation = models.ForeignKey(
        'organisations.Organisation', null=True, blank=True, on_delete=models.PROTECT, related_name='users'
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)

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
            raise ValidationError({'role': _('Users of %(body)s are regulator staff.') % {'body': self.organisation}})
        if not at_regulator and self.role == self.Role.REGULATOR:
            raise ValidationError(
                {
                    'role': _('%(body)s is an overseen body: its users are administrators, editors or viewers.')
                    % {'body': self.organisation}
                }
            )

    @property
    def status(self) -> str:
        """'deactivated', 'invited' (the invitation not yet taken up), or 'active'; status_label reads it."""
        if not self.is_active:
            return 'deactivated'
        invitation = getattr(self, 'invitation', None)
        if invitation is not None and invitation.accepted is None:
            return 'invited'
        return 'active'

    @property
    def status_label(self) -> str:
        return {'deactivated': _('Deactivated'), 'invited': _('Invited'), 'active': _('Active')}[self.status]


class SingleSignOn(models.Model):
    """An organisation's own sign-in service (OpenID Connect), chosen by the domain of the address people give.

    The provider itself (issuer, client id and secret, PKCE) is an allauth `SocialApp` whose provider id is
    the organisation's slug. Signing in through it only ever reaches an account the organisation already
    has in Oversight, matched by the verified address the provider returns; the provider's word never makes
    an account, nor changes anyone's organisation or role.
    """

    organisation = models.OneToOneField(
        'organisations.Organisation', on_delete=models.CASCADE, related_name='single_sign_on'
    )
    app = models.OneToOneField('socialaccount.SocialApp', on_delete=models.CASCADE, related_name='+')
    email_domains = models.TextField(
        help_text='The domains of its people’s email addresses, one a line (kent.police.uk).'
    )

    class Meta:
        verbose_name = 'single sign-on'

    def __str__(self) -> str:
        return f'Single sign-on for {self.organisation}'

    def domains(self) -> list[str]:
        return [line.strip().lower().lstrip('@') for line in self.email_domains.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if not self.domains():
            raise ValidationError({'email_domains': _('Name at least one email domain.')})
        taken = {
            domain: other.organisation
            for other in SingleSignOn.objects.exclude(pk=self.pk).select_related('organisation')
            for domain in other.domains()
        }
        clashes = [
            _('%(domain)s (already %(body)s)') % {'domain': d, 'body': taken[d]} for d in self.domains() if d in taken
        ]
        if clashes:
            message = _('Each domain chooses one organisation: %(clashes)s.') % {'clashes': ', '.join(clashes)}
            raise ValidationError({'email_domains': message})

    @classmethod
    def origins(cls) -> list[str]:
        """Where the configured providers live (scheme, host and port of each issuer)."""
        from urllib.parse import urlsplit

        found = set()
        for settings in cls.objects.values_list('app__settings', flat=True):
            parts = urlsplit((settings or {}).get('server_url', ''))
            if parts.scheme in ('https', 'http') and parts.netloc:
                found.add(f'{parts.scheme}://{parts.netloc}')
        return sorted(found)

    @classmethod
    def for_email(cls, email: str):
        domain = email.rpartition('@')[2].strip().lower()
        if not domain:
            return None
        for sign_on in cls.objects.select_related('organisation', 'app'):
            if domain in sign_on.domains():
                return sign_on
        return None


class AccountInvitation(models.Model):
    """The invitation to a new account: an emailed link with which the person sets a password (or signs in
    through their organisation's own service) and proves the address is theirs.

    The link's secret is made when the email is sent (by the task, so it is never stored, not even in the
    task's record); only its digest is kept (core.tokens). It works once, until `expires`.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name='invitation')
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name='+')
    digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    sent = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = 'account invitation'

    def __str__(self) -> str:
        return f'Invitation of {self.user}'

    def get_absolute_url(self) -> str:
        return self.user.get_absolute_url()

    def has_expired(self, now=None) -> bool:
        return self.accepted is None and (now or timezone.now()) >= self.expires
