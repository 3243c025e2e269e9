"""`oversight import-returns CAMPAIGN FILE.csv`: load survey returns from an interchange file (docs/interchange.md)."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.surveys.actions.imports import import_returns
from oversight.surveys.interchange import InterchangeError, parse_time


def _open(path: str, what: str):
    try:
        return Path(path).open(newline='', encoding='utf-8-sig')
    except OSError as exc:
        raise CommandError(f'Cannot read the {what} {path}: {exc.strerror}.') from exc


def _digest(path: str) -> str:
    """The file's SHA-256, read a megabyte at a time: a file imported before is recognised by it."""
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    # A data command skips the system checks (they import every URL module): start-up is a person's wait.
    requires_system_checks = []
    help = (
        'Import survey returns from an interchange CSV file into a campaign (named by slug or year), creating the '
        'campaign if it does not exist. All or nothing; importing the same file twice changes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument('campaign', help='Campaign slug (e.g. police-2022) or year (e.g. 2022).')
        parser.add_argument('file', help='Interchange CSV file (UTF-8).')
        parser.add_argument(
            '--recipients',
            metavar='FILE',
            help='Bodies invited, one exact organisation name a line (default for a new campaign: every policing '
            'body of England and Wales). For an existing campaign, bodies not yet invited are added.',
        )
        parser.add_argument(
            '--concern-list',
            metavar='SLUG',
            help='Concern list of a new campaign (default obscc-2022, the Commissioner’s 2022 list).',
        )

        parser.add_argument(
            '--deadline',
            metavar='WHEN',
            help='Deadline of a new campaign (ISO 8601; London time without an offset), so lateness can be computed.',
        )

    def handle(self, *args, campaign, file, recipients, concern_list, deadline, **options):
        if deadline:
            try:
                deadline = parse_time(deadline)
            except ValueError as exc:
                raise CommandError(f'--deadline "{deadline}" is not an ISO 8601 date and time.') from exc
        stream = _open(file, 'file')
        recipients_stream = _open(recipients, 'recipients file') if recipients else None
        try:
            result = import_returns(
                None,
                campaign,
                stream,
                recipients_stream=recipients_stream,
                concern_list_slug=concern_list,
                file_name=Path(file).name,
                deadline=deadline or None,
                file_digest=_digest(file),
            )
        except InterchangeError as exc:
            raise CommandError(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f'{file} is not UTF-8 text: save it as "CSV UTF-8". Nothing was imported.') from exc
        finally:
            stream.close()
            if recipients_stream:
                recipients_stream.close()
        self.stdout.write(self.style.SUCCESS(str(result)))
