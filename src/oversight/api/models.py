from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A person's API token, kept as a digest (core.tokens): the secret is shown once, when it is made.

    One each: making a new one replaces the old, which stops working at once. A read-only token reads
    whatever its person may read and changes nothing, whatever its person may change.
    """

    class Scope(models.TextChoices):
        READ = 'read', _('Read only')
        READ_WRITE = 'read-write', _('Read and write')

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name='api_token')
    prefix = models.CharField(max_length=16, help_text='The start of the token, to recognise it by.')
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ_WRITE)
    expires = models.DateTimeField(null=True, blank=True, help_text='Empty: it works until revoked or replaced.')

    class Meta:
        verbose_name = 'API token'

    def __str__(self) -> str:
        return f'API token of {self.user} ({self.prefix}…)'

    def has_expired(self, now=None) -> bool:
        return self.expires is not None and (now or timezone.now()) >= self.expires
