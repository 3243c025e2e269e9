"""Reference data about who makes surveillance equipment and which authorities have concerns.

Every row carries its source: these facts are published in findings and must be checkable.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.querysets import ReferenceQuerySet

from .resolution import normalise


class Confidence(models.TextChoices):
    HIGH = 'high', 'High'
    MEDIUM = 'medium', 'Medium'
    LOW = 'low', 'Low'


class Manufacturer(models.Model):
    """A maker of equipment, known by one canonical name."""

    name = models.CharField(max_length=100, unique=True, help_text='Canonical name, as findings print it.')
    slug = models.SlugField(max_length=100, unique=True)
    country = models.CharField(
        max_length=60,
        blank=True,
        help_text='Country of headquarters, in English (e.g. "China", "United States"). Policy rules read it.',
    )
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, help_text='Where the name, legal name and country come from.')
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['name']
        verbose_name = 'maker'

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('vendors:manufacturer_detail', args=[self.slug])

    @property
    def legal_names(self) -> list[str]:
        """The maker's legal names, from its names (prefetch `names` when listing many makers)."""
        return [n.name for n in self.names.all() if n.kind == ManufacturerName.Kind.LEGAL]


def _key_of(name: str) -> str:
    key = normalise(name)
    if not key:
        raise ValidationError({'name': _('A name needs a letter or digit besides legal forms such as Ltd or Inc.')})
    return key


class ManufacturerName(models.Model):
    """A name a person may type for a maker: canonical, legal, former or alias spelling.

    Several names of one maker may share a resolution key ("ZTE" and "ZTE Corporation"), but a
    key never belongs to two makers: `clean()` refuses it, and name resolution treats such a key
    as unknown rather than choose.
    """

    class Kind(models.TextChoices):
        CANONICAL = 'canonical', 'Canonical name'
        LEGAL = 'legal', 'Legal name'
        ALIAS = 'alias', 'Alias or spelling'
        FORMER = 'former', 'Former name'

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name='names')
    name = models.CharField(max_length=200)
    # The resolution key (see vendors.resolution.normalise), computed by clean().
    normalised = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_url = models.URLField(max_length=500)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['manufacturer__name', 'name']
        verbose_name = 'maker name'
        constraints = [
            models.UniqueConstraint(
                fields=['manufacturer', 'name'],
                name='unique_name_per_maker',
                violation_error_message='The maker already has this name.',
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.manufacturer.get_absolute_url() + '#names'

    def clean(self):
        self.normalised = _key_of(self.name)
        clash = (
            ManufacturerName.objects.filter(normalised=self.normalised)
            .exclude(manufacturer_id=self.manufacturer_id)
            .select_related('manufacturer')
            .first()
        )
        if clash:
            raise ValidationError(
                {
                    'name': _('"%(name)s" reads the same as "%(other)s", a name of %(maker)s.')
                    % {'name': self.name, 'other': clash.name, 'maker': clash.manufacturer}
                }
            )
        brand = Brand.objects.filter(normalised=self.normalised).first()
        if brand and self.manufacturer_id not in (brand.owner_id, brand.made_by_id):
            raise ValidationError(
                {
                    'name': _('"%(name)s" reads the same as the brand %(brand)s, neither owned nor made by this maker.')
                    % {'name': self.name, 'brand': brand}
                }
            )


class Brand(models.Model):
    """A name equipment is sold under, and whose products it really is."""

    class Kind(models.TextChoices):
        OWN = 'own', "The maker's own brand"
        SUB_BRAND = 'sub_brand', "Sub-brand of a maker's group"
        RELABEL = 'relabel', "Relabel of another maker's products"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # The resolution key (see vendors.resolution.normalise), computed by clean().
    normalised = models.CharField(max_length=200, unique=True, blank=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The company that owns the brand (None when it is not itself a maker in the reference data).
    owner = models.ForeignKey(Manufacturer, null=True, blank=True, on_delete=models.PROTECT, related_name='brands')
    # Who makes the products sold under it: the owner for its own brand, the parent maker of the
    # group for a sub-brand (EZVIZ: owned by Ezviz, made by Hikvision), the ODM for a relabel.
    made_by = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name='made_for_brands')
    confidence = models.CharField(max_length=6, choices=Confidence.choices)
    evidence = models.TextField()
    source_url = models.URLField(max_length=500)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['name']
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind='own') | models.Q(owner__isnull=False, owner=models.F('made_by')),
                name='brand_own_is_owned_and_made_by_one_maker',
            ),
            models.CheckConstraint(
                condition=~models.Q(kind='relabel')
                | models.Q(owner__isnull=True)
                | ~models.Q(owner=models.F('made_by')),
                name='brand_relabel_is_made_by_another_maker',
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('vendors:brand_detail', args=[self.slug])

    def clean(self):
        self.normalised = _key_of(self.name)
        clash = Brand.objects.filter(normalised=self.normalised).exclude(pk=self.pk).first()
        if clash:
            raise ValidationError(
                {'name': _('"%(name)s" reads the same as the brand %(brand)s.') % {'name': self.name, 'brand': clash}}
            )
        errors = {}
        if self.kind == self.Kind.OWN and (self.owner_id is None or self.owner_id != self.made_by_id):
            errors['made_by'] = "A maker's own brand is owned and made by the same maker."
        if self.kind == self.Kind.RELABEL and self.owner_id and self.owner_id == self.made_by_id:
            errors['made_by'] = 'A relabel is made by another maker than the one that owns the brand.'
        maker_name = ManufacturerName.objects.filter(normalised=self.normalised).select_related('manufacturer').first()
        if maker_name and maker_name.manufacturer_id not in (self.owner_id, self.made_by_id):
            errors['name'] = (
                f'"{self.name}" reads the same as "{maker_name.name}", a name of {maker_name.manufacturer}: '
                'the brand must be owned or made by that maker.'
            )
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        # clean() has already refused a clashing key, with a message naming the other brand.
        super().validate_unique(exclude={*(exclude or ()), 'normalised'})


class CorporateRelation(models.Model):
    """Ownership between makers: designations can extend to subsidiaries and affiliates."""

    class Kind(models.TextChoices):
        SUBSIDIARY = 'subsidiary', 'Subsidiary'
        AFFILIATE = 'affiliate', 'Affiliate'
        JOINT_VENTURE = 'joint_venture', 'Joint venture'

    parent = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name='child_relations')
    child = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name='parent_relations')
    kind = models.CharField(max_length=15, choices=Kind.choices)
    # Empty when not known to the day; the notes then say what the source gives (e.g. the year).
    since = models.DateField(null=True, blank=True)
    # The last day the relation held; empty while it still holds.
    until = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=500)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['parent__name', 'child__name']
        constraints = [
            models.UniqueConstraint(
                fields=['parent', 'child', 'kind'],
                name='unique_corporate_relation',
                violation_error_message='This relation is already recorded.',
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F('child')),
                name='relation_not_to_itself',
                violation_error_message='A maker cannot be related to itself.',
            ),
            models.CheckConstraint(
                condition=models.Q(since__isnull=True)
                | models.Q(until__isnull=True)
                | models.Q(until__gte=models.F('since')),
                name='relation_ends_after_it_starts',
                violation_error_message='The end date is before the start date.',
            ),
        ]

    def __str__(self) -> str:
        return f'{self.child} is a {self.get_kind_display().lower()} of {self.parent}'

    def get_absolute_url(self) -> str:
        return self.parent.get_absolute_url() + '#relations'

    def clean(self):
        if self.since and self.until and self.until < self.since:
            raise ValidationError({'until': _('The end date is before the start date.')})


class ConcernList(models.Model):
    """An instrument by which an authority designated makers of concern (a law, an order, a list)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    authority = models.CharField(max_length=200)
    instrument = models.CharField(max_length=300)
    jurisdiction = models.CharField(max_length=60)
    date = models.DateField(
        null=True,
        blank=True,
        help_text='Date the instrument took effect or was published; empty when the sources do not give it.',
    )
    # Whether designating a maker also covers its subsidiaries and affiliates (NDAA s.889 does).
    covers_affiliates = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    source_url = models.URLField(max_length=500)
    version = models.PositiveIntegerField(default=1, editable=False)

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
    date = models.DateField(help_text='Date the maker was named by the list.')
    scope = models.CharField(max_length=300, help_text='What is covered, e.g. "video surveillance equipment".')
    reason = models.CharField(max_length=25, choices=Reason.choices)
    source_url = models.URLField(max_length=500)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['concern_list', 'manufacturer__name']
        constraints = [
            models.UniqueConstraint(
                fields=['concern_list', 'manufacturer'],
                name='one_designation_per_list',
                violation_error_message='This maker is already designated by this list.',
            ),
        ]

    def __str__(self) -> str:
        return f'{self.manufacturer} – {self.concern_list}'

    def get_absolute_url(self) -> str:
        return self.concern_list.get_absolute_url() + '#designations'

    @property
    def authority(self) -> str:
        return self.concern_list.authority

    @property
    def instrument(self) -> str:
        return self.concern_list.instrument

    @property
    def jurisdiction(self) -> str:
        return self.concern_list.jurisdiction
