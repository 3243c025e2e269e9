"""Every write to a task's record: starting it, queueing it again, and the worker's own bookkeeping.

A task is started inside the transaction of the action that asks for it and handed to the tasks
backend only when that transaction commits (`transaction.on_commit`), so a worker never looks for
a record that was rolled back, and a rolled-back request queues nothing.
"""

import hashlib
import re
import zlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from oversight.core.audit import record_change, record_changes
from oversight.core.dates import govuk_datetime
from oversight.core.logs import current_request_id
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, may_retry_job, sees_everything
from oversight.discovery import actions as discovery_actions
from oversight.register.actions import pending_batch
from oversight.register.models import ImportBatch
from oversight.surveys.models import Campaign

from .models import Job

Status = Job.Status


def _enqueue_on_commit(job: Job) -> None:
    """Hand the attempt to the backend once the record commits, and note the backend's id for it.

    If the backend refuses it then, the request that asked still stands (the record is committed); the attempt,
    never handed over, shows stopped after the stale limit and can be queued again (Job.stopped_reason).
    """
    from .tasks import run_job  # the task module imports the handlers, which import every app's actions

    job_id, attempt, request_id = job.pk, job.attempt, current_request_id()

    def enqueue():
        handed = run_job.enqueue(job_id, attempt, request_id)
        Job.objects.filter(pk=job_id, attempt=attempt).update(task_id=handed.id)

    transaction.on_commit(enqueue, robust=True)


def _state(job: Job) -> dict:
    return {'kind': job.kind, 'status': job.status, 'attempt': job.attempt, 'arguments': job.arguments}


def already_running(lock_key: str) -> Job | None:
    return Job.objects.filter(lock_key=lock_key, status__in=Job.ACTIVE).first()


def _busy(job: Job) -> ValidationError:
    return ValidationError(
        _(
            'The same work is already under way: "%(work)s" (task %(task)s, %(status)s). '
            'Wait for it to finish, or queue it again from its page if it stopped.'
        )
        % {'work': job.shown_description, 'task': job.pk, 'status': job.shown_status.lower()},
        code='protected',
    )


@transaction.atomic
def start_job(
    actor,
    kind: str,
    description: str,
    values: dict | None = None,
    *,
    organisation=None,
    arguments: dict | None = None,
    lock_key: str = '',
    payload: bytes = b'',
) -> Job:
    """Record the work and queue it once this transaction commits; the same `lock_key` cannot run twice at once.

    `description` is an English message marked for the catalogue (gettext_noop) with `values` for its placeholders:
    the job keeps both, so each page writes it in its reader's language.
    """
    if lock_key and (running := already_running(lock_key)) is not None:
        raise _busy(running)
    job = Job(
        organisation=organisation,
        user=actor if getattr(actor, 'pk', None) else None,
        kind=kind,
        description=(description % values if values else description)[:300],
        wording={'message': description, 'values': values or {}},
        arguments=arguments or {},
        lock_key=lock_key,
        payload=payload,
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError as exc:  # another request started it between the check and the insert
        raise _busy(already_running(lock_key) or job) from exc
    record_change(actor, job, ObjectChange.Action.CREATE, None, _state(job), f'Started: {job.description}')
    _enqueue_on_commit(job)
    return job


@transaction.atomic
def retry_job(actor, job: Job) -> Job:
    """Queue a failed or stopped task again, as a new attempt; the work is idempotent, so nothing is done twice."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    check(actor, may_retry_job, job)
    return _queue_again(actor, job, 'Queued again')


def _queue_again(actor, job: Job, message: str) -> Job:
    """A new attempt of `job`, locked by the caller in its transaction."""
    if not job.can_retry:
        raise ValidationError(
            _('This task is %(status)s: only a failed or stopped task is queued again.')
            % {'status': job.shown_status.lower()}
        )
    before = _state(job)
    now = timezone.now()
    job.status, job.attempt = Status.QUEUED, job.attempt + 1
    job.stage, job.progress_done, job.progress_total = '', 0, 0
    job.result, job.errors, job.result_url, job.task_id = {}, [], '', ''
    job.started_at, job.finished_at, job.heartbeat_at = None, None, now
    job.__dict__.pop('stopped_reason', None)  # worked out for the attempt before: this one may run
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError as exc:  # the same work was started afresh meanwhile
        raise _busy(already_running(job.lock_key) or job) from exc
    record_change(actor, job, ObjectChange.Action.UPDATE, before, _state(job), f'{message}: {job.description}')
    _enqueue_on_commit(job)
    return job


# The worker's bookkeeping. Each changes the row only for the attempt the worker claimed, so a worker
# that was taken for dead and comes back cannot touch a retry.


class Superseded(Exception):
    """The attempt this worker runs was queued again meanwhile: its work must not be kept."""


# What a job's page says it is at (fixed messages, marked for the catalogue and written in the reader's language
# when shown; a handler's own stages are marked where it reports them).
STARTED = gettext_noop('Started')


def claim_job(job_id: int, attempt: int) -> bool:
    """Mark the attempt running; False if it is not queued (delivered twice, or superseded by a retry)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, attempt=attempt, status=Status.QUEUED)
    return claimed.update(status=Status.RUNNING, started_at=now, heartbeat_at=now, stage=STARTED) == 1


def record_progress(job_id: int, attempt: int, done: int, total: int, stage: str) -> None:
    Job.objects.filter(pk=job_id, attempt=attempt, status=Status.RUNNING).update(
        progress_done=done, progress_total=total, stage=stage[:100], heartbeat_at=timezone.now()
    )


def _close(job_id: int, attempt: int, **fields) -> bool:
    now = timezone.now()
    running = Job.objects.filter(pk=job_id, attempt=attempt, status=Status.RUNNING)
    return running.update(finished_at=now, heartbeat_at=now, **fields) == 1


def finish_job(job_id: int, attempt: int, result: dict, url: str = '') -> None:
    """Done; run inside the work's own transaction, so the work and its "done" commit together or not at all."""
    # The uploaded file has served its purpose: what it made is in the database now.
    if not _close(
        job_id, attempt, status=Status.DONE, stage=gettext_noop('Done'), result=result, result_url=url, payload=b''
    ):
        raise Superseded


def fail_job(job_id: int, attempt: int, errors: list[dict], result: dict | None = None) -> None:
    """Failed, with every problem and the counts of what was kept (work sent as it goes: Job.SENT_AS_IT_GOES)."""
    _close(job_id, attempt, status=Status.FAILED, stage=gettext_noop('Failed'), errors=errors, result=result or {})


# Starting each kind of work: the owner's checks, then the job.


def register_import_key(organisation_id: int, sha256: str) -> str:
    return f'register-import:{organisation_id}:{sha256}'


@transaction.atomic
def queue_register_import(actor, batch, fingerprint: str | None = None) -> Job:
    """Commit a previewed register file in the background (`register.actions.commit_import`).

    One import of the same file of a body at a time: a re-upload of a file whose import is under way
    is refused, so the two cannot race (the commit itself refuses a file already imported).
    """
    batch = pending_batch(actor, batch)
    return start_job(
        actor,
        Job.Kind.REGISTER_IMPORT,
        REGISTER_IMPORT[batch.kind],
        {'file': batch.filename},
        organisation=batch.organisation,
        arguments={'batch': batch.pk, 'fingerprint': fingerprint},
        lock_key=register_import_key(batch.organisation_id, batch.sha256),
    )


# What a register import is described as, by the kind of register file.
REGISTER_IMPORT = {
    ImportBatch.Kind.SITES: gettext_noop('Import %(file)s (sites)'),
    ImportBatch.Kind.SYSTEMS: gettext_noop('Import %(file)s (systems)'),
    ImportBatch.Kind.EQUIPMENT: gettext_noop('Import %(file)s (equipment lines)'),
}


def refuse_while_importing(organisation, content: bytes) -> None:
    """Refuse an upload of a file whose import for the body is queued or running."""
    key = register_import_key(organisation.pk, hashlib.sha256(content).hexdigest())
    if (running := already_running(key)) is not None:
        raise ValidationError({'file': _busy(running).messages[0]}, code='protected')


def _campaign_emails(actor, campaign, kind: str, description: str, **arguments) -> Job:
    check(actor, sees_everything)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_('Open the campaign before emailing its bodies.'))
    return start_job(
        actor,
        kind,
        description,
        {'campaign': str(campaign)},
        organisation=getattr(actor, 'organisation', None),
        arguments={'campaign': campaign.pk, **arguments},
        lock_key=f'{kind}:{campaign.pk}',
    )


@transaction.atomic
def queue_invitations(actor, campaign) -> Job:
    """Email every body of the campaign not yet sent its invitation (`surveys.actions.invitations.send_invitations`)."""
    description = gettext_noop('Email the invitations to %(campaign)s')
    return _campaign_emails(actor, campaign, Job.Kind.INVITATIONS, description)


@transaction.atomic
def queue_reminders(actor, campaign, *, outstanding: bool = False) -> Job:
    """Email the reminders the campaign's schedule calls for now (`surveys.actions.invitations.send_due_reminders`),
    or with `outstanding`, a reminder by hand to every outstanding body (`remind_outstanding`).

    Both share one lock per campaign, so the schedule and "remind all" never email a body at the same time.
    """
    if outstanding:
        description = gettext_noop('Email a reminder to every outstanding body of %(campaign)s')
        return _campaign_emails(actor, campaign, Job.Kind.REMINDERS, description, outstanding=True)
    description = gettext_noop('Email the reminders due for %(campaign)s')
    return _campaign_emails(actor, campaign, Job.Kind.REMINDERS, description)


@transaction.atomic
def queue_receipt(actor, survey_return) -> Job | None:
    """Email the receipt of a submission (`surveys.actions.returns.send_receipt`) once the submission commits;
    no task when nobody would get one. Run again, it sends nothing twice."""
    from oversight.surveys.emails import receipt_recipients

    if not receipt_recipients(survey_return.invitation, actor):
        return None
    values = {'reference': survey_return.reference, 'body': str(survey_return.organisation)}
    if survey_return.reference:
        description = gettext_noop('Email the receipt of %(reference)s of %(body)s')
    else:
        description = gettext_noop('Email the receipt of the return of %(body)s')
    return start_job(
        actor,
        Job.Kind.RECEIPT,
        description,
        values,
        organisation=survey_return.organisation,
        arguments={'return': survey_return.pk, 'submitter': getattr(actor, 'pk', None)},
    )


# An Idempotency-Key is a client's name for one upload: printable ASCII without spaces, as HTTP headers carry.
IDEMPOTENCY_KEY = re.compile(r'[!-~]{1,200}')


def _earlier_scan(organisation, sha256: str, idempotency_key: str) -> Job | None:
    """The task that already took this upload: the same Idempotency-Key, or the same bytes for the same body.

    A task that failed made no scan, so its upload is taken again (and one that stopped is queued again by
    queue_scan); a key reused for other bytes is refused.
    """
    tasks = Job.objects.filter(kind=Job.Kind.SCAN, organisation=organisation).defer('payload')
    if idempotency_key:
        earlier = tasks.filter(arguments__idempotency_key=idempotency_key).first()
        if earlier is not None and earlier.arguments.get('sha256') != sha256:
            raise ValidationError(
                _(
                    'The Idempotency-Key "%(key)s" was used for a different upload (task %(task)s): '
                    'send a new key with a new file, or the same file again with this key.'
                )
                % {'key': idempotency_key, 'task': earlier.pk},
                code='key_reused',
            )
        if earlier is not None and earlier.status != Status.FAILED:
            return earlier
    return tasks.filter(arguments__sha256=sha256).exclude(status=Status.FAILED).first()


@transaction.atomic
def queue_scan(
    actor, organisation, content: bytes, *, source: str, filename: str = '', token=None, idempotency_key: str = ''
) -> tuple[Job, bool]:
    """Identify and reconcile an uploaded scan in the background (`discovery.actions.record_scan`).

    What can be told at once (who, which body, the scan line) is refused now; the rest, every line read,
    every device identified and compared with the register, is the worker's, and its task names each bad
    line. The upload is kept compressed (25 MB of JSON lines is about 1 MB). An upload made
    before (the same bytes for the same body, or the same `idempotency_key`) is not made twice: the
    task that took it is returned, with False for "not new", and through it the scan it made; if that
    task stopped (its worker died), it is queued again and returned as new.
    """
    if idempotency_key and not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise ValidationError(
            {'idempotency_key': _('An Idempotency-Key is 1 to 200 printable characters without spaces.')}
        )
    discovery_actions.check_upload(actor, organisation, content, filename=filename, token=token)
    sha256 = hashlib.sha256(content).hexdigest()
    if (earlier := _earlier_scan(organisation, sha256, idempotency_key)) is not None:
        if earlier.is_stale:  # its worker died or it never ran: the upload is a person's way of asking again
            return _scan_again(actor, earlier)
        return earlier, False
    lock_key = f'scan:{organisation.pk}:{sha256}'
    description = gettext_noop('Scan %(file)s') if filename else gettext_noop('Scan uploaded by %(user)s')
    try:
        job = start_job(
            actor,
            Job.Kind.SCAN,
            description,
            {'file': filename, 'user': getattr(actor, 'username', 'the agent')},
            organisation=organisation,
            arguments={
                'source': source,
                'filename': filename,
                'token': token.pk if token else None,
                'sha256': sha256,
                'idempotency_key': idempotency_key,
                'compressed': True,
            },
            lock_key=lock_key,
            payload=zlib.compress(content, 1),
        )
    except ValidationError as exc:
        # The same bytes arrived at once from elsewhere (another node): that upload's task is this one's.
        if exc.code == 'protected' and (running := already_running(lock_key)) is not None:
            return running, False
        raise
    return job, True


def _scan_again(actor, earlier: Job) -> tuple[Job, bool]:
    """The stopped task that took this upload, queued again with the file it kept; as it is if a worker took it
    up meanwhile. The uploader may: check_upload has allowed the upload itself."""
    job = Job.objects.select_for_update().get(pk=earlier.pk)
    if not job.can_retry:
        return job, False
    return _queue_again(actor, job, 'Queued again by an upload of the same file'), True


@transaction.atomic
def queue_publication(actor, report, *, note: str = '', expected_version=None, confirmed_unchecked: str = '') -> Job:
    """Publish a findings report in the background (`findings.actions.publish_report`): its checks are made
    now, with every reason for a refusal; the figures are frozen and the PDF rendered by a worker."""
    # Imported here: the findings actions bring WeasyPrint, which nothing else that starts tasks needs.
    from oversight.findings import actions as findings_actions

    findings_actions.check_publication(
        actor, report, expected_version=expected_version, confirmed_unchecked=confirmed_unchecked
    )
    return start_job(
        actor,
        Job.Kind.REPORT_PDF,
        gettext_noop('Publish %(report)s'),
        {'report': report.title},
        organisation=getattr(actor, 'organisation', None),
        arguments={
            'report': report.pk,
            'note': note,
            'expected_version': expected_version,
            'confirmed_unchecked': confirmed_unchecked,
        },
        lock_key=f'publication:{report.pk}',
    )


@transaction.atomic
def queue_returns_import(
    actor, reference: str, content: bytes, *, recipients: bytes | None = None, file_name=''
) -> Job:
    """Import survey returns from an interchange file in the background (`surveys.actions.imports.import_returns`);
    one import into a campaign at a time."""
    check(actor, sees_everything)
    if file_name:
        description = gettext_noop('Import returns from %(file)s into %(campaign)s')
    else:
        description = gettext_noop('Import returns from an interchange file into %(campaign)s')
    return start_job(
        actor,
        Job.Kind.RETURNS_IMPORT,
        description,
        {'file': file_name, 'campaign': reference},
        organisation=getattr(actor, 'organisation', None),
        # The recipients list is small text; the interchange file itself is the payload.
        arguments={
            'reference': reference,
            'file_name': file_name,
            'recipients': recipients.decode('utf-8-sig', 'replace') if recipients is not None else None,
        },
        lock_key=returns_import_key(reference),
        payload=content,
    )


def returns_import_key(reference: str) -> str:
    """One import into a campaign at a time, however it is named (slug or year); one the import would create is
    named by the slug it would get."""
    try:
        return f'returns-import:{Campaign.objects.lookup(reference).pk}'
    except (Campaign.DoesNotExist, Campaign.MultipleObjectsReturned):
        return f'returns-import:new:{reference.strip().lower()}'


# Retention (`oversight clean-up`).


@transaction.atomic
def clear_failed_task_files(before, *, dry_run: bool = False) -> int:
    """The uploaded files (a scan, an interchange file) kept by tasks that failed before `before`, so
    they could be queued again: past that they cannot be (Job.can_retry). A task that finished has
    already let its file go. A task silent since before `before` (its worker died, and nobody queued it
    again) is closed as failed then, with its audit row, so its file goes too and a new upload of the
    same file is taken afresh. Returns how many files went, or with dry_run how many would."""
    stopped = Job.objects.filter(status__in=Job.ACTIVE, heartbeat_at__lt=before).exclude(payload=b'')
    old = Job.objects.filter(status=Status.FAILED, finished_at__lt=before).exclude(payload=b'')
    if dry_run:
        return stopped.count() + old.count()
    _close_stopped(list(stopped.defer('payload')))
    return old.update(payload=b'')


def _close_stopped(jobs: list[Job]) -> None:
    """Failed as of their last sign of life, so their file's retention counts from then (Job.file_removed)."""
    changes = []
    for job in jobs:
        before = _state(job)
        job.status, job.stage, job.finished_at = Status.FAILED, gettext_noop('Failed'), job.heartbeat_at
        message = (
            f'It stopped on {govuk_datetime(job.heartbeat_at)} and was not queued again; its file was removed '
            'at the end of its retention.'
        )
        job.errors = [{'row': None, 'column': '', 'message': message}]
        changes.append((job, ObjectChange.Action.UPDATE, before, _state(job)))
    Job.objects.bulk_update(jobs, ['status', 'stage', 'finished_at', 'errors'])
    record_changes(None, changes, 'Closed: stopped, and its file past its retention')


@transaction.atomic
def remove_old_scans(before, *, dry_run: bool = False) -> int:
    """Scans past their retention (discovery keeps each body's newest), and the tasks that made them."""
    scans = discovery_actions.remove_old_scans(before, dry_run=dry_run)
    if not dry_run:
        _forget_scan_tasks(scans)
    return len(scans)


def _forget_scan_tasks(scans) -> int:
    """The tasks that made scans now removed: their outcome is gone, and the same file uploaded again
    must make a new scan rather than find its old task (queue_scan). Each has its audit row."""
    tasks = list(Job.objects.filter(kind=Job.Kind.SCAN, result_url__in=[s.get_absolute_url() for s in scans]))
    for job in tasks:
        record_change(None, job, ObjectChange.Action.DELETE, _state(job), None, 'Removed with the scan it made')
    return Job.objects.filter(pk__in=[j.pk for j in tasks]).delete()[0]
