"""A piece of long work done by a worker, as the person who asked for it sees it.

The Job row is the record of the work whatever tasks backend runs it: the backend only carries
"run job N, attempt A" to a worker, so its own result store is never read (docs/tasks.md).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from oversight.core.dates import govuk_time
from oversight.core.labels import translated

from .querysets import JobQuerySet

# What a job's result counts, as its page names them: the keys are the handlers' own (register and returns
# imports, emails, scans); a key not named here is shown as it is.
RESULT_LABELS = {
    'create': gettext_noop('Created'),
    'created': gettext_noop('Created'),
    'update': gettext_noop('Updated'),
    'updated': gettext_noop('Updated'),
    'unchanged': gettext_noop('Unchanged'),
    'lines': gettext_noop('Lines'),
    'emailed': gettext_noop('Emailed'),
    'bodies without a contact': gettext_noop('Bodies without a contact'),
    'reminded': gettext_noop('Reminded'),
    'version': gettext_noop('Version'),
    'hosts': gettext_noop('Hosts'),
    'up': gettext_noop('Devices found'),
    'errors': gettext_noop('Devices with errors'),
    'concern': gettext_noop('Devices of concern'),
    'matched': gettext_noop('Matched to the register'),
    'undeclared': gettext_noop('Undeclared'),
    'mismatched': gettext_noop('Mismatched'),
    'unseen': gettext_noop('Register lines not seen'),
    'unseen_devices': gettext_noop('Devices not seen'),
}

# Why a queued or running task will not finish by itself (Job.stopped_reason): the page shows it in the reader's
# language, the API in English as the task's error.
STOPPED = {
    'worker_died': gettext_noop(
        'The worker running this task stopped (no sign of life since %(heartbeat_at)s). '
        'Nothing it was writing was kept.'
    ),
    'worker_died_kept': gettext_noop(
        'The worker running this task stopped (no sign of life since %(heartbeat_at)s). What it had done is kept: '
        'queued again, it does the rest.'
    ),
    'no_worker': gettext_noop(
        'No worker has taken this task since %(heartbeat_at)s: is a worker running (oversight worker)?'
    ),
    'lost': gettext_noop(
        'The task queue has no record of this task, queued at %(heartbeat_at)s: it was never handed over, or was '
        'lost. Queue it again.'
    ),
}


class Job(models.Model):
    class Kind(models.TextChoices):
        REGISTER_IMPORT = 'register_import', 'Register import'
        RETURNS_IMPORT = 'returns_import', 'Returns import'
        SCAN = 'scan', 'Scan processing'
        INVITATIONS = 'invitations', 'Invitations'
        REMINDERS = 'reminders', 'Reminders'
        REPORT_PDF = 'report_pdf', 'Report PDF'
        RECEIPT = 'receipt', 'Return receipt'
        ACCOUNT_INVITATION = 'account_invitation', 'Account invitation'

    class Status(models.TextChoices):
        QUEUED = 'queued', 'Queued'
        RUNNING = 'running', 'Running'
        DONE = 'done', 'Done'
        FAILED = 'failed', 'Failed'

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    organisation = models.ForeignKey(
        'organisations.Organisation', null=True, blank=True, on_delete=models.PROTECT, related_name='jobs'
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300)  # in English, as the API, the logs and the audit give it
    # The description's message (English, marked for the catalogue) and its values, so a page writes it in the
    # reader's language; empty for a job recorded before it was kept.
    wording = models.JSONField(default=dict, blank=True, editable=False)
    # What the task works on (primary keys, options): JSON so any backend can carry the job id alone.
    arguments = models.JSONField(default=dict, blank=True)
    # The backend's id of the attempt's task, recorded once it is handed over: without it, or with the backend
    # no longer knowing it, a queued attempt will never run.
    task_id = models.CharField(max_length=100, blank=True, editable=False)
    # An uploaded file the task reads (a scan), kept until the task is done so a retry reads it again.
    payload = models.BinaryField(default=b'', blank=True)
    # While queued or running, the same work (e.g. one file of one body) cannot be started twice.
    lock_key = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Each retry is a new attempt; a worker finishes only the attempt it claimed, so a stale worker that
    # wakes up again cannot overwrite a retry.
    attempt = models.PositiveIntegerField(default=1)
    stage = models.CharField(max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    # Every problem, each {row, column, message} (row and column empty when the problem is not in a row).
    errors = models.JSONField(default=list, blank=True)
    # Where the outcome is (the imported register, the PDF), once done.
    result_url = models.CharField('result address', max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ['-created', '-pk']
        indexes = [
            models.Index(fields=['organisation', '-created'], name='jobs_org_created'),
            models.Index(fields=['user', '-created'], name='jobs_user_created'),
            # The latest signs of life of the workers (JobQuerySet.workers_seen_since).
            models.Index(fields=['heartbeat_at'], name='jobs_heartbeat'),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=['lock_key'],
                condition=Q(status__in=['queued', 'running']) & ~Q(lock_key=''),
                name='jobs_one_active_per_lock_key',
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F('progress_total')) | Q(progress_total=0),
                name='jobs_progress_within_total',
            ),
        ]

    def __str__(self) -> str:
        return self.shown_description

    def get_absolute_url(self) -> str:
        return reverse('jobs:job_detail', args=[self.pk])

    @property
    def shown_result(self) -> list[tuple[str, str, object]]:
        """(key, label in the active language, value) of each count in the result."""
        return [
            (name, translated(RESULT_LABELS[name]) if name in RESULT_LABELS else capfirst(name), value)
            for name, value in self.result.items()
        ]

    @property
    def shown_description(self) -> str:
        """The description in the active language."""
        if not self.wording:
            return self.description
        return gettext(self.wording['message']) % self.wording['values']

    # Kinds whose emails are each recorded and sent in their own transaction as the task goes, not all or nothing:
    # rolling back those already sent would send them twice when run again.
    SENT_AS_IT_GOES = (Kind.INVITATIONS, Kind.REMINDERS)

    @property
    def all_or_nothing(self) -> bool:
        """Whether a failure, or a worker dying, leaves nothing of the task's work (see SENT_AS_IT_GOES)."""
        return self.kind not in self.SENT_AS_IT_GOES

    @cached_property
    def stopped_reason(self) -> str:
        """Why this queued or running task will not finish by itself (a key of STOPPED), or '' while it may.

        Running, its worker's heartbeat is the sign of life. Queued, it waits its turn while any worker shows life
        (a task claimed, running or finished within the stale limit), so a task behind a long one is not taken for
        stopped; it will not run if no worker does, or if the backend never got it or no longer holds it.
        """
        limit = timedelta(seconds=settings.OVERSIGHT_TASK_STALE_SECONDS)
        now = timezone.now()
        if self.status not in self.ACTIVE or now - self.heartbeat_at <= limit:
            return ''
        if self.status == self.Status.RUNNING:
            return 'worker_died' if self.all_or_nothing else 'worker_died_kept'
        if not self.task_id:
            return 'lost'
        if not Job.objects.workers_seen_since(now - limit):
            return 'no_worker'
        from .tasks import backend_holds  # the task module imports the handlers, which import every app's actions

        return '' if backend_holds(self.task_id) else 'lost'

    @property
    def is_stale(self) -> bool:
        return bool(self.stopped_reason)

    @property
    def stopped_message(self) -> str:
        """The reason it stopped, in the active language ('' while it may still finish)."""
        if not self.stopped_reason:
            return ''
        return gettext(STOPPED[self.stopped_reason]) % {'heartbeat_at': govuk_time(self.heartbeat_at)}

    # Kinds whose task keeps the uploaded file it reads, until it is done or the file's retention ends.
    WITH_FILE = (Kind.SCAN, Kind.RETURNS_IMPORT)

    @property
    def file_removed(self) -> bool:
        """A failed task's file is kept OVERSIGHT_RETAIN_IMPORT_FILES_DAYS (`oversight clean-up`), then not."""
        kept = timedelta(days=settings.OVERSIGHT_RETAIN_IMPORT_FILES_DAYS)
        return self.kind in self.WITH_FILE and self.finished_at is not None and timezone.now() - self.finished_at > kept

    @property
    def can_retry(self) -> bool:
        return (self.status == self.Status.FAILED or self.is_stale) and not self.file_removed

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def shown_status(self) -> str:
        return 'Failed (stopped)' if self.is_stale else self.get_status_display()

    @property
    def shown_state(self) -> str:
        """The status as shown_status reads it, as a value (core.status colours it)."""
        return 'stopped' if self.is_stale else self.status

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)
