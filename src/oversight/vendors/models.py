"""Reference data about who makes surveillance equipment and which authorities have concerns.

Every row carries its source: these facts are published in findings and must be checkable.
"""

from django.db import models
from django.urls import reverse

from oversight.core.querysets import ReferenceQuerySet


class Confidence(models.TextChoices):
    HIGH = 'high', 'High'
    MEDIUM = 'medium', 'Medium'
    LOW = 'low', 'Low'


class Manufacturer(models.Model):
    """A maker of equipment, known by one canonical name."""

    name = models.CharField(max_length=100, unique=True, help_text='Canonical name, as findings print it.')
    slug = models.SlugField(max_length=100, unique=True)
    legal_names = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=60, blank=True, help_text='Country of headquarters.')
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    source_url = models.URLField(max_length=500)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['name']

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('vendors:manufacturer_detail', args=[self.slug])


class ManufacturerName(models.Model):
    """A name a person may type for a maker: canonical, legal, former or alias spelling."""

    class Kind(models.TextChoices):
        CANONICAL = 'canonical', 'Canonical name'
        LEGAL = 'legal', 'Legal name'
        ALIAS = 'alias', 'Alias or spelling'
        FORMER = 'former', 'Former name'

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name='names')
    name = models.CharField(max_length=200)
    # The resolution key (see vendors.resolution.normalise); one maker per key.
    normalised = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_url = models.URLField(max_length=500, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['manufacturer__name', 'name']

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    """A name equipment is sold under, and whose products it really is."""

    class Kind(models.TextChoices):
        OWN = 'own', "The maker's own brand"
        SUB_BRAND = 'sub_brand', 'Sub-brand of the maker'
        RELABEL = 'relabel', "Relabel of another maker's products"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    normalised = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The company that owns the brand (None when it is not itself a maker in the reference data).
    owner = models.ForeignKey(Manufacturer, null=True, blank=True, on_delete=models.PROTECT, related_name='brands')
    # Who makes the products sold under it: the owner for own and sub-brands, the ODM for relabels.
    made_by = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name='made_for_brands')
    confidence = models.CharField(max_length=6, choices=Confidence.choices)
    evidence = models.TextField()
    source_url = models.URLField(max_length=500)
    notes = models.TextField(blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['name']

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('vendors:brand_detail', args=[self.slug])


class CorporateRelation(models.Model):
    """Ownership between makers: designations can extend to subsidiaries and affiliates."""

    class Kind(models.TextChoices):
        SUBSIDIARY = 'subsidiary', 'Subsidiary'
        AFFILIATE = 'affiliate', 'Affiliate'
        JOINT_VENTURE = 'joint_venture', 'Joint venture'

    parent = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name='child_relations')
    child = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name='parent_relations')
    kind = models.CharField(max_length=15, choices=Kind.choices)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=500)
    notes = models.TextField(blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['parent__name', 'child__name']
        constraints = [
            models.UniqueConstraint(fields=['parent', 'child', 'kind'], name='unique_corporate_relation'),
            models.CheckConstraint(condition=~models.Q(parent=models.F('child')), name='relation_not_to_itself'),
        ]

    def __str__(self) -> str:
        return f'{self.child} is a {self.get_kind_display().lower()} of {self.parent}'


class ConcernList(models.Model):
    """An instrument by which an authority designated makers of concern (a law, an order, a list)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    authority = models.CharField(max_length=200)
    instrument = models.CharField(max_length=300)
    jurisdiction = models.CharField(max_length=60)
    date = models.DateField(help_text='Date the instrument took effect or was published.')
    # Whether designating a maker also covers its subsidiaries and affiliates (NDAA s.889 does).
    covers_affiliates = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    source_url = models.URLField(max_length=500)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['-date', 'name']

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('vendors:concernlist_detail', args=[self.slug])


class Designation(models.Model):
    """One maker named by one concern list, with the reason and the source that says so."""

    class Reason(models.TextChoices):
        NATIONAL_SECURITY_LAW = 'national_security_law', 'National-security law'
        HUMAN_RIGHTS = 'human_rights', 'Human rights'
        SANCTIONS = 'sanctions', 'Sanctions'
        KNOWN_EXPLOITED_VULNERABILITIES = 'kev', 'Known exploited vulnerabilities'
        REGULATOR_CONCERN = 'regulator_concern', 'Named by the regulator as a concern'

    concern_list = models.ForeignKey(ConcernList, on_delete=models.CASCADE, related_name='designations')
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name='designations')
    date = models.DateField()
    scope = models.CharField(max_length=300, help_text='What is covered, e.g. "video surveillance equipment".')
    reason = models.CharField(max_length=25, choices=Reason.choices)
    source_url = models.URLField(max_length=500)
    notes = models.TextField(blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['concern_list', 'manufacturer__name']
        constraints = [
            models.UniqueConstraint(fields=['concern_list', 'manufacturer'], name='one_designation_per_list'),
        ]

    def __str__(self) -> str:
        return f'{self.manufacturer} – {self.concern_list}'

    @property
    def authority(self) -> str:
        return self.concern_list.authority

    @property
    def instrument(self) -> str:
        return self.concern_list.instrument

    @property
    def jurisdiction(self) -> str:
        return self.concern_list.jurisdiction
