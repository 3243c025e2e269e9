"""The worker's part of the policy page: storing a large body's evaluation, or the one across bodies (policy.stored)."""

try:  # Django 6 has the tasks API built in; on Django 5.2 the django-tasks backport is the same API
    from django.tasks import task
except ImportError:
    from django_tasks import task

from oversight.organisations.models import Organisation

from . import stored


@task()
def work_out_policy(organisation_id: int | None) -> None:
    """Store the body's policy page, or (None) the regulator's across bodies."""
    # Run again, or delivered twice, it finds what is stored current and does nothing.
    stored.started(organisation_id)
    if organisation_id is None:
        stored.work_out(None)
    elif (organisation := Organisation.objects.filter(pk=organisation_id).first()) is not None:
        stored.work_out(organisation)
