"""`oversight import-register ORGANISATION FILE`: a body's register file imported as the web page imports it."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from oversight.organisations.models import Organisation
from oversight.register import actions
from oversight.register.imports import read_batch
from oversight.register.models import ImportBatch

# Problems printed before the count of the rest: a file with an error on every row stays readable.
SHOWN = 100


class _Undo(Exception):
    """Leaves the transaction so that nothing stays written: not the upload, not its audit rows."""


class Command(BaseCommand):
    # A data command skips the system checks (they import every URL module): start-up is a person's wait.
    requires_system_checks = []
    help = (
        'Import a register file (.csv or .xlsx, the columns of the import template) into a body named by its '
        'slug: the same checks as the web page, all or nothing; every problem is printed with its row and '
        'column, and the command exits 1.'
    )

    def add_arguments(self, parser):
        parser.add_argument('organisation', help='The body, by slug (e.g. kent-police).')
        parser.add_argument('file', help='The register file, .csv or .xlsx.')
        parser.add_argument('--kind', choices=ImportBatch.Kind.values, default=ImportBatch.Kind.EQUIPMENT)
        parser.add_argument('--dry-run', action='store_true', help='Check the file and print what would change.')

    def handle(self, *args, organisation, file, kind, dry_run, **options):
        body = Organisation.objects.filter(slug=organisation).first()
        if body is None:
            raise CommandError(f'There is no organisation with the slug "{organisation}".')
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f'Cannot read {file}: {exc.strerror or exc}.') from exc
        try:
            with transaction.atomic():
                batch = actions.upload_import(None, body, kind, Path(file).name, content)
                plan = read_batch(batch)  # the plan kept at upload: the file is not read again
                if plan.problem_count or dry_run:
                    raise _Undo
                counts = actions.commit_import(None, batch, plan.fingerprint)
        except ValidationError as exc:
            raise CommandError(' '.join(exc.messages)) from exc
        except _Undo:
            if plan.problem_count:
                for error in plan.errors[:SHOWN]:
                    self.stderr.write(f'row {error.row}, {error.column or "whole row"}: {error.message}')
                if plan.problem_count > SHOWN:
                    self.stderr.write(f'… and {plan.problem_count - SHOWN:,} more.')
                raise CommandError(
                    f'{file} has {plan.problem_count:,} problem{"" if plan.problem_count == 1 else "s"}: '
                    'nothing was imported.'
                ) from None
            counts = plan.counts
        verb = 'would add' if dry_run else 'added'
        self.stdout.write(
            f'{body}: {verb} {counts["create"]:,}, updated {counts["update"]:,}, '
            f'left {counts["unchanged"]:,} unchanged{" (dry run: nothing written)" if dry_run else ""}.'
        )
