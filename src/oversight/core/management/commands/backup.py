"""`oversight backup FILE`: a custom-format dump of the PostgreSQL database DATABASE_URL names."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.backups import BackupError, backup


class Command(BaseCommand):
    help = 'Back up the database (pg_dump --format=custom) to FILE: everything Oversight keeps is in it.'
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument('file', type=Path, help='Where to write the backup.')

    def handle(self, *args, file, **options):
        try:
            backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f'Backed up to {file} ({file.stat().st_size:,} bytes).'))
