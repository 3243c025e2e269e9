"""`oversight restore-drill`: prove the backups restore (docs/operations.md, "Back up and restore")."""

import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.backups import BackupError, drill, service_digest


class Command(BaseCommand):
    help = (
        'Back up the database, restore it into a fresh database on the same server, and check that the restored '
        'service computes the same findings for every campaign and serves the same published reports’ PDFs. '
        'Exits non-zero on any difference.'
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument('--keep', action='store_true', help='Keep the restored database (default: drop it).')
        parser.add_argument('--backup-dir', type=Path, help='Keep the backup file here (default: a temporary one).')
        parser.add_argument('--digest', action='store_true', help='Print what is compared, for this database only.')

    def handle(self, *args, keep, backup_dir, digest, **options):
        if digest:
            self.stdout.write(json.dumps(service_digest(), sort_keys=True))
            return
        with tempfile.TemporaryDirectory(prefix='oversight-drill-') as scratch:
            try:
                report = drill(backup_dir or Path(scratch), keep=keep)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        if report.differences:
            raise CommandError('The restored service differs: ' + '; '.join(report.differences))
        self.stdout.write(
            self.style.SUCCESS(
                f'Restore drill passed: a backup of {report.backup_bytes:,} bytes restored into a fresh database '
                f'computes the same findings for {report.campaigns} campaigns and serves the same '
                f'{report.published_pdfs} published PDFs.'
            )
        )
