"""The work each kind of job does, calling the owning app's actions as the person who started it.

A handler returns an `Outcome` or raises (`JobFailed` with every problem, or the action's
ValidationError). Unless it says otherwise (`atomic = False`) it runs in one transaction with the
job's "done", so it is all or nothing, and a retry after any failure starts from a clean state.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.register import actions as register_actions
from oversight.register.imports import read_batch
from oversight.register.models import ImportBatch

from .models import Job
from .runner import JobFailed, Outcome, Progress, problem

_REGISTER_LISTS = {ImportBatch.Kind.EQUIPMENT: 'register:equipment_list', ImportBatch.Kind.SITES: 'register:site_list'}


def register_import(job: Job, progress: Progress) -> Outcome:
    batch = ImportBatch.objects.get(pk=job.arguments['batch'])
    if batch.status == ImportBatch.Status.COMMITTED:
        # An earlier attempt committed it and was then taken for dead: the work is done, not to be done twice.
        return Outcome(batch.counts, reverse(_REGISTER_LISTS[batch.kind]))
    progress(0, 0, f'Checking and writing {batch.filename}')
    try:
        counts = register_actions.commit_import(job.user, batch, job.arguments.get('fingerprint'))
    except ValidationError as exc:
        if getattr(exc, 'code', None) == 'invalid':  # the file has problems: name each by row and column
            errors = [problem(e.message, e.row, e.column) for e in read_batch(batch).errors]
            raise JobFailed([problem(exc.messages[0]), *errors]) from exc
        raise
    return Outcome(counts, reverse(_REGISTER_LISTS[batch.kind]))


HANDLERS = {
    Job.Kind.REGISTER_IMPORT: register_import,
}
