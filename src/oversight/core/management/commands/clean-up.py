"""`oversight clean-up [--dry-run]`: remove what has outlived its retention (docs/operations.md, "Retention").

Run it daily (a cron line or a systemd timer; the tasks queue runs no schedule of its own). Each kind of
record has its setting; audit rows (core.ObjectChange) are never removed.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.accounts.actions import forget_expired_sessions, forget_old_sign_ins
from oversight.discovery.actions import remove_old_scans
from oversight.jobs.actions import clear_failed_task_files, forget_scan_tasks
from oversight.register.actions import clear_import_files


class Command(BaseCommand):
    help = (
        'Remove expired sessions, the login log, stored import files and scans past their retention '
        '(OVERSIGHT_RETAIN_* settings). Audit rows are kept. --dry-run says what would go and removes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--dry-run', action='store_true', help='Say what would be removed; remove nothing.')

    def handle(self, *args, dry_run: bool, **options):
        now = timezone.now()

        def days_ago(setting: str) -> datetime.datetime:
            return now - datetime.timedelta(days=getattr(settings, setting))

        files_before = days_ago('OVERSIGHT_RETAIN_IMPORT_FILES_DAYS')
        scans = remove_old_scans(days_ago('OVERSIGHT_RETAIN_SCANS_DAYS'), dry_run=dry_run)
        if not dry_run:
            forget_scan_tasks(scans)
        counts = [
            ('sessions', forget_expired_sessions(dry_run=dry_run), 'expired'),
            (
                'login log records',
                forget_old_sign_ins(days_ago('OVERSIGHT_RETAIN_LOGIN_LOG_DAYS'), dry_run=dry_run),
                f'older than {settings.OVERSIGHT_RETAIN_LOGIN_LOG_DAYS} days',
            ),
            (
                'register import files',
                clear_import_files(files_before, dry_run=dry_run),
                f'uploaded more than {settings.OVERSIGHT_RETAIN_IMPORT_FILES_DAYS} days ago',
            ),
            (
                "failed tasks' files",
                clear_failed_task_files(files_before, dry_run=dry_run),
                f'failed more than {settings.OVERSIGHT_RETAIN_IMPORT_FILES_DAYS} days ago',
            ),
            ('scans', len(scans), f"older than {settings.OVERSIGHT_RETAIN_SCANS_DAYS} days (each body's newest kept)"),
        ]
        verb = 'would be removed' if dry_run else 'removed'
        for what, count, why in counts:
            self.stdout.write(f'{what.capitalize()}, {why}: {count:,} {verb}.')
        if dry_run:
            self.stdout.write('Nothing was removed (--dry-run).')
