"""Governance of a surveillance camera system, as the Surveillance Camera Code asks a body to keep it.

One record per register system: its purpose and lawful basis (principle 1), who is responsible
(principle 4: the senior responsible officer and the single point of contact), how long images are
kept (principle 6), the data protection impact assessment and its next review (principle 2), third-party
certification against the Code, and any use of facial recognition. docs/compliance.md gives the sources.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from oversight.core.querysets import OrganisationScopedQuerySet, ReferenceQuerySet

from .querysets import GovernanceQuerySet, TransparencyQuerySet

# The statuses querysets.dpia_status and certification_status compute: (label, GOV.UK tag colour).
DPIA_STATUS = {'missing': ('No DPIA', 'red'), 'due': ('Review due', 'orange'), 'in_date': ('In date', 'green')}
CERTIFICATION_STATUS = {
    'none': ('Not certified', 'grey'),
    'expired': ('Expired', 'red'),
    'expiring': ('Expires within 90 days', 'orange'),
    'valid': ('Certified', 'green'),
}


# What an editor records on a governance record (the form's fields, the action's keywords).
RECORDED_FIELDS = [
    'purpose',
    'lawful_basis',
    'sro_name',
    'spoc_name',
    'spoc_contact',
    'retention_days',
    'dpia_completed_on',
    'dpia_review_due',
    'dpia_trigger',
    'certification_scheme',
    'certification_body',
    'certification_step',
    'certified_on',
    'certification_expires',
    'facial_recognition',
]


class OwnedBySystem:
    @property
    def organisation_id(self):
        """The body owning the system: history is scoped by it (core.audit.organisation_of)."""
        return self.system.organisation_id


class Principle(models.Model):
    """One of the Code's 12 guiding principles: reference data, loaded with its source by a data migration.

    `wording_verified` is false where the wording was not confirmed against an authoritative copy of the
    Code; pages say so beside the text, and `source` says what is known of it.
    """

    number = models.PositiveSmallIntegerField(unique=True)
    text = models.TextField()
    wording_verified = models.BooleanField()
    source_url = models.URLField(max_length=500)
    source = models.TextField()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ['number']
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=12), name='principle_number_1_to_12'),
            models.CheckConstraint(condition=~Q(source_url='') & ~Q(source=''), name='principle_cites_its_source'),
        ]

    def __str__(self) -> str:
        return f'Principle {self.number}'


class Governance(OwnedBySystem, models.Model):
    class DpiaTrigger(models.TextChoices):
        # The occasions the DPIA template for surveillance cameras names for doing the assessment again.
        NEW_SYSTEM = 'new_system', 'A new system'
        CAMERAS_CHANGED = 'cameras_changed', 'Cameras added, moved or removed'
        UPGRADE = 'upgrade', 'The system was upgraded'
        FACIAL_RECOGNITION = 'facial_recognition', 'Facial recognition was introduced'
        SCHEDULED = 'scheduled', 'A scheduled review'
        OTHER = 'other', 'Another change'

    class CertificationBody(models.TextChoices):
        NSI = 'nsi', 'NSI (National Security Inspectorate)'
        SSAIB = 'ssaib', 'SSAIB'
        IQ_VERIFY = 'iq_verify', 'IQ Verify'
        OTHER = 'other', 'Another certification body'

    class CertificationStep(models.TextChoices):
        DESKTOP = 'step_1', 'Step 1: desktop certification'
        FULL = 'step_2', 'Step 2: full certification (audit and visit)'

    class FacialRecognition(models.TextChoices):
        NONE = 'none', 'Not used'
        RETROSPECTIVE = 'retrospective', 'Retrospective facial recognition'
        OPERATOR_INITIATED = 'operator_initiated', 'Operator-initiated facial recognition'
        LIVE = 'live', 'Live facial recognition'

    system = models.OneToOneField('register.System', on_delete=models.CASCADE, related_name='governance')
    purpose = models.TextField(blank=True, help_text='The specified purpose the system is used for (principle 1).')
    lawful_basis = models.TextField(
        blank=True, help_text='The law the processing relies on, e.g. Part 3 of the Data Protection Act 2018.'
    )
    sro_name = models.CharField('senior responsible officer', max_length=200, blank=True)
    spoc_name = models.CharField('single point of contact', max_length=200, blank=True)
    spoc_contact = models.CharField(
        'contact for the public', max_length=200, blank=True, help_text='An email address or a telephone number.'
    )
    retention_days = models.PositiveIntegerField(
        'retention period in days', null=True, blank=True, help_text='How long images are kept before deletion.'
    )
    dpia_completed_on = models.DateField('DPIA completed on', null=True, blank=True)
    dpia_review_due = models.DateField('DPIA next review due', null=True, blank=True)
    dpia_trigger = models.CharField('what prompted the DPIA', max_length=20, choices=DpiaTrigger.choices, blank=True)
    certification_scheme = models.CharField(
        max_length=200, blank=True, help_text="e.g. the Surveillance Camera Commissioner's third-party certification."
    )
    certification_body = models.CharField(max_length=20, choices=CertificationBody.choices, blank=True)
    certification_step = models.CharField(max_length=10, choices=CertificationStep.choices, blank=True)
    certified_on = models.DateField('certificate issued on', null=True, blank=True)
    certification_expires = models.DateField('certificate expires on', null=True, blank=True)
    facial_recognition = models.CharField(
        'facial recognition use', max_length=20, choices=FacialRecognition.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = GovernanceQuerySet.as_manager()

    class Meta:
        verbose_name = 'governance record'
        ordering = ['system__organisation__name', 'system__name']
        constraints = [
            models.CheckConstraint(
                condition=Q(dpia_review_due__isnull=True)
                | Q(dpia_completed_on__isnull=False, dpia_review_due__gt=F('dpia_completed_on')),
                name='governance_dpia_review_after_dpia',
                violation_error_message='The next review of a DPIA falls after the DPIA.',
            ),
            models.CheckConstraint(
                condition=Q(dpia_trigger='') | Q(dpia_completed_on__isnull=False),
                name='governance_dpia_trigger_has_dpia',
                violation_error_message='What prompted a DPIA is recorded with its date.',
            ),
            models.CheckConstraint(
                condition=Q(certified_on__isnull=True, certification_expires__isnull=True)
                | Q(certified_on__isnull=False, certification_expires__gt=F('certified_on')),
                name='governance_certificate_expires_after_issue',
                violation_error_message='A certificate has an issue date and an expiry date after it.',
            ),
            models.CheckConstraint(
                condition=Q(certified_on__isnull=True) | (~Q(certification_body='') & ~Q(certification_step='')),
                name='governance_certificate_has_body_and_step',
                violation_error_message='A certificate names its certification body and its step.',
            ),
            models.CheckConstraint(
                condition=Q(retention_days__isnull=True) | Q(retention_days__gte=1),
                name='governance_retention_at_least_a_day',
                violation_error_message='Images are kept for at least a day.',
            ),
        ]

    def __str__(self) -> str:
        return f'Governance of {self.system.name}'

    def get_absolute_url(self) -> str:
        return reverse('compliance:governance_detail', args=[self.system_id])

    @property
    def organisation(self):
        return self.system.organisation

    def clean(self):
        """The constraints' rules, each on the field to correct, in the editor's words."""
        errors = {}
        if self.dpia_review_due and not self.dpia_completed_on:
            errors['dpia_completed_on'] = 'Enter the date the DPIA was completed, or remove its review date.'
        elif self.dpia_review_due and self.dpia_review_due <= self.dpia_completed_on:
            errors['dpia_review_due'] = 'The next review must be after the date the DPIA was completed.'
        if self.dpia_trigger and not self.dpia_completed_on:
            errors['dpia_completed_on'] = 'Enter the date of the DPIA this prompted.'
        if self.certified_on or self.certification_expires:
            if not self.certified_on:
                errors['certified_on'] = 'Enter the date the certificate was issued.'
            elif not self.certification_expires:
                errors['certification_expires'] = 'Enter the date the certificate expires.'
            elif self.certification_expires <= self.certified_on:
                errors['certification_expires'] = 'The certificate must expire after the date it was issued.'
            if not self.certification_body:
                errors['certification_body'] = 'Choose the body that issued the certificate.'
            if not self.certification_step:
                errors['certification_step'] = 'Choose the step of certification.'
        if self.retention_days == 0:
            errors['retention_days'] = 'Enter a retention period of at least 1 day.'
        if errors:
            raise ValidationError(errors)


def evidence_path(instance, filename: str) -> str:
    # A name of our own: the uploader's name is kept in `filename` and only ever sent back as a download name.
    return f'evidence/{instance.system_id}/{uuid.uuid4().hex}'


class Evidence(OwnedBySystem, models.Model):
    """A document evidencing a system's governance (a DPIA, a certificate, a policy), optionally for a principle.

    Stored through Django's storage API (the site's STORAGES, so object storage works), checked by content
    when uploaded (compliance.evidence) and only ever served as a download.
    """

    # Kept: deleting the system would leave the file in storage (only delete_evidence removes it), unaudited.
    system = models.ForeignKey('register.System', on_delete=models.PROTECT, related_name='evidence')
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, null=True, blank=True, related_name='+')
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name='+'
    )

    objects = GovernanceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = 'evidence'
        ordering = ['system', 'principle__number', 'title', 'pk']
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name='evidence_is_not_empty'),
            models.CheckConstraint(condition=~Q(title='') & ~Q(filename=''), name='evidence_has_title_and_name'),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse('compliance:evidence_download', args=[self.pk])


class Assessment(OwnedBySystem, models.Model):
    """A self-assessment of one system against the 12 principles, numbered per system.

    While open it is answered and planned; frozen (`frozen_on`), it is a version on record and cannot change:
    a new version starts from a copy of it. A system has at most one open assessment.
    """

    # Kept: a version is on record, and the register refuses to delete an assessed system (holds_on_system).
    system = models.ForeignKey('register.System', on_delete=models.PROTECT, related_name='assessments')
    number = models.PositiveIntegerField()
    frozen_on = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name='+'
    )
    # An assessment of a group of systems: the others of the same body it answers for, beside `system`.
    also_covers = models.ManyToManyField(
        'register.System', blank=True, related_name='group_assessments', verbose_name='also covers'
    )
    # Published by the body on its transparency page (principle 3); only a frozen version can be.
    published_on = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = GovernanceQuerySet.as_manager()

    class Meta:
        ordering = ['system', '-number']
        constraints = [
            models.UniqueConstraint(fields=['system', 'number'], name='assessment_number_once_per_system'),
            models.UniqueConstraint(
                fields=['system'], condition=Q(frozen_on__isnull=True), name='assessment_one_open_per_system'
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name='assessment_number_from_1'),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(frozen_on__isnull=False),
                name='assessment_published_only_frozen',
                violation_error_message='Only a frozen self-assessment can be published.',
            ),
        ]

    def __str__(self) -> str:
        return f'Self-assessment {self.number} of {self.system.name}'

    def get_absolute_url(self) -> str:
        return reverse('compliance:assessment_detail', args=[self.pk])

    @property
    def frozen(self) -> bool:
        return self.frozen_on is not None


class Answer(models.Model):
    """How far a system meets one principle, in one assessment."""

    class Response(models.TextChoices):
        MET = 'met', 'Met'
        PARTLY = 'partly', 'Partly met'
        NOT_MET = 'not_met', 'Not met'
        NOT_APPLICABLE = 'not_applicable', 'Not applicable'

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name='answers')
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name='+')
    response = models.CharField(max_length=20, choices=Response.choices)
    comment = models.TextField(blank=True, help_text='How the system meets the principle, or what is missing.')
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ['assessment', 'principle__number']
        constraints = [
            models.UniqueConstraint(fields=['assessment', 'principle'], name='answer_once_per_principle'),
        ]

    def __str__(self) -> str:
        return f'{self.principle}: {self.get_response_display()}'

    @property
    def organisation_id(self):
        return self.assessment.system.organisation_id


class PlanAction(models.Model):
    """One action of an assessment's action plan for a principle."""

    class Status(models.TextChoices):
        OPEN = 'open', 'Not started'
        IN_PROGRESS = 'in_progress', 'In progress'
        DONE = 'done', 'Done'

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name='plan')
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name='+')
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = 'action'
        ordering = ['assessment', 'principle__number', 'due', 'pk']
        constraints = [models.CheckConstraint(condition=~Q(action='') & ~Q(owner=''), name='plan_action_has_owner')]

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def organisation_id(self):
        return self.assessment.system.organisation_id


def holds_on_system(system) -> list[str]:
    """What of this app's records still needs the system, in the editor's words (core.holds): the register
    refuses to delete a system while any does.

    A system covered by an open group assessment is refused too rather than taken out of the group: who the
    assessment answers for is the editor's choice on the assessment's page (with its version checked), not a
    side effect of tidying the register, and a query asked before a deletion writes nothing.
    """
    holds = []
    if count := system.assessments.count():
        holds.append(
            ngettext(
                '%(system)s has %(count)s self-assessment, kept as a compliance record: a system that has been '
                'assessed cannot be deleted.',
                '%(system)s has %(count)s self-assessments, kept as compliance records: a system that has been '
                'assessed cannot be deleted.',
                count,
            )
            % {'system': system, 'count': count}
        )
    covering = Assessment.objects.filter(also_covers=system).select_related('system').order_by('system__name', 'number')
    if frozen := [str(assessment) for assessment in covering if assessment.frozen]:
        holds.append(
            _('%(system)s is covered by %(assessments)s, frozen as a version on record: it cannot be deleted.')
            % {'system': system, 'assessments': ', '.join(frozen)}
        )
    if still_open := [str(assessment) for assessment in covering if not assessment.frozen]:
        holds.append(
            _('%(system)s is covered by %(assessments)s: remove it from the systems covered first.')
            % {'system': system, 'assessments': ', '.join(still_open)}
        )
    if count := system.evidence.count():
        holds.append(
            ngettext(
                '%(system)s has %(count)s evidence file: delete its evidence first.',
                '%(system)s has %(count)s evidence files: delete its evidence first.',
                count,
            )
            % {'system': system, 'count': count}
        )
    return holds


class ReviewTask(models.Model):
    """Something a body needs to do about its governance, raised by a review trigger (compliance.reviews).

    Event-driven kinds are raised when the register or a scan changes; date-driven ones by
    `oversight raise-review-tasks`. A task resolves itself when what raised it clears (a DPIA renewed, a
    certificate renewed, an action done), or is resolved by an editor. At most one task of a kind is open
    per system (or, for a body-wide kind, per body), so a trigger firing again does not duplicate it.
    """

    class Kind(models.TextChoices):
        DPIA_CHANGE = 'dpia_change', _('Review the DPIA after a change')
        UNDECLARED = 'undeclared', _('Reconcile undeclared devices')
        DPIA_DUE = 'dpia_due', _('DPIA review due')
        CERTIFICATION = 'certification', _('Certificate expiring')
        ACTION_DUE = 'action_due', _('Self-assessment action past due')

    organisation = models.ForeignKey('organisations.Organisation', on_delete=models.CASCADE, related_name='+')
    system = models.ForeignKey(
        'register.System', on_delete=models.CASCADE, null=True, blank=True, related_name='review_tasks'
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(help_text='What first raised the task, in words.')
    raised_at = models.DateTimeField(default=timezone.now)
    # Every cause, oldest first, the first being `reason`: [{"raised_at": ISO time, "reason": words}]. A trigger
    # firing again while the task is open adds its cause here (more cameras moved) instead of a second task.
    occurrences = models.JSONField(default=list, blank=True, editable=False)
    due = models.DateField(null=True, blank=True)
    # What raised it (a governance record, a scan, an assessment): by type and key, so lower apps need no link.
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name='+')
    source_id = models.CharField(max_length=40, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name='+'
    )
    resolution = models.TextField(blank=True, help_text='How it was resolved, in words.')
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _('review task')
        ordering = ['resolved_at', 'due', '-raised_at', 'pk']
        constraints = [
            models.UniqueConstraint(
                fields=['system', 'kind'],
                condition=Q(resolved_at__isnull=True, system__isnull=False),
                name='review_task_one_open_per_system_and_kind',
            ),
            models.UniqueConstraint(
                fields=['organisation', 'kind'],
                condition=Q(resolved_at__isnull=True, system__isnull=True),
                name='review_task_one_open_per_body_and_kind',
            ),
            models.CheckConstraint(condition=~Q(reason=''), name='review_task_has_a_reason'),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=''), name='review_task_resolution_in_words'
            ),
        ]

    def __str__(self) -> str:
        where = self.system.name if self.system_id else str(self.organisation)
        return f'{self.get_kind_display()}: {where}'

    def get_absolute_url(self) -> str:
        return reverse('compliance:task_detail', args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def causes(self) -> list[dict]:
        """The occurrences with their times as datetimes, oldest first, for the pages."""
        return [
            {'raised_at': datetime.datetime.fromisoformat(o['raised_at']), 'reason': o['reason']}
            for o in self.occurrences
        ]

    @property
    def status(self) -> str:
        """'overdue', 'open' or 'done': the tag shown for it (core.status)."""
        if self.resolved_at:
            return 'done'
        return 'overdue' if self.due and self.due < timezone.localdate() else 'open'

    @property
    def status_label(self) -> str:
        return TASK_STATUS_LABELS[self.status]


TASK_STATUS_LABELS = {'open': _('To do'), 'overdue': _('Overdue'), 'done': _('Done')}


class Transparency(models.Model):
    """Whether a body publishes its transparency page (principle 3): its choice, made and withdrawn by its editors.

    The page (compliance.public) shows what the body's governance records say of its systems, never its sites.
    """

    organisation = models.OneToOneField(
        'organisations.Organisation', on_delete=models.CASCADE, related_name='transparency'
    )
    published_on = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TransparencyQuerySet.as_manager()

    class Meta:
        verbose_name = 'transparency page'
        verbose_name_plural = 'transparency pages'

    def __str__(self) -> str:
        return f'Transparency page of {self.organisation.name}'

    def get_absolute_url(self) -> str:
        return reverse('compliance:transparency')

    @property
    def published(self) -> bool:
        return self.published_on is not None
