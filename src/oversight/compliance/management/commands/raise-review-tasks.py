"""`oversight raise-review-tasks`: raise and resolve the date-driven review tasks. Safe to run from cron.

Run it daily (a cron line or a systemd timer, like `clean-up`: the tasks queue runs no schedule of its own).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from oversight.compliance.actions import raise_review_tasks
from oversight.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        'Raise review tasks for DPIAs past their review date, certificates expiring within 90 days and '
        'self-assessment actions past due, and resolve those whose condition has cleared. Running it twice '
        'raises nothing twice.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--body', help='Only this body (its slug).')
        parser.add_argument('--today', help='The date to judge by (YYYY-MM-DD); today if not given.')

    def handle(self, *args, body, today, **options):
        organisation = None
        if body:
            organisation = Organisation.objects.filter(slug=body).first()
            if organisation is None:
                raise CommandError(f'No body with the slug {body!r}.')
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f'--today: {exc}') from exc
        raised, resolved = raise_review_tasks(day, organisation)
        self.stdout.write(self.style.SUCCESS(f'{raised} review tasks raised, {resolved} resolved.'))
