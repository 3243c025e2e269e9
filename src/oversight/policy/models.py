"""What a body sets for its policy evaluation: the optional rule sets it applies, its review date,
and what replacing a device of each category costs it. The rules themselves are data (data/rules.json)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from oversight.register.models import Category

from .querysets import PolicySettingsQuerySet, UnitCostQuerySet


class PolicySettings(models.Model):
    """One body's choices: optional rule sets (e.g. NDAA s.889) and the date it reviews removal by."""

    organisation = models.OneToOneField(
        'organisations.Organisation', on_delete=models.PROTECT, related_name='policy_settings'
    )
    rule_sets = models.JSONField(
        default=list, blank=True, help_text='Slugs of the optional rule sets this body applies to itself.'
    )
    review_by = models.DateField(
        'review removal by',
        null=True,
        blank=True,
        help_text='When "consider removal" obligations are due where no scheduled upgrade comes sooner. '
        'Empty: the end of the current financial year (31 March).',
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PolicySettingsQuerySet.as_manager()

    class Meta:
        verbose_name = 'policy settings'
        verbose_name_plural = 'policy settings'

    def __str__(self) -> str:
        return f'Policy settings of {self.organisation}'

    def get_absolute_url(self) -> str:
        return reverse('policy:body', args=[self.organisation.slug])


class UnitCost(models.Model):
    """What replacing one device of a category costs a body (equipment and installation), in pounds."""

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='unit_costs')
    category = models.CharField(max_length=20, choices=Category.choices)
    cost = models.DecimalField(
        'cost per device (£)',
        max_digits=11,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(10_000_000)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UnitCostQuerySet.as_manager()

    class Meta:
        ordering = ['organisation__name', 'category']
        constraints = [
            models.UniqueConstraint(fields=['organisation', 'category'], name='one_unit_cost_per_category'),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name='unit_cost_not_negative'),
        ]

    def __str__(self) -> str:
        return f'{self.get_category_display()}: £{self.cost:,.2f} per device ({self.organisation})'

    def get_absolute_url(self) -> str:
        return reverse('policy:body', args=[self.organisation.slug])


class KevCatalogue(models.Model):
    """The Known Exploited Vulnerabilities catalogue in use: one row, replaced whole by `oversight refresh-kev`.

    Kept in the database so a refresh reaches every node at once; `revision` counts refreshes, so each
    process knows when the entries it holds (policy.vulnerabilities.current) are out of date.
    """

    title = models.CharField(max_length=200)
    catalogue_version = models.CharField(max_length=50, help_text="CISA's catalogVersion.")
    date_released = models.CharField(max_length=50, help_text="CISA's dateReleased, as the catalogue gives it.")
    source = models.TextField(help_text='Where the catalogue came from, and how its entries were selected.')
    refreshed = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = 'KEV catalogue'

    def __str__(self) -> str:
        return f'KEV catalogue version {self.catalogue_version}'


class KevEntry(models.Model):
    """One catalogue entry about cameras or recorders, exactly as its source gives it, and that source."""

    cve = models.CharField('CVE', max_length=30, unique=True)
    # Known only from secondary sources until CISA's catalogue carries it (policy.md).
    secondary = models.BooleanField(default=False)
    position = models.PositiveIntegerField(help_text='Its place in the catalogue, so the order is kept.')
    entry = models.JSONField()
    source = models.TextField()

    class Meta:
        ordering = ['secondary', 'position']
        verbose_name = 'KEV entry'
        verbose_name_plural = 'KEV entries'

    def __str__(self) -> str:
        return self.cve
