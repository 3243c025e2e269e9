"""`oversight restore FILE`: restore a backup into the new, empty database DATABASE_URL names."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        'Restore a backup made by `oversight backup` into the empty database DATABASE_URL names, all or nothing. '
        'A backup whose schema version is not this release’s is refused.'
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument('file', type=Path, help='The backup to restore.')

    def handle(self, *args, file, **options):
        try:
            restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f'Restored {file}.'))
