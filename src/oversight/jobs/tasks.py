"""The one task the tasks backend carries: "run attempt A of job N". Everything else is in the Job row."""

try:  # Django 6 has the tasks API built in; on Django 5.2 the django-tasks backport is the same API
    from django.tasks import task
    from django.tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
except ImportError:
    from django_tasks import task
    from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from oversight.core.logs import bound_request_id

from . import handlers, runner


@task()
def run_job(job_id: int, attempt: int, request_id: str = '') -> str:
    # The id of the request that queued the work, so the worker's log lines join the web node's.
    with bound_request_id(request_id):
        return runner.run(job_id, attempt, handlers.HANDLERS)


def backend_holds(task_id: str) -> bool:
    """Whether the backend still holds the task, waiting or under way; assumed so by a backend that cannot tell."""
    if not run_job.get_backend().supports_get_result:
        return True
    try:
        return not run_job.get_result(task_id).is_finished
    except (TaskResultDoesNotExist, TaskResultMismatch):
        return False
