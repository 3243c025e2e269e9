"""`oversight store-policy-pages`: work out and store the policy page of each large body, and the regulator's
across bodies, as the worker does.

A stored page holds for the day it was worked out and for the release that worked it out (policy.stored), so
run it daily just after midnight and after a release; otherwise the first request for each large body's page
that day works the register out itself, and asks the worker to store it.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from oversight.organisations.models import Organisation
from oversight.policy import evaluation, stored
from oversight.policy.models import StoredEvaluation
from oversight.register.models import EquipmentLine


class Command(BaseCommand):
    help = (
        'Work out and store the policy page of every body with at least OVERSIGHT_STORED_POLICY_LINES equipment '
        "lines (or of one body), and the regulator's page across bodies, so that web processes serve them without "
        'evaluating the register. A page already current is left as it is.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--body', help='Only this body (its slug).')

    def handle(self, *args, body, **options):
        bodies = Organisation.objects.bodies().order_by('name')
        if body:
            bodies = bodies.filter(slug=body)
            if not bodies:
                raise CommandError(f'No body with the slug {body!r}.')
        # Only a body large enough, or stored before, can have a page to store: the others (most of 5,000) are
        # left out in one query, not asked one by one.
        large = (
            EquipmentLine.objects.order_by()
            .values('organisation')
            .annotate(lines=Count('pk'))
            .filter(lines__gte=settings.OVERSIGHT_STORED_POLICY_LINES)
            .values('organisation')
        )
        bodies = bodies.filter(Q(pk__in=large) | Q(pk__in=StoredEvaluation.objects.values('organisation')))
        worked_out = current = 0
        # Across bodies last: the bodies' pages are what their own users wait for.
        for organisation in [*bodies, *([] if body else [None])]:
            started = time.monotonic()
            page = stored.work_out(organisation)
            evaluation.forget_evaluations()  # kept for a worker's next patch; this process ends
            if page is not None:
                worked_out += 1
                self.stdout.write(
                    f'{organisation or "Across bodies"}: {page.lines:,} lines worked out and stored '
                    f'in {time.monotonic() - started:.1f} s'
                )
            elif StoredEvaluation.objects.filter(organisation=organisation).exists():
                current += 1
            elif organisation is None:
                self.stdout.write(
                    f'Across bodies: not stored (the page is stored from {settings.OVERSIGHT_STORED_POLICY_LINES:,} '
                    f'lines to {stored.ACROSS_BODIES_MAX_LINES:,}, past which it asks for a body).'
                )
        self.stdout.write(
            self.style.SUCCESS(
                f'Pages stored: {worked_out}. Already current: {current}. A body with fewer than '
                f'{settings.OVERSIGHT_STORED_POLICY_LINES:,} lines has its page worked out when it is asked for.'
            )
        )
