from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A person's API token, kept as a digest (core.tokens): the secret is shown once, when it is made.

    One each: making a new one replaces the old, which stops working at once.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name='api_token')
    prefix = models.CharField(max_length=16, help_text='The start of the token, to recognise it by.')
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = 'API token'

    def __str__(self) -> str:
        return f'API token of {self.user} ({self.prefix}…)'
