"""The one task the tasks backend carries: "run attempt A of job N". Everything else is in the Job row."""

try:  # Django 6 has the tasks API built in; on Django 5.2 the django-tasks backport is the same API
    from django.tasks import task
except ImportError:
    from django_tasks import task

from oversight.core.logs import bound_request_id

from . import handlers, runner


@task()
def run_job(job_id: int, attempt: int, request_id: str = '') -> str:
    # The id of the request that queued the work, so the worker's log lines join the web node's.
    with bound_request_id(request_id):
        return runner.run(job_id, attempt, handlers.HANDLERS)
