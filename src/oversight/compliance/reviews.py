"""Review triggers: what raises a body's review tasks (models.ReviewTask), and what resolves them again.

Event-driven triggers arrive as signals the lower apps send without knowing this app (register.signals,
discovery.signals; connected in apps.py), inside the transaction of the change that fired them. Date-driven
ones are found by `refresh`, which `oversight raise-review-tasks` runs daily; it is idempotent, so running it
twice raises and resolves nothing twice. Every raise and resolution is an audited write (actor None: the
service itself). docs/compliance.md, "What needs doing".
"""

import datetime
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from oversight.core.audit import record_changes, save_audited, snapshot
from oversight.core.dates import govuk_date
from oversight.core.models import ObjectChange

from .models import Assessment, Governance, PlanAction, ReviewTask
from .querysets import certification_status, dpia_status

Kind = ReviewTask.Kind


def _open(kind: str, **lookup):
    return ReviewTask.objects.filter(kind=kind, resolved_at__isnull=True, **lookup)


def _occurrence(when, reason: str) -> dict:
    return {'raised_at': when.isoformat(), 'reason': reason}


def _repeats(task: ReviewTask, reason: str) -> bool:
    """Whether the cause is the one the task last had: given again, it says nothing new and is not repeated."""
    return bool(task.occurrences) and task.occurrences[-1]['reason'] == reason


def _raised_again(task: ReviewTask, reason: str) -> ReviewTask:
    """Add a cause to an open task."""
    if _repeats(task, reason):
        return task
    task.occurrences = [*task.occurrences, _occurrence(timezone.now(), reason)]
    return save_audited(None, task, f'Raised again: {reason}'[:300])


def _new_task(organisation_id, system, kind: str, reason: str, due, source, now) -> ReviewTask:
    """A task raised now, unsaved: its first cause is its reason; what raised it, by type and key."""
    task = ReviewTask(
        organisation_id=organisation_id,
        system=system,
        kind=kind,
        reason=reason,
        raised_at=now,
        due=due,
        occurrences=[_occurrence(now, reason)],
    )
    if source is not None:
        task.source_type = ContentType.objects.get_for_model(source)
        task.source_id = str(source.pk)
    return task


@transaction.atomic
def raise_task(organisation_id, kind: str, reason: str, *, system=None, due=None, source=None) -> ReviewTask:
    """The open task of this kind for the system (or body-wide, without one), with this cause: raised now if there
    is none, otherwise the cause is added to it (locked, so two firings at once both keep theirs)."""
    lookup = {'system': system} if system is not None else {'organisation_id': organisation_id, 'system': None}
    found = _open(kind, **lookup).select_for_update().first()
    if found is not None:
        return _raised_again(found, reason)
    now = timezone.now()
    task = _new_task(organisation_id, system, kind, reason, due, source, now)
    try:
        with transaction.atomic():
            return save_audited(None, task, f'Raised: {reason}'[:300])
    except IntegrityError:
        # Raised by someone else in between: the one-open-task constraint kept it single; this cause joins it.
        return _raised_again(_open(kind, **lookup).select_for_update().get(), reason)


class Wanted(NamedTuple):
    """A system's task to raise, with its cause (`raise_tasks`)."""

    system: object
    reason: str
    due: datetime.date | None = None
    source: object = None


def _state(task: ReviewTask) -> dict:
    """The task as its audit rows record it."""
    state = snapshot(task)
    state.pop('version', None)
    return state


@transaction.atomic
def raise_tasks(kind: str, wanted: list[Wanted]) -> int:
    """`raise_task` for many systems at once, in a few queries whatever their number (an import moving the
    cameras of a thousand systems, the daily refresh's first run): the open tasks locked together, the causes
    added to them in one update, the new ones inserted together, one audit row each as `raise_task` writes.
    How many were raised new."""
    by_system = {each.system.pk: each for each in wanted}
    held = {
        task.system_id: task for task in _open(kind, system_id__in=list(by_system)).select_for_update().order_by('pk')
    }
    for system_id, task in held.items():
        task.system = by_system[system_id].system  # named by its audit row: not read again for each
    now = timezone.now()
    again, new = [], []
    for system_id, each in by_system.items():
        task = held.get(system_id)
        if task is None:
            new.append(
                _new_task(each.system.organisation_id, each.system, kind, each.reason, each.due, each.source, now)
            )
        elif not _repeats(task, each.reason):
            before = _state(task)
            task.occurrences = [*task.occurrences, _occurrence(now, each.reason)]
            task.version += 1
            again.append((task, ObjectChange.Action.UPDATE, before, _state(task), f'Raised again: {each.reason}'[:300]))
    if again:
        ReviewTask.objects.bulk_update([task for task, *_ in again], ['occurrences', 'version'])
        record_changes(None, again)
    try:
        with transaction.atomic():
            ReviewTask.objects.bulk_create(new)
    except IntegrityError:
        # One raised by someone else in between: each settled on its own, as raise_task settles it.
        for task in new:
            each = by_system[task.system_id]
            raise_task(task.organisation_id, kind, each.reason, system=each.system, due=each.due, source=each.source)
        return len(new)
    record_changes(None, [(task, ObjectChange.Action.CREATE, None, _state(task), f'Raised: {task.reason}'[:300])
                          for task in new])  # fmt: skip
    return len(new)


def close_task(actor, task: ReviewTask, resolution: str, expected_version=None) -> ReviewTask:
    task.resolved_at = timezone.now()
    task.resolved_by = actor if getattr(actor, 'pk', None) else None
    task.resolution = resolution
    return save_audited(actor, task, f'Resolved: {resolution}'[:300], expected_version=expected_version)


def _resolve(tasks: list[ReviewTask], resolution) -> int:
    """Resolve these tasks (locked by the caller) by the service itself, together; `resolution` is the words, or
    a function of the task giving them. As `close_task` would, one audit row each."""
    now, changes = timezone.now(), []
    for task in tasks:
        before = _state(task)
        words = resolution(task) if callable(resolution) else resolution
        task.resolved_at, task.resolved_by, task.resolution = now, None, words
        task.version += 1
        changes.append((task, ObjectChange.Action.UPDATE, before, _state(task), f'Resolved: {words}'[:300]))
    ReviewTask.objects.bulk_update(tasks, ['resolved_at', 'resolved_by', 'resolution', 'version'])
    record_changes(None, changes)
    return len(tasks)


def _resolve_open(tasks, resolution) -> int:
    # With the system and body its audit row names (PostgreSQL locks the task's row alone, not the joined ones).
    return _resolve(
        list(tasks.select_for_update(of=('self',)).select_related('system', 'organisation').order_by('pk')), resolution
    )


# Event-driven triggers


def cameras_changed(sender, *, organisation_id, changes: dict, **kwargs) -> None:
    """Cameras added, moved or removed: review the DPIA of each system that has one."""
    records = Governance.objects.filter(system_id__in=list(changes), dpia_completed_on__isnull=False)
    wanted = [
        Wanted(record.system, 'The register changed: ' + '; '.join(changes[record.system_id]) + '.', source=record)
        for record in records.select_related('system')
    ]
    raise_tasks(Kind.DPIA_CHANGE, wanted)


# Facial recognition uses from the least intrusive to the most: a move up this list is a new use for the DPIA
# (the DPIA template names facial recognition among the occasions for doing it again). Not recorded counts as none.
FACIAL_RECOGNITION_USES = (
    Governance.FacialRecognition.NONE,
    Governance.FacialRecognition.RETROSPECTIVE,
    Governance.FacialRecognition.OPERATOR_INITIATED,
    Governance.FacialRecognition.LIVE,
)


def _intrusiveness(use: str) -> int:
    return FACIAL_RECOGNITION_USES.index(use or Governance.FacialRecognition.NONE)


def more_intrusive(before: str, after: str) -> bool:
    """Whether facial recognition use `after` is more intrusive than `before` (none, retrospective,
    operator-initiated, live)."""
    return _intrusiveness(after) > _intrusiveness(before)


def facial_recognition_more_intrusive(record: Governance, before: str) -> None:
    """Facial recognition started, or its use became more intrusive (retrospective to live): review the DPIA."""
    now = record.get_facial_recognition_display()
    if _intrusiveness(before) == 0:
        reason = f'Facial recognition is now recorded as used: {now}.'
    else:
        was = Governance.FacialRecognition(before).label
        reason = f'Facial recognition use changed from {was} to {now}, a more intrusive use.'
    raise_task(record.system.organisation_id, Kind.DPIA_CHANGE, reason, system=record.system, source=record)


def scan_reconciled(sender, *, scan, **kwargs) -> None:
    """The body's latest scan found devices the register does not declare, or (no longer) none."""
    if type(scan).objects.filter(organisation_id=scan.organisation_id, uploaded__gt=scan.uploaded).exists():
        return  # an older scan compared again says nothing about the network now
    undeclared = scan.counts.get('undeclared', 0)
    if undeclared:
        reason = (
            f'The network scan of {govuk_date(timezone.localdate(scan.uploaded))} found {undeclared:,} '
            'devices the register does not declare: add them to the register, or say why they are not cameras.'
        )
        raise_task(scan.organisation_id, Kind.UNDECLARED, reason, source=scan)
    else:
        own = _open(Kind.UNDECLARED, organisation_id=scan.organisation_id, system=None)
        _resolve_open(own, 'The latest network scan found no undeclared devices.')


# Date-driven triggers


# Which statuses of a record (querysets.dpia_status, certification_status: the rule the lists and the API show)
# need a task, so a task is open exactly while the record says "Review due", "Expired" or "Expires within 90 days".
DPIA_NEEDING = ('due',)
CERTIFICATION_NEEDING = ('expired', 'expiring')


def _dpia_due(today, records) -> dict:
    needing = {}
    for r in records.annotate(status=dpia_status(on=today)).filter(status__in=DPIA_NEEDING):
        if r.dpia_review_due is None:
            reason = 'The DPIA has no next review date: review it, and record when its next review is due.'
        else:
            reason = f'The DPIA’s review was due on {govuk_date(r.dpia_review_due)}.'
        needing[r.system_id] = (reason, r.dpia_review_due, r)
    return needing


def _certification(today, records) -> dict:
    needing = {}
    for r in records.annotate(status=certification_status(on=today)).filter(status__in=CERTIFICATION_NEEDING):
        verb = 'expired' if r.status == 'expired' else 'expires'
        reason = f'The certificate {verb} on {govuk_date(r.certification_expires)}: renew the certification.'
        needing[r.system_id] = (reason, r.certification_expires, r)
    return needing


def _actions_due(today, systems) -> dict:
    """Actions not done and past due, in each system's latest self-assessment."""
    latest = Assessment.objects.filter(system=OuterRef('assessment__system')).order_by('-number').values('pk')[:1]
    late = (
        PlanAction.objects.filter(assessment__system__in=systems, due__lt=today, assessment=Subquery(latest))
        .exclude(status=PlanAction.Status.DONE)
        .select_related('assessment__system')
        .order_by('due')
    )
    found: dict = {}
    for action in late:
        found.setdefault(action.assessment.system_id, []).append(action)
    needing = {}
    for system_id, actions in found.items():
        assessment, count, earliest = actions[0].assessment, len(actions), actions[0].due
        reason = (
            f'{count} action{"s" if count != 1 else ""} of {assessment} past due '
            f'(the earliest was due on {govuk_date(earliest)}).'
        )
        needing[system_id] = (reason, earliest, assessment)
    return needing


# Why a date-driven task's cause has gone, by the status its record has now (no record: as with nothing recorded).
RESOLUTIONS = {
    Kind.DPIA_DUE: {
        'in_date': 'The DPIA was reviewed: its next review is not yet due.',
        'missing': 'The DPIA was removed from the governance record: no DPIA is recorded, so none is due for review.',
    },
    Kind.CERTIFICATION: {
        'valid': 'The certificate was renewed: it no longer expires within 90 days.',
        'none': 'The certificate was removed from the governance record: no certification is recorded to renew.',
    },
    Kind.ACTION_DUE: 'No action of the latest self-assessment is past due any more.',
}
NOTHING_RECORDED = {Kind.DPIA_DUE: 'missing', Kind.CERTIFICATION: 'none'}


def _cleared(kind: str, today, tasks):
    """The words resolving each of these tasks: for a record's task, by the status the record has now."""
    words = RESOLUTIONS[kind]
    if isinstance(words, str):
        return words
    status = dpia_status(on=today) if kind == Kind.DPIA_DUE else certification_status(on=today)
    now = dict(
        Governance.objects.filter(system__in=tasks.values('system'))
        .annotate(status=status)
        .values_list('system_id', 'status')
    )
    return lambda task: words[now.get(task.system_id, NOTHING_RECORDED[kind])]


def _latest_cause_day(task: ReviewTask) -> datetime.date:
    """The day of the task's latest cause: a DPIA done before it did not consider that change."""
    return timezone.localdate(task.causes[-1]['raised_at'] if task.occurrences else task.raised_at)


def refresh(today: datetime.date, systems) -> tuple[int, int]:
    """Raise and resolve the date-driven tasks of `systems` (register.System queryset) as of `today`, and
    resolve their DPIA-change tasks whose DPIA has been done since their latest cause. (raised, resolved)."""
    raised = resolved = 0
    records = Governance.objects.filter(system__in=systems).select_related('system')
    for kind, needing in (
        (Kind.DPIA_DUE, _dpia_due(today, records)),
        (Kind.CERTIFICATION, _certification(today, records)),
        (Kind.ACTION_DUE, _actions_due(today, systems)),
    ):
        open_ids = set(_open(kind, system__in=systems).values_list('system_id', flat=True))
        raised += raise_tasks(
            kind,
            [
                Wanted(source.system, reason, due, source)
                for system_id, (reason, due, source) in needing.items()
                if system_id not in open_ids
            ],
        )
        cleared = _open(kind, system__in=systems).exclude(system_id__in=needing)
        resolved += _resolve_open(cleared, _cleared(kind, today, cleared))
    # A DPIA done on or after the day of the task's latest cause (locked, so two runs resolve it once).
    changed = _open(Kind.DPIA_CHANGE, system__in=systems, system__governance__dpia_completed_on__isnull=False)
    done = [
        task
        for task in changed.select_for_update(of=('self',))
        .select_related('system__governance', 'organisation')
        .order_by('pk')
        if task.system.governance.dpia_completed_on >= _latest_cause_day(task)
    ]
    resolved += _resolve(
        done, lambda task: f'The DPIA was done again on {govuk_date(task.system.governance.dpia_completed_on)}.'
    )
    return raised, resolved
