"""`oversight clean-up [--dry-run]`: remove what has outlived its retention (docs/operations.md, "Retention").

Run it daily (a cron line or a systemd timer; the tasks queue runs no schedule of its own). Each kind of
record has its setting and is declared by its own app (core.retention); audit rows (core.ObjectChange) are
never removed.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.core.retention import kinds


class Command(BaseCommand):
    help = (
        'Remove expired sessions, the login log, stored import files and scans past their retention '
        '(OVERSIGHT_RETAIN_* settings). Audit rows are kept. --dry-run says what would go and removes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--dry-run', action='store_true', help='Say what would be removed; remove nothing.')

    def handle(self, *args, dry_run: bool, **options):
        now = timezone.now()
        verb = 'would be removed' if dry_run else 'removed'
        for kind in kinds():
            what, count, why = kind.run(now, dry_run=dry_run)
            self.stdout.write(f'{what.capitalize()}, {why}: {count:,} {verb}.')
        if dry_run:
            self.stdout.write('Nothing was removed (--dry-run).')
