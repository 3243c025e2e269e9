"""Every write to a system's governance record and its evidence.

As in register/actions.py: each action runs in one transaction with its audit row (core.audit), `actor`
is the signed-in user, who must be an editor of the system's body (or None for the system itself), and an
edit takes the `expected_version` the editor started from, so a stale one is refused.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import delete_audited, lock_at_version, save_audited
from oversight.core.permissions import check, may_edit_body
from oversight.register.models import System

from . import reviews
from .evidence import check_evidence, stored_name
from .models import (
    RECORDED_FIELDS,
    Answer,
    Assessment,
    Evidence,
    Governance,
    PlanAction,
    Principle,
    ReviewTask,
    Transparency,
)


@transaction.atomic
def record_governance(actor, system, expected_version: int | None = None, *, message: str = '', **fields) -> Governance:
    """Create the system's governance record, or change it: one record per system, whichever comes first."""
    check(actor, may_edit_body, system.organisation_id)
    unknown = set(fields) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f'not governance fields: {", ".join(sorted(unknown))}')
    # Locked, so two first saves of the same system cannot both create a record.
    record = Governance.objects.select_for_update().filter(system=system).first() or Governance(system=system)
    used_before = record.facial_recognition
    for name, value in fields.items():
        setattr(record, name, value)
    _refuse_dates_ahead(record, timezone.localdate())
    record = save_audited(actor, record, message, expected_version=expected_version if record.pk else None)
    if reviews.more_intrusive(used_before, record.facial_recognition):
        reviews.facial_recognition_more_intrusive(record, used_before)
    # A DPIA renewed or a certificate renewed resolves its task now, not at the next daily run.
    reviews.refresh(timezone.localdate(), System.objects.filter(pk=system.pk))
    return record


def _refuse_dates_ahead(record: Governance, today) -> None:
    """A DPIA or a certificate is recorded once it exists: dated ahead, a DPIA would settle every change until then."""
    errors = {}
    if record.dpia_completed_on and record.dpia_completed_on > today:
        errors['dpia_completed_on'] = _('The date the DPIA was completed must be today or in the past.')
    if record.certified_on and record.certified_on > today:
        errors['certified_on'] = _('The date the certificate was issued must be today or in the past.')
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_evidence(actor, system, upload, *, title: str, principle=None, message: str = '') -> Evidence:
    """Keep an uploaded file as evidence for the system, once its content shows it is an accepted kind."""
    check(actor, may_edit_body, system.organisation_id)
    kind = check_evidence(upload)
    evidence = Evidence(
        system=system,
        principle=principle,
        title=title,
        filename=stored_name(upload.name),
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, 'pk', None) else None,
    )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence.file.save(evidence.filename, upload, save=False)
    # A file stored for a row that is then refused would be orphaned: it goes with the refusal.
    try:
        return save_audited(actor, evidence, message or f'Uploaded {evidence.filename} (sha256 {digest.hexdigest()})')
    except Exception:
        evidence.file.delete(save=False)
        raise


@transaction.atomic
def delete_evidence(actor, evidence: Evidence) -> None:
    """Remove the evidence and, once that is committed, its file."""
    check(actor, may_edit_body, evidence.system.organisation_id)
    stored = evidence.file.name
    storage = evidence.file.storage
    delete_audited(actor, evidence)
    transaction.on_commit(lambda: storage.delete(stored))


# Self-assessments


def _require_open(assessment: Assessment) -> None:
    if assessment.frozen:
        raise ValidationError(
            _('%(assessment)s is frozen and cannot change: start a new version.') % {'assessment': assessment},
            code='frozen',
        )


def _lock_open(assessment: Assessment) -> None:
    """Lock the assessment and refuse if it is frozen now, whatever the page showed when it was opened."""
    lock_at_version(assessment, None)
    assessment.refresh_from_db(fields=['frozen_on'])
    _require_open(assessment)


@transaction.atomic
def start_assessment(actor, system) -> Assessment:
    """A new open assessment of the system: a copy of its latest frozen one, if any, to revise."""
    check(actor, may_edit_body, system.organisation_id)
    System.objects.select_for_update().filter(pk=system.pk).first()  # two starts at once: one waits
    latest = Assessment.objects.filter(system=system).order_by('-number').first()
    if latest is not None and not latest.frozen:
        raise ValidationError(
            _('%(latest)s is still open: freeze it before starting a new version.') % {'latest': latest}, code='open'
        )
    assessment = save_audited(actor, Assessment(system=system, number=(latest.number + 1) if latest else 1))
    if latest is not None:
        if covered := list(latest.also_covers.all()):
            save_audited(actor, assessment, f'Group copied from version {latest.number}', m2m={'also_covers': covered})
        for answer in latest.answers.all():
            save_audited(actor, Answer(assessment=assessment, principle=answer.principle, response=answer.response,
                                       comment=answer.comment), f'Copied from version {latest.number}')  # fmt: skip
        for item in latest.plan.exclude(status=PlanAction.Status.DONE):
            copy = PlanAction(assessment=assessment, principle=item.principle, action=item.action, owner=item.owner,
                              due=item.due, status=item.status)  # fmt: skip
            save_audited(actor, copy, f'Carried over from version {latest.number}')
    return assessment


@transaction.atomic
def cover_systems(actor, assessment: Assessment, systems, expected_version=None) -> Assessment:
    """Make the open assessment one of a group: it answers for these other systems of its body too."""
    check(actor, may_edit_body, assessment.system.organisation_id)
    _lock_open(assessment)
    systems = list(systems)
    wrong = [s.name for s in systems if s.organisation_id != assessment.system.organisation_id]
    if wrong or assessment.system in systems:
        raise ValidationError({'also_covers': _('Choose other systems of the same body as the assessed system.')})
    names = ', '.join(sorted(s.name for s in systems)) or 'no other system'
    return save_audited(actor, assessment, f'Covers {names}', m2m={'also_covers': systems},
                        expected_version=expected_version)  # fmt: skip


@transaction.atomic
def answer_principle(actor, assessment: Assessment, principle, expected_version=None, **fields) -> Answer:
    """Record (or change) the assessment's answer for one principle."""
    check(actor, may_edit_body, assessment.system.organisation_id)
    _lock_open(assessment)
    answer = Answer.objects.filter(assessment=assessment, principle=principle).first()
    answer = answer or Answer(assessment=assessment, principle=principle)
    for name, value in fields.items():
        setattr(answer, name, value)
    return save_audited(actor, answer, expected_version=expected_version if answer.pk else None)


@transaction.atomic
def add_plan_action(actor, assessment: Assessment, principle, **fields) -> PlanAction:
    check(actor, may_edit_body, assessment.system.organisation_id)
    _lock_open(assessment)
    return save_audited(actor, PlanAction(assessment=assessment, principle=principle, **fields))


# What an editor changes on an action of a plan (its principle stays: add an action to another principle instead).
PLAN_ACTION_FIELDS = ('action', 'owner', 'due', 'status')


@transaction.atomic
def update_plan_action(actor, action: PlanAction, expected_version=None, /, **changes) -> PlanAction:
    """Change an action of an open assessment's plan: its text (`action=`, hence the positional-only parameters),
    owner, due date or status.

    An action done, or due later, clears the system's "action past due" task at once, not at the next daily run.
    """
    unknown = set(changes) - set(PLAN_ACTION_FIELDS)
    if unknown:
        raise TypeError(f'not plan action fields: {", ".join(sorted(unknown))}')
    assessment = action.assessment
    check(actor, may_edit_body, assessment.system.organisation_id)
    _lock_open(assessment)
    for name, value in changes.items():
        setattr(action, name, value)
    action = save_audited(actor, action, expected_version=expected_version)
    reviews.refresh(timezone.localdate(), System.objects.filter(pk=assessment.system_id))
    return action


@transaction.atomic
def discard_assessment(actor, assessment: Assessment, expected_version=None) -> None:
    """Discard an open self-assessment with its answers and plan: one started by mistake or no longer wanted, which
    would otherwise stop its system from ever being deleted. A frozen version is on record and is never discarded."""
    check(actor, may_edit_body, assessment.system.organisation_id)
    _lock_open(assessment)
    answers, planned = assessment.answers.count(), assessment.plan.count()
    delete_audited(
        actor,
        assessment,
        f'Discarded, with {answers} answers and {planned} actions',
        expected_version=expected_version,
    )
    # Its actions go with it, and so does any "action past due" they raised.
    reviews.refresh(timezone.localdate(), System.objects.filter(pk=assessment.system_id))


@transaction.atomic
def freeze_assessment(actor, assessment: Assessment, expected_version=None) -> Assessment:
    """Freeze a complete assessment as a version on record: every principle must be answered."""
    check(actor, may_edit_body, assessment.system.organisation_id)
    lock_at_version(assessment, expected_version)
    assessment.refresh_from_db()
    _require_open(assessment)
    missing = Principle.objects.exclude(pk__in=assessment.answers.values('principle'))
    if missing.exists():
        numbers = ', '.join(str(p.number) for p in missing)
        raise ValidationError(
            _('Answer every principle before freezing: principles %(numbers)s are unanswered.') % {'numbers': numbers}
        )
    assessment.frozen_on = timezone.now()
    assessment.frozen_by = actor if getattr(actor, 'pk', None) else None
    return save_audited(actor, assessment, 'Frozen', expected_version=expected_version)


# Review tasks (compliance.reviews raises them)


@transaction.atomic
def resolve_task(actor, task: ReviewTask, resolution: str, expected_version=None) -> ReviewTask:
    """An editor of the body marks an open task done, saying how."""
    check(actor, may_edit_body, task.organisation_id)
    lock_at_version(task, expected_version)
    task.refresh_from_db()
    if not task.is_open:
        raise ValidationError(_('This task has already been resolved.'), code='resolved')
    if not resolution.strip():
        raise ValidationError({'resolution': _('Say how the task was resolved.')})
    return reviews.close_task(actor, task, resolution.strip(), expected_version=expected_version)


def raise_review_tasks(today, organisation=None) -> tuple[int, int]:
    """The date-driven review tasks as of `today`, for one body or all: (raised, resolved)."""
    systems = System.objects.all() if organisation is None else System.objects.filter(organisation=organisation)
    with transaction.atomic():
        return reviews.refresh(today, systems)


# Publishing (principle 3): the body's choice, made and withdrawn by its editors and administrators.


@transaction.atomic
def publish_transparency(actor, organisation, expected_version=None) -> Transparency:
    """Publish the body's transparency page at /transparency/<body>/, for anyone to read without signing in."""
    check(actor, may_edit_body, organisation.pk)
    page = Transparency.objects.select_for_update().filter(organisation=organisation).first()
    page = page or Transparency(organisation=organisation)
    if page.published:
        raise ValidationError(_('The transparency page is already published.'), code='published')
    page.published_on = timezone.now()
    return save_audited(actor, page, 'Published', expected_version=expected_version if page.pk else None)


@transaction.atomic
def unpublish_transparency(actor, organisation, expected_version=None) -> Transparency:
    """Withdraw the body's transparency page: its public address becomes a 404."""
    check(actor, may_edit_body, organisation.pk)
    page = Transparency.objects.select_for_update().filter(organisation=organisation).first()
    if page is None or not page.published:
        raise ValidationError(_('The transparency page is not published.'), code='not_published')
    page.published_on = None
    return save_audited(actor, page, 'Withdrawn from publication', expected_version=expected_version)


def _publish_assessment(actor, assessment: Assessment, expected_version, publish: bool) -> Assessment:
    check(actor, may_edit_body, assessment.system.organisation_id)
    lock_at_version(assessment, expected_version)
    assessment.refresh_from_db()
    if publish and not assessment.frozen:
        raise ValidationError(
            _('Freeze %(assessment)s before publishing it.') % {'assessment': assessment}, code='open'
        )
    if publish and assessment.published_on:
        raise ValidationError(
            _('%(assessment)s is already published.') % {'assessment': assessment}, code='already_published'
        )
    if not publish and not assessment.published_on:
        raise ValidationError(_('%(assessment)s is not published.') % {'assessment': assessment}, code='not_published')
    assessment.published_on = timezone.now() if publish else None
    message = 'Published' if publish else 'Withdrawn from publication'
    return save_audited(actor, assessment, message, expected_version=expected_version)


@transaction.atomic
def publish_assessment(actor, assessment: Assessment, expected_version=None) -> Assessment:
    """Publish a frozen self-assessment on the body's transparency page (shown there while the page is published)."""
    return _publish_assessment(actor, assessment, expected_version, publish=True)


@transaction.atomic
def unpublish_assessment(actor, assessment: Assessment, expected_version=None) -> Assessment:
    return _publish_assessment(actor, assessment, expected_version, publish=False)
