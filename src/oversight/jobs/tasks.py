"""The one task the tasks backend carries: "run attempt A of job N". Everything else is in the Job row."""

from django_tasks import task

from . import handlers, runner


@task()
def run_job(job_id: int, attempt: int) -> str:
    return runner.run(job_id, attempt, handlers.HANDLERS)
