"""The worker's part of the policy page: storing a large body's evaluation (policy.stored)."""

try:  # Django 6 has the tasks API built in; on Django 5.2 the django-tasks backport is the same API
    from django.tasks import task
except ImportError:
    from django_tasks import task

from oversight.organisations.models import Organisation

from . import stored


@task()
def work_out_policy(organisation_id: int) -> None:
    # Run again, or delivered twice, it finds what is stored current and does nothing.
    stored.started(organisation_id)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        stored.work_out(organisation)
