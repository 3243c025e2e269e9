"""What a body sets for its policy evaluation: the optional rule sets it applies, its review date,
and what replacing a device of each category costs it. The rules themselves are data (data/rules.json)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.register.models import Category

from .querysets import ObligationDecisionQuerySet, PolicySettingsQuerySet, UnitCostQuerySet


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


class ObligationDecision(models.Model):
    """What a body decided about one obligation, and how far replacing the equipment has got.

    Obligations are computed, not stored (policy.obligations): one per equipment line and applicable rule.
    A decision keys on that identity, (line, rule key), so it finds its obligation again on every evaluation.
    The line is kept as words in `equipment` as well: when a replaced line leaves the register the decision,
    and what replacing it cost, stay on record (the line becomes null). docs/policy.md, "Decisions".
    """

    class Decision(models.TextChoices):
        REPLACE = 'replace', _('Replace the equipment')
        ACCEPT = 'accept', _('Accept the risk')
        NOT_APPLICABLE = 'not_applicable', _('Not applicable')

    class Progress(models.TextChoices):
        NOT_STARTED = '', _('Not started')
        PLANNED = 'planned', _('Planned')
        ORDERED = 'ordered', _('Ordered')
        REPLACED = 'replaced', _('Replaced')

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='+')
    line = models.ForeignKey(
        'register.EquipmentLine', on_delete=models.SET_NULL, null=True, blank=True, related_name='decisions'
    )
    equipment = models.CharField(max_length=300, help_text='The line as it was described when decided.')
    devices = models.PositiveIntegerField(help_text='The number of devices on the line when decided.')
    rule = models.CharField(max_length=120, help_text='The rule set and rule, e.g. uk-wms-2022/no-core-network.')
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField(blank=True)
    approver = models.CharField(max_length=200, blank=True, help_text=_('Who approved accepting the risk.'))
    accepted_until = models.DateField(_('acceptance expires on'), null=True, blank=True)
    progress = models.CharField(max_length=10, choices=Progress.choices, blank=True)
    planned_on = models.DateField(_('planned for'), null=True, blank=True)
    ordered_on = models.DateField(null=True, blank=True)
    replaced_on = models.DateField(null=True, blank=True)
    actual_cost = models.DecimalField(
        _('actual cost (£)'),
        max_digits=13,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10_000_000_000)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name='+'
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ObligationDecisionQuerySet.as_manager()

    class Meta:
        ordering = ['organisation__name', 'equipment', 'rule']
        constraints = [
            models.UniqueConstraint(
                fields=['line', 'rule'], condition=Q(line__isnull=False), name='one_decision_per_obligation'
            ),
            models.CheckConstraint(
                condition=~Q(decision='accept') | (~Q(reason='') & ~Q(approver='') & Q(accepted_until__isnull=False)),
                name='decision_acceptance_has_reason_approver_and_expiry',
            ),
            models.CheckConstraint(
                condition=~Q(decision='not_applicable') | ~Q(reason=''), name='decision_not_applicable_has_reason'
            ),
            models.CheckConstraint(
                condition=Q(decision='replace')
                | Q(progress='', planned_on=None, ordered_on=None, replaced_on=None, actual_cost=None),
                name='decision_progress_only_for_replacing',
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(progress='replaced') | Q(replaced_on__isnull=False), name='decision_replaced_has_date'
            ),
            models.CheckConstraint(
                condition=~Q(progress='ordered') | Q(ordered_on__isnull=False), name='decision_ordered_has_date'
            ),
            models.CheckConstraint(condition=Q(actual_cost__gte=0), name='decision_cost_not_negative'),
        ]

    def __str__(self) -> str:
        return f'{self.get_decision_display()}: {self.equipment} ({self.rule})'

    def get_absolute_url(self) -> str:
        return reverse('policy:body', args=[self.organisation.slug]) + '#obligations'

    def clean(self):
        """The constraints' rules, each on the field to correct."""
        errors = {}
        if self.decision == self.Decision.ACCEPT:
            if not self.reason.strip():
                errors['reason'] = _('Say why the risk is accepted.')
            if not self.approver.strip():
                errors['approver'] = _('Enter who approved accepting the risk.')
            if self.accepted_until is None:
                errors['accepted_until'] = _('Enter the date the acceptance expires.')
        if self.decision == self.Decision.NOT_APPLICABLE and not self.reason.strip():
            errors['reason'] = _('Say why the obligation does not apply.')
        replacing = self.decision == self.Decision.REPLACE
        for name in ('progress', 'planned_on', 'ordered_on', 'replaced_on', 'actual_cost'):
            if not replacing and getattr(self, name) not in ('', None):
                errors[name] = _('Only a decision to replace records replacement progress: clear this.')
        if replacing and self.progress == self.Progress.ORDERED and self.ordered_on is None:
            errors['ordered_on'] = _('Enter the date the replacement was ordered.')
        if replacing and self.progress == self.Progress.REPLACED and self.replaced_on is None:
            errors['replaced_on'] = _('Enter the date the equipment was replaced.')
        if errors:
            raise ValidationError(errors)

    def state(self, today) -> str:
        """Where the obligation stands with this decision: an acceptance past its expiry is open again."""
        if self.decision == self.Decision.ACCEPT:
            return 'accepted' if self.accepted_until >= today else 'expired'
        if self.decision == self.Decision.REPLACE:
            return self.progress or 'replace'
        return self.decision


# Each state of an obligation (ObligationDecision.state, or 'open' without a decision): its label.
DECISION_STATES = {
    'open': _('Open: no decision'),
    'expired': _('Open: risk acceptance expired'),
    'accepted': _('Risk accepted'),
    'not_applicable': _('Not applicable'),
    'replace': _('To replace: not started'),
    'planned': _('Replacement planned'),
    'ordered': _('Replacement ordered'),
    'replaced': _('Replaced'),
}


class StoredEvaluation(models.Model):
    """A body's whole register (or, `organisation` None, every body's: the regulator's page across bodies)
    evaluated by the worker in the form its unfiltered policy page reads, so a web process that holds no
    evaluation of it serves the page without working it out (policy.stored).

    It stands for the register as of `revision` (policy.evaluation.revision) on the day `today`; any other
    revision or day, and it is not shown but worked out again. docs/architecture.md, "The first policy request".
    """

    organisation = models.ForeignKey(
        'organisations.Organisation', on_delete=models.CASCADE, related_name='+', null=True, blank=True
    )
    revision = models.JSONField()
    today = models.DateField()
    engine = models.CharField(max_length=64, help_text='Digest of the rules and the code that worked it out.')
    worked_out_at = models.DateTimeField()
    lines = models.PositiveIntegerField()
    # What the page shows besides its obligations and vulnerabilities: its counts, the plan's rows and days
    # (from which its timeline is counted), and the chart in each language.
    figures = models.JSONField()
    plan = models.JSONField()
    charts = models.JSONField(default=dict)
    # The rows shown are those of this generation: a store writes a new one beside them, then switches.
    generation = models.PositiveBigIntegerField(default=0)
    issued = models.PositiveBigIntegerField(default=0, help_text='The last generation a store was given.')

    class Meta:
        constraints = [
            # One per body and one across bodies (a unique key alone would allow any number without a body).
            models.UniqueConstraint(
                Coalesce('organisation', models.Value(0)), name='policy_one_stored_evaluation_per_body'
            ),
        ]

    def __str__(self) -> str:
        whose = self.organisation or 'every body'
        return f'Policy evaluation of {whose} stored at {self.worked_out_at:%Y-%m-%d %H:%M}'


class StoredObligation(models.Model):
    """One row of the stored evaluation's obligations table: which obligation, and where it stands in each of
    the table's orders (its rank by the column's value; rows of equal rank keep the page's order, `position`).
    The text is not stored: the rows of a page are evaluated again when shown, in the reader's language."""

    evaluation = models.ForeignKey(StoredEvaluation, on_delete=models.CASCADE, related_name='+')
    generation = models.PositiveBigIntegerField()
    line_id = models.PositiveBigIntegerField()  # not a key: a line deleted since makes the evaluation stale
    rule = models.CharField(max_length=120)
    position = models.PositiveIntegerField()
    equipment_rank = models.PositiveIntegerField()
    rule_rank = models.PositiveIntegerField()
    due_rank = models.PositiveIntegerField()
    body_rank = models.PositiveIntegerField(default=0)  # by the body's name: the page across bodies sorts by it

    class Meta:
        indexes = [
            models.Index(fields=['evaluation', 'generation', 'position'], name='policy_stored_ob_position'),
            models.Index(
                fields=['evaluation', 'generation', 'equipment_rank', 'position'], name='policy_stored_ob_equipment'
            ),
            models.Index(fields=['evaluation', 'generation', 'rule_rank', 'position'], name='policy_stored_ob_rule'),
            models.Index(fields=['evaluation', 'generation', 'due_rank', 'position'], name='policy_stored_ob_due'),
            models.Index(fields=['evaluation', 'generation', 'body_rank', 'position'], name='policy_stored_ob_body'),
        ]

    def __str__(self) -> str:
        return f'{self.rule} on line {self.line_id}'


class StoredVulnerability(models.Model):
    """One row of the stored evaluation's vulnerabilities table, as StoredObligation is of its obligations."""

    evaluation = models.ForeignKey(StoredEvaluation, on_delete=models.CASCADE, related_name='+')
    generation = models.PositiveBigIntegerField()
    line_id = models.PositiveBigIntegerField()
    cve = models.CharField(max_length=30)
    position = models.PositiveIntegerField()
    equipment_rank = models.PositiveIntegerField()
    cve_rank = models.PositiveIntegerField()
    status_rank = models.PositiveIntegerField()
    body_rank = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=['evaluation', 'generation', 'position'], name='policy_stored_vu_position')]

    def __str__(self) -> str:
        return f'{self.cve} on line {self.line_id}'
