"""Running one attempt of a job in a worker: claim it, do the work, record the outcome.

The work of a handler and the job's "done" are written in one transaction: a worker killed midway
leaves nothing of the work (the database rolls the transaction back), the job stays "running" until
its heartbeat is old enough to show it stopped, and queueing it again runs the whole work afresh.
Emails are the exception (Job.SENT_AS_IT_GOES): each is kept as it is sent, and a retry does the rest.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, connections, transaction

from . import actions
from .models import Job

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    result: dict
    url: str = ''


class JobFailed(Exception):
    """The work was refused or stopped; `errors` are every problem, each {row, column, message}, and `result` counts
    what was done and kept before it stopped (a task sending emails as it goes)."""

    def __init__(self, errors: list[dict], result: dict | None = None):
        super().__init__(errors[0]['message'] if errors else 'failed')
        self.errors, self.result = errors, result or {}


def problem(message: str, row: int | None = None, column: str = '') -> dict:
    return {'row': row, 'column': column, 'message': message}


class Progress:
    """What a handler reports as it goes (`progress(done, total, stage)`), kept for the job's page.

    Written at once when no transaction is open; inside the work's transaction (whose writes nobody
    sees until it commits) the heartbeat thread writes it from its own connection.
    """

    def __init__(self, job: Job):
        self.job_id, self.attempt = job.pk, job.attempt
        self.done, self.total, self.stage = 0, 0, actions.STARTED
        self._written = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        if total is not None:
            self.total = total
        if stage is not None:
            self.stage = stage
        self.done = min(done, self.total) if self.total else 0
        if not connection.in_atomic_block and time.monotonic() - self._written >= 1:
            self.write()

    def write(self) -> None:
        self._written = time.monotonic()
        actions.record_progress(self.job_id, self.attempt, self.done, self.total, self.stage)


@contextmanager
def heartbeat(progress: Progress):
    """A thread that writes the job's progress and sign of life every few seconds while the work runs."""
    interval = settings.OVERSIGHT_TASK_HEARTBEAT_SECONDS
    if not interval:
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(interval):
                # SQLite may be locked by the work's own transaction: the next beat will do.
                with contextlib.suppress(DatabaseError):
                    progress.write()
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f'job-{progress.job_id}-heartbeat', daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


Handler = Callable[[Job, Progress], Outcome]


def run(job_id: int, attempt: int, handlers: dict[str, Handler]) -> str:
    if not actions.claim_job(job_id, attempt):
        return 'skipped'  # delivered twice, or queued again meanwhile: the newer attempt runs instead
    job = Job.objects.select_related('user', 'organisation').get(pk=job_id)
    logger.info('Task %s (attempt %s) started: %s', job_id, attempt, job.kind, extra={'job': job_id})
    outcome = _run(job, attempt, handlers[job.kind])
    logger.info('Task %s (attempt %s) %s', job_id, attempt, outcome, extra={'job': job_id, 'outcome': outcome})
    return outcome


def _run(job: Job, attempt: int, handler: Handler) -> str:
    job_id = job.pk
    progress = Progress(job)
    try:
        with heartbeat(progress):
            if job.all_or_nothing:
                with transaction.atomic():
                    outcome = handler(job, progress)
                    actions.finish_job(job_id, attempt, outcome.result, outcome.url)
            else:
                outcome = handler(job, progress)
                actions.finish_job(job_id, attempt, outcome.result, outcome.url)
    except actions.Superseded:
        return 'superseded'
    except JobFailed as exc:
        actions.fail_job(job_id, attempt, exc.errors, exc.result)
        return 'failed'
    except ValidationError as exc:
        actions.fail_job(job_id, attempt, [problem(message) for message in exc.messages])
        return 'failed'
    except PermissionDenied as exc:  # e.g. the person lost their role, or the scan token was revoked, meanwhile
        message = str(exc) or 'Whoever started this task may no longer do what it does: nothing was written.'
        actions.fail_job(job_id, attempt, [problem(message)])
        return 'failed'
    except Exception:
        logger.exception('Job %s (attempt %s) stopped with an unexpected error', job_id, attempt)
        kept = 'nothing it was doing was kept' if job.all_or_nothing else 'what it had done is kept'
        message = f'An unexpected error stopped the task; {kept}. Queue it again, or report it.'
        actions.fail_job(job_id, attempt, [problem(message)])
        return 'failed'
    return 'done'
