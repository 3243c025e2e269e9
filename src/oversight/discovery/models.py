"""Network scans a body uploads, the devices they found, and how they compare with the register."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from oversight.core.dates import govuk_datetime

from .querysets import DiscoveredDeviceQuerySet, ScanQuerySet, ScanTokenQuerySet, UnseenLineQuerySet


class ScanToken(models.Model):
    """A credential a body's discovery agent uploads scans with: stored as a SHA-256 digest, shown once.

    Tokens are 256-bit random strings, so a plain digest is enough to keep them safe at rest (a slow
    password hash protects guessable secrets; these are not guessable).
    """

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='+')
    name = models.CharField(max_length=100, help_text='What the token is for, e.g. "Custody network agent".')
    prefix = models.CharField(max_length=16, help_text='The start of the token, to recognise it by.')
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )

    objects = ScanTokenQuerySet.as_manager()

    class Meta:
        ordering = ['-created', '-pk']

    def __str__(self) -> str:
        return f'{self.name} ({self.prefix}…)'

    @property
    def throttle_ident(self) -> str:
        """Uploads are counted per token (core.throttling), not per person or address."""
        return f'scan-token-{self.pk}'

    @property
    def active(self) -> bool:
        return self.revoked is None


class Scan(models.Model):
    """One upload of discovery results: what was scanned, when, and how it compares with the register."""

    class Source(models.TextChoices):
        AGENT = 'agent', 'Discovery agent (scan token)'
        FILE = 'file', 'File uploaded in the browser'
        DEMO = 'demo', 'Demo scan'

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='+')
    source = models.CharField(max_length=10, choices=Source.choices)
    tool = models.CharField(max_length=200, blank=True, help_text='What produced the results.')
    filename = models.CharField(max_length=255, blank=True)
    token = models.ForeignKey(ScanToken, null=True, blank=True, on_delete=models.SET_NULL, related_name='scans')
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # The networks the scan covered: register lines at these addresses are expected to be seen.
    scope = models.JSONField(default=list, blank=True)
    # hosts, up, errors, matched, undeclared, unseen (lines), unseen_devices, mismatched
    counts = models.JSONField(default=dict, blank=True)
    reconciled = models.DateTimeField(null=True, blank=True)

    objects = ScanQuerySet.as_manager()

    class Meta:
        ordering = ['-uploaded', '-pk']

    def __str__(self) -> str:
        return f'Scan {self.pk} of {govuk_datetime(self.uploaded)}'

    def get_absolute_url(self) -> str:
        return reverse('discovery:scan_detail', args=[self.pk])


class DiscoveredDevice(models.Model):
    """A host that answered, what it showed, who made it, and the register line it matches (if any)."""

    class Match(models.TextChoices):
        MAC = 'mac', 'MAC address'
        SERIAL = 'serial', 'Serial number'
        IP = 'ip', 'IP address'
        MODEL = 'model', 'Model'
        ACCEPTED = 'accepted', 'Accepted into the register'

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name='devices')
    address = models.GenericIPAddressField()
    mac_address = models.CharField('MAC address', max_length=17, blank=True)
    manufacturer = models.CharField('manufacturer (as the device reports it)', max_length=200, blank=True)
    model = models.CharField(max_length=200, blank=True)
    firmware = models.CharField(max_length=200, blank=True)
    serial_number = models.CharField(max_length=200, blank=True)
    observed = models.JSONField(default=dict, blank=True)
    sources = models.JSONField(default=dict, blank=True)
    probes = models.JSONField(default=dict, blank=True)
    services = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    # Who made it, as the server's identification engine reads what the device showed.
    maker = models.CharField(max_length=200, blank=True)
    brand = models.CharField(max_length=200, blank=True)
    confidence = models.FloatField(default=0)
    concern = models.BooleanField(null=True)
    designations = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    # Reconciliation with the register (reconcile.py).
    line = models.ForeignKey(
        'register.EquipmentLine', null=True, blank=True, on_delete=models.SET_NULL, related_name='discoveries'
    )
    match = models.CharField(max_length=10, choices=Match.choices, blank=True)
    match_confidence = models.FloatField(null=True, blank=True)
    mismatches = models.JSONField(default=list, blank=True)

    objects = DiscoveredDeviceQuerySet.as_manager()

    class Meta:
        ordering = ['scan', 'address']
        constraints = [models.UniqueConstraint(fields=['scan', 'address'], name='one_device_per_address_per_scan')]

    def __str__(self) -> str:
        what = ' '.join(x for x in (self.manufacturer or self.maker, self.model) if x)
        return f'{self.address} {what}'.strip()

    def get_absolute_url(self) -> str:
        return reverse('discovery:device_detail', args=[self.pk])

    @property
    def organisation_id(self):
        return self.scan.organisation_id


class UnseenLine(models.Model):
    """A register line the scan should have seen (at a scanned address or site) and did not, or not all of."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name='unseen')
    line = models.ForeignKey('register.EquipmentLine', on_delete=models.CASCADE, related_name='+')
    expected = models.PositiveIntegerField()
    seen = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=200)

    objects = UnseenLineQuerySet.as_manager()

    class Meta:
        ordering = ['scan', 'line__site__name', 'line__pk']
        constraints = [models.UniqueConstraint(fields=['scan', 'line'], name='one_unseen_row_per_line')]

    def __str__(self) -> str:
        return f'{self.line}: {self.seen} of {self.expected} seen'
