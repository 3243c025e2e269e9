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
