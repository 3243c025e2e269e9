"""Survey campaigns: the questionnaire as data, invitations to bodies, their returns and corrections.

A body's answers live in `Return.answers`, keyed "<section>.<question>" (e.g. "drone.operates"). The
answer to a manufacturer-lines question is the list of lines, each {"manufacturer", "brand", "model",
"quantity"}: a return is one document, read, audited, corrected and imported as a whole, which keeps
a national campaign's ~150,000 lines to a few thousand rows. Lateness is never stored: it is the
submission time against the campaign's deadline.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from oversight.core.languages import in_welsh, shown
from oversight.register.models import Category

from .querysets import (
    CampaignQuerySet,
    CorrectionQuerySet,
    InvitationPartQuerySet,
    InvitationQuerySet,
    QuestionnaireQuerySet,
    ReturnQuerySet,
    ReviewQueryQuerySet,
)

FROZEN_MESSAGE = (
    'The questionnaire "{}" is frozen: a campaign using it has opened, so its questions can no longer change. '
    'Make a new version of it instead.'
)


class YesNoUnknown(models.TextChoices):
    YES = 'yes', _('Yes')
    NO = 'no', _('No')
    UNKNOWN = 'unknown', _('Not known')


class Questionnaire(models.Model):
    """One version of a questionnaire. Frozen once a campaign using it opens: answers must keep their meaning."""

    slug = models.SlugField(max_length=60, unique=True, help_text='Identifies this version, e.g. "police-2022".')
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    based_on = models.ForeignKey('self', null=True, blank=True, on_delete=models.PROTECT, related_name='next_versions')
    description = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ['slug']

    def __str__(self) -> str:
        return f'{self.title} (version {self.version})'

    def save(self, *args, freezing=False, **kwargs):
        # Only the freezing itself may write a frozen questionnaire (see actions.open_campaign).
        if self.pk and not freezing:
            self.refuse_if_frozen()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse('surveys:questionnaire_detail', args=[self.slug])

    def delete(self, *args, **kwargs):
        self.refuse_if_frozen()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def refuse_if_frozen(self) -> None:
        stored = type(self)._base_manager.filter(pk=self.pk).values_list('frozen_at', flat=True).first()
        if stored is not None:
            raise ValidationError(FROZEN_MESSAGE.format(self.slug), code='frozen')

    def clean(self):
        if self.pk:
            self.refuse_if_frozen()


class FrozenWithQuestionnaire(models.Model):
    """Sections and questions refuse every edit once their questionnaire is frozen."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._questionnaire().refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._questionnaire().refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _questionnaire(self) -> Questionnaire:
        raise NotImplementedError

    def clean(self):
        self._questionnaire().refuse_if_frozen()


class Section(FrozenWithQuestionnaire):
    """A part of the questionnaire: one per system category, and governance."""

    GOVERNANCE = 'governance'

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name='sections')
    code = models.SlugField(max_length=40, help_text='A category code, or "governance".')
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    introduction = models.TextField(blank=True)
    # The Welsh wording, for a bilingual campaign (docs/welsh.md); empty: the English is shown.
    title_cy = models.CharField('title in Welsh', max_length=200, blank=True)
    introduction_cy = models.TextField('introduction in Welsh', blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ['questionnaire', 'position']
        constraints = [models.UniqueConstraint(fields=['questionnaire', 'code'], name='unique_section_code')]

    def __str__(self) -> str:
        return self.title

    def _questionnaire(self):
        return self.questionnaire

    @property
    def shown_title(self) -> str:
        return shown(self.title, self.title_cy)

    @property
    def shown_introduction(self) -> str:
        return shown(self.introduction, self.introduction_cy)

    @property
    def title_in_english(self) -> bool:
        """Whether a Welsh page shows this title in English, for want of a Welsh one (marked lang="en-gb")."""
        return in_welsh() and not self.title_cy


class Question(FrozenWithQuestionnaire):
    """One question; its answer is stored under the key "<section code>.<question code>"."""

    class Kind(models.TextChoices):
        YES_NO_UNKNOWN = 'yes_no_unknown', 'Yes, no or not known'
        NUMBER = 'number', 'Whole number'
        CHOICE = 'choice', 'One choice'
        MULTIPLE_CHOICE = 'multiple_choice', 'Any of several choices'
        MANUFACTURER_LINES = 'manufacturer_lines', 'Manufacturer lines'
        TEXT = 'text', 'Free text'
        DATE = 'date', 'Date'

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name='questions')
    code = models.SlugField(max_length=40, help_text='Stable within the section, e.g. "operates".')
    number = models.CharField(max_length=10, help_text='As printed, e.g. "5.3".')
    text = models.TextField()
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True, help_text='[[value, label], ...] for choice questions.')
    # The Welsh wording, for a bilingual campaign (docs/welsh.md); empty: the English is shown.
    text_cy = models.TextField('text in Welsh', blank=True)
    help_text_cy = models.TextField('help text in Welsh', blank=True)
    choices_cy = models.JSONField(
        'choices in Welsh', default=list, blank=True, help_text='[[value, Welsh label], ...], the values as in choices.'
    )
    required = models.BooleanField(default=True, help_text='Must be answered before the return can be submitted.')
    # Asked only when another question of the same section has one of these answers.
    condition_question = models.SlugField(max_length=40, blank=True)
    condition_values = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    source_url = models.URLField(max_length=500, blank=True, help_text='Where the wording comes from.')

    class Meta:
        ordering = ['section__position', 'position']
        constraints = [models.UniqueConstraint(fields=['section', 'code'], name='unique_question_code')]

    def __str__(self) -> str:
        return f'{self.number} {self.text}'

    def _questionnaire(self):
        return self.section.questionnaire

    @property
    def key(self) -> str:
        return f'{self.section.code}.{self.code}'

    @property
    def condition_key(self) -> str:
        return f'{self.section.code}.{self.condition_question}' if self.condition_question else ''

    def choice_values(self) -> list[str]:
        if self.kind == self.Kind.YES_NO_UNKNOWN:
            return list(YesNoUnknown.values)
        return [value for value, _label in self.choices]

    def choice_pairs(self) -> list[tuple[str, str]]:
        """(value, label) for each choice, labelled in the active language."""
        if self.kind == self.Kind.YES_NO_UNKNOWN:
            return [(value, str(label)) for value, label in YesNoUnknown.choices]
        welsh = dict(self.choices_cy) if in_welsh() else {}
        return [(value, welsh.get(value) or label) for value, label in self.choices]

    @property
    def shown_text(self) -> str:
        return shown(self.text, self.text_cy)

    @property
    def shown_help_text(self) -> str:
        return shown(self.help_text, self.help_text_cy)

    @property
    def text_in_english(self) -> bool:
        """Whether a Welsh page shows this question in English, for want of a Welsh one (marked lang="en-gb")."""
        return in_welsh() and not self.text_cy


class Campaign(models.Model):
    """One survey sent to a set of bodies, with its dates, questionnaire and the concern list findings use."""

    class Status(models.TextChoices):
        DRAFT = 'draft', 'Draft'
        OPEN = 'open', 'Open'
        CLOSED = 'closed', 'Closed'

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60, unique=True, help_text='How commands name the campaign, e.g. "police-2022" or "2022".'
    )
    year = models.PositiveIntegerField(db_index=True)
    description = models.TextField(blank=True)
    recipients_group = models.ForeignKey(
        'organisations.OrganisationGroup',
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name='campaigns',
        help_text='The group whose bodies were invited; empty when the recipients were listed one by one.',
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name='campaigns')
    concern_list = models.ForeignKey(
        'vendors.ConcernList',
        on_delete=models.PROTECT,
        related_name='campaigns',
        help_text='The makers of concern the findings of this campaign are counted against.',
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text='Returns submitted after it are late.')
    late_cutoff = models.DateTimeField(
        'late-acceptance cut-off',
        null=True,
        blank=True,
        help_text='After it a submission is refused unless the regulator has extended it for that body.',
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reminder_interval_days = models.PositiveIntegerField(default=7, validators=[MinValueValidator(1)])
    reminder_cap = models.PositiveIntegerField(default=3, help_text='The most reminders any one body is sent.')
    illustrative = models.BooleanField(
        default=False, help_text='Demonstration data, not the real returns (the per-body returns are not public).'
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ['-year', 'title']
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True)
                | models.Q(opens_at__isnull=True)
                | models.Q(opens_at__lt=models.F('deadline')),
                name='campaign_opens_before_deadline',
            ),
            models.CheckConstraint(
                condition=models.Q(late_cutoff__isnull=True)
                | models.Q(deadline__isnull=True)
                | models.Q(deadline__lte=models.F('late_cutoff')),
                name='campaign_cutoff_not_before_deadline',
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_interval_days__gte=1), name='campaign_reminders_at_least_a_day_apart'
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse('surveys:campaign_detail', args=[self.slug])

    def clean(self):
        errors = {}
        if self.opens_at and self.deadline and self.opens_at >= self.deadline:
            errors['deadline'] = 'The deadline must be after the opening date.'
        if self.deadline and self.late_cutoff and self.late_cutoff < self.deadline:
            errors['late_cutoff'] = 'The late-acceptance cut-off cannot be before the deadline.'
        if errors:
            raise ValidationError(errors)

    @property
    def cutoff(self):
        """The last moment a submission is accepted without an extension."""
        return self.late_cutoff or self.deadline


class Invitation(models.Model):
    """A recipient body's place in a campaign: who was asked, when, reminders, and where its return stands."""

    class Status(models.TextChoices):
        NOT_STARTED = 'not_started', 'Not started'
        DRAFT = 'draft', 'Draft'
        SUBMITTED = 'submitted', 'Submitted'
        RETURNED = 'returned', 'Returned with a query'
        ACCEPTED = 'accepted', 'Accepted'

    RESPONDED = (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)
    # The body still has something to do.
    OUTSTANDING = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name='invitations')
    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='invitations')
    # An unguessable reference for the link in the invitation email; the page behind it still needs sign-in.
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    sent_at = models.DateTimeField(null=True, blank=True)
    extended_until = models.DateTimeField(
        null=True, blank=True, help_text="This body's own late-acceptance cut-off, set by the regulator."
    )
    extension_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ['campaign', 'organisation__name']
        constraints = [
            models.UniqueConstraint(fields=['campaign', 'organisation'], name='one_invitation_per_body'),
        ]

    def __str__(self) -> str:
        return f'{self.organisation} – {self.campaign}'

    def get_absolute_url(self) -> str:
        return reverse('surveys:invitation_detail', args=[self.pk])

    @property
    def cutoff(self):
        """The last moment this body may submit: the campaign's cut-off or its own extension."""
        cutoff = self.campaign.cutoff
        if self.extended_until and (cutoff is None or self.extended_until > cutoff):
            return self.extended_until
        return cutoff

    def past_cutoff(self, now=None) -> bool:
        cutoff = self.cutoff
        return cutoff is not None and (now or timezone.now()) > cutoff

    @property
    def has_responded(self) -> bool:
        return self.status in self.RESPONDED


class Contact(models.Model):
    """A named person at the body the invitation and its reminders go to."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name='contacts')
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=200, blank=True, help_text='e.g. "Senior Responsible Officer".')

    objects = InvitationPartQuerySet.as_manager()

    class Meta:
        ordering = ['invitation', 'name']

    def __str__(self) -> str:
        return f'{self.name} <{self.email}>'

    @property
    def organisation_id(self):
        return self.invitation.organisation_id


class Reminder(models.Model):
    """One reminder email sent for an invitation; the count per invitation is capped by the campaign."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name='reminders')
    sent_at = models.DateTimeField()
    recipients = models.TextField(help_text='The addresses it went to, one a line.')

    objects = InvitationPartQuerySet.as_manager()

    class Meta:
        ordering = ['invitation', 'sent_at']

    def __str__(self) -> str:
        return f'Reminder to {self.invitation.organisation} at {self.sent_at:%Y-%m-%d %H:%M}'

    @property
    def organisation_id(self):
        return self.invitation.organisation_id


class Return(models.Model):
    """A body's answers to a campaign's questionnaire: created by its first save, kept through review."""

    class Source(models.TextChoices):
        WEB = 'web', 'Web form'
        UPLOAD = 'upload', 'Uploaded workbook'
        IMPORT = 'import', 'Imported file'
        API = 'api', 'API'

    class GovernanceBasis(models.TextChoices):
        NONE = '', _('Not taken')
        SUBMISSION = 'submission', _('Taken at submission')
        RECONSTRUCTED = 'reconstructed', _('Reconstructed from the audit history')
        NOT_AVAILABLE = 'not_available', _('Not available')

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name='survey_return')
    # Denormalised from the invitation so scope and campaign counts are single-table filters.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name='returns')
    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.PROTECT, related_name='returns')
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text='First submission: lateness is measured from it.'
    )
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    # The body's governance records as they stood on the (last) submission (compliance.governance.snapshot),
    # so findings count them as submitted: one entry per system.
    governance = models.JSONField(default=list, blank=True, editable=False)
    # How `governance` was obtained, and the moment the records are as of: taken at submission; rebuilt from the
    # audit trail (an imported or older return); or not available, the register holding none of the body's
    # systems then. Empty while none was taken (a draft, or an older return not yet filled).
    governance_basis = models.CharField(
        max_length=20, choices=GovernanceBasis.choices, blank=True, default='', editable=False
    )
    governance_as_of = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    illustrative = models.BooleanField(
        default=False, help_text='Made up for the demonstration: the real per-body returns are not public.'
    )
    # The sections the body marked "completed" on the web; check your answers waits for them all.
    completed_sections = models.JSONField(default=list, blank=True)
    # Cross-checks against the register the body confirmed rather than fixed: [{"code", "message"}].
    confirmed_warnings = models.JSONField(default=list, blank=True)
    reference = models.CharField(
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text='Given at first submission, e.g. OVS-2026-7K4Q-9M2D.',
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    declarant_name = models.CharField(max_length=200, blank=True)
    declarant_role = models.CharField(max_length=200, blank=True)
    declared_for = models.CharField(
        'Senior Responsible Officer', max_length=200, blank=True, help_text='On whose behalf the return was declared.'
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ['campaign', 'organisation__name']
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(submitted_at__isnull=False),
                name='return_accepted_only_when_submitted',
            ),
            models.CheckConstraint(
                condition=models.Q(governance_basis='', governance_as_of__isnull=True)
                | (~models.Q(governance_basis='') & models.Q(governance_as_of__isnull=False)),
                name='return_governance_basis_has_its_date',
            ),
        ]

    def __str__(self) -> str:
        return f'Return of {self.organisation} to {self.campaign}'

    def get_absolute_url(self) -> str:
        return reverse('surveys:return_detail', args=[self.pk])

    @property
    def status(self) -> str:
        return self.invitation.status

    @property
    def is_late(self) -> bool | None:
        """Submitted after the deadline; None while unsubmitted or when the campaign has no deadline."""
        if self.submitted_at is None or self.campaign.deadline is None:
            return None
        return self.submitted_at > self.campaign.deadline

    @property
    def lateness(self):
        """How long after the deadline it was submitted (a timedelta), or None when on time."""
        return self.submitted_at - self.campaign.deadline if self.is_late else None

    @property
    def timeliness(self) -> str:
        """ "On time", or "Late: 101 days after the deadline", in the active language; empty while unsubmitted."""
        if self.is_late is None:
            return ''
        if not self.is_late:
            return gettext('On time')
        days = self.lateness.days
        if days < 1:
            return gettext('Late: less than a day after the deadline')
        late = ngettext('Late: %(days)s day after the deadline', 'Late: %(days)s days after the deadline', days)
        return late % {'days': days}


class ReviewQuery(models.Model):
    """A question the regulator asks about a return; the body answers it and resubmits."""

    survey_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name='queries')
    text = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    raised_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQueryQuerySet.as_manager()

    class Meta:
        ordering = ['survey_return', 'raised_at', 'pk']
        verbose_name_plural = 'review queries'

    def __str__(self) -> str:
        return f'Query on {self.survey_return.organisation}: {self.text[:60]}'

    @property
    def organisation_id(self):
        return self.survey_return.organisation_id

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Correction(models.Model):
    """A change to an accepted return. The old value is kept, so the original answer stays readable.

    `field` is an answer key ("body_worn_video.aware_of_concerns") or an attribute of one manufacturer
    line ("body_worn_video.manufacturers.1.manufacturer", counting lines from 1; ".removed" withdraws it).
    """

    survey_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name='corrections')
    field = models.CharField(max_length=120)
    field_label = models.CharField(max_length=300, help_text='The field as a person reads it, when corrected.')
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    reason = models.TextField()
    source = models.CharField(max_length=300, help_text='Who or what established the correct value.')
    date = models.DateField(help_text='When the correction was established.')
    publish_as_update = models.BooleanField(
        default=False, help_text='Published findings that used the old value carry an Update note.'
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    recorded_at = models.DateTimeField()

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ['survey_return', 'recorded_at', 'pk']

    def __str__(self) -> str:
        return f'Correction to {self.survey_return.organisation}: {self.field_label}'

    @property
    def organisation_id(self):
        return self.survey_return.organisation_id
