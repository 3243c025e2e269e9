"""A body's register of surveillance equipment: sites, systems and equipment lines."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from .querysets import EquipmentLineQuerySet, ImportBatchQuerySet, SiteQuerySet, SystemQuerySet
from .values import MAX_QUANTITY

# MACs are stored in one spelling (register.values.parse_mac writes it), so they compare and match.
MAC_PATTERN = r'^([0-9A-F]{2}:){5}[0-9A-F]{2}$'
validate_mac = RegexValidator(MAC_PATTERN, 'Enter a MAC address as six pairs of hex digits, e.g. 00:1F:54:12:AB:CD.')


class Category(models.TextChoices):
    """System categories, as the Commissioner's surveys ask about them (codes shared with returns)."""

    EXTERNAL_CCTV = 'external_cctv', 'External CCTV'
    INTERNAL_CCTV = 'internal_cctv', 'Internal CCTV'
    ANPR = 'anpr', 'ANPR'
    BODY_WORN_VIDEO = 'body_worn_video', 'Body-worn video'
    DRONE = 'drone', 'Drones'
    HELICOPTER = 'helicopter', 'Helicopter-borne cameras'
    FACIAL_RECOGNITION = 'facial_recognition', 'Facial recognition'
    OTHER = 'other', 'Other'


def unique_name_per_body(noun: str) -> models.UniqueConstraint:
    # Whatever the capitals: imports match sites and systems by name that way.
    return models.UniqueConstraint(
        Lower('name'),
        'organisation',
        name=f'unique_{noun}_name_per_body_any_case',
        violation_error_message=f'The body already has a {noun} of this name.',
    )


class Site(models.Model):
    """A place where equipment is installed. Sensitivity drives the 24 November 2022 rules."""

    class Kind(models.TextChoices):
        POLICE_STATION = 'police_station', 'Police station'
        CUSTODY = 'custody', 'Custody suite'
        HEADQUARTERS = 'headquarters', 'Headquarters'
        CONTROL_ROOM = 'control_room', 'Control room'
        PUBLIC_SPACE = 'public_space', 'Public space'
        ROADSIDE = 'roadside', 'Roadside'
        AIR_SUPPORT = 'air_support', 'Air support base'
        VEHICLE = 'vehicle', 'Vehicles and mobile'
        OTHER = 'other', 'Other'

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='sites')
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    sensitive = models.BooleanField(
        default=False, help_text='A sensitive site as the government statement of 24 November 2022 uses the term.'
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ['organisation__name', 'name']
        constraints = [unique_name_per_body('site')]
        # The default sort and the name search, within a body and across bodies.
        indexes = [models.Index(fields=['organisation', 'name', 'id']), models.Index(fields=['name', 'id'])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('register:site_detail', args=[self.pk])


class System(models.Model):
    """A surveillance camera system of one category, e.g. "Custody CCTV" or "Drone unit"."""

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='systems')
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SystemQuerySet.as_manager()

    class Meta:
        ordering = ['organisation__name', 'name']
        constraints = [unique_name_per_body('system')]
        indexes = [models.Index(fields=['organisation', 'name', 'id']), models.Index(fields=['name', 'id'])]

    def __str__(self) -> str:
        return f'{self.name} ({self.get_category_display()})'

    def get_absolute_url(self) -> str:
        return reverse('register:system_detail', args=[self.pk])


class EquipmentLine(models.Model):
    """Devices of one make and model in one system at one site, as the body declares them.

    The maker as declared is kept verbatim; who really made it (`manufacturer`, `made_by`) is
    resolved from the reference data with a confidence and the evidence.
    """

    class Network(models.TextChoices):
        ISOLATED = 'isolated', 'Isolated'
        CORE = 'core', 'Connected to the core network'
        UNKNOWN = 'unknown', 'Unknown'

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='equipment')
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name='equipment')
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name='equipment')
    manufacturer_declared = models.CharField('manufacturer (as declared)', max_length=200)
    brand = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    firmware = models.CharField(max_length=100, blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    mac_address = models.CharField('MAC address', max_length=17, blank=True, validators=[validate_mac])
    ip_address = models.GenericIPAddressField('IP address', null=True, blank=True)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)])
    installed_on = models.DateField(null=True, blank=True)
    next_upgrade = models.DateField('next scheduled upgrade', null=True, blank=True)
    video = models.BooleanField(default=True)
    audio = models.BooleanField(default=False)
    thermal = models.BooleanField(default=False)
    night_vision = models.BooleanField(default=False)
    network = models.CharField(max_length=10, choices=Network.choices, default=Network.UNKNOWN)
    notes = models.TextField(blank=True)

    # Resolution, recomputed whenever the declared identity changes (register.actions).
    manufacturer = models.ForeignKey(
        'vendors.Manufacturer',
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name='declared_lines',
        help_text='The declared maker, resolved to its canonical name.',
    )
    made_by = models.ForeignKey(
        'vendors.Manufacturer',
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name='made_lines',
        help_text='Who really made the equipment, through sub-brands and relabels.',
    )
    confidence = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    concern = models.BooleanField(
        null=True, blank=True, help_text='Made by or for a maker named by a concern list; unknown if unresolved.'
    )

    version = models.PositiveIntegerField(default=1, editable=False)

    # What a body declares about a line beside its site and system, in the order forms and files show it.
    DECLARED_FIELDS = (
        'manufacturer_declared',
        'brand',
        'model',
        'firmware',
        'serial_number',
        'mac_address',
        'ip_address',
        'quantity',
        'installed_on',
        'next_upgrade',
        'video',
        'audio',
        'thermal',
        'night_vision',
        'network',
        'notes',
    )

    objects = EquipmentLineQuerySet.as_manager()

    class Meta:
        ordering = ['site__name', 'system__name', 'manufacturer_declared', 'model', 'pk']
        # The default sort walks sites by name, then each site's lines (site, system, maker, model); the
        # filters a body's register page offers probe one index each rather than the body's every line.
        indexes = [
            models.Index(fields=['site', 'system', 'manufacturer_declared', 'model', 'id']),
            models.Index(fields=['organisation', 'made_by']),
            models.Index(fields=['organisation', 'concern']),
            models.Index(fields=['organisation', 'network']),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name='equipment_quantity_positive'),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True) | models.Q(confidence__gte=0, confidence__lte=1),
                name='equipment_confidence_fraction',
            ),
            models.CheckConstraint(
                condition=models.Q(mac_address='') | models.Q(mac_address__regex=MAC_PATTERN),
                name='equipment_mac_in_one_spelling',
            ),
        ]

    def __str__(self) -> str:
        return f'{self.quantity} × {self.manufacturer_declared} {self.model}'.strip()

    def get_absolute_url(self) -> str:
        return reverse('register:equipment_detail', args=[self.pk])


class ImportBatch(models.Model):
    """An uploaded register file, kept until its preview is committed or discarded.

    The file itself is stored, so the preview and the commit validate exactly what was uploaded.
    """

    class Kind(models.TextChoices):
        EQUIPMENT = 'equipment', 'Equipment lines'
        SITES = 'sites', 'Sites'
        SYSTEMS = 'systems', 'Systems'

    class Status(models.TextChoices):
        PENDING = 'pending', 'Awaiting review'
        COMMITTED = 'committed', 'Imported'
        DISCARDED = 'discarded', 'Discarded'

    organisation = models.ForeignKey(
        'organisations.Organisation', on_delete=models.PROTECT, related_name='import_batches'
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField('SHA-256 of the file', max_length=64, db_index=True)
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Rows created, updated and unchanged, as committed.
    counts = models.JSONField(default=dict, blank=True)
    # The checked plan (register.imports.Plan), kept while the file is pending so that the preview's pages
    # and the commit do not read the file again: its summary, and its rows or problems, compressed.
    plan = models.JSONField(null=True, blank=True, editable=False)
    planned_rows = models.BinaryField(null=True, editable=False)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ['-created', '-pk']
        verbose_name_plural = 'import batches'

    def __str__(self) -> str:
        return f'{self.filename} ({self.get_kind_display().lower()})'

    def get_absolute_url(self) -> str:
        return reverse('register:import_preview', args=[self.pk])
