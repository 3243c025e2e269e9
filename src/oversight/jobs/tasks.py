"""The one task the tasks backend carries: "run attempt A of job N". Everything else is in the Job row."""

try:  # Django 6 has the tasks API built in; on Django 5.2 the django-tasks backport is the same API
    from django.tasks import task
except ImportError:
    from django_tasks import task

from . import handlers, runner


@task()
def run_job(job_id: int, attempt: int) -> str:
    return runner.run(job_id, attempt, handlers.HANDLERS)
