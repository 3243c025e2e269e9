"""`oversight identify FILE.csv`: who made each device, one JSON line per input row (docs/identification.md)."""

import io
import sys

from django.core.management.base import BaseCommand, CommandError

from oversight.identification.engine import Identifier
from oversight.identification.signals import FIELDS
from oversight.identification.stream import HeaderError, identify_csv

# Refused input (unreadable file, unusable header, unknown concern list), as command-line tools use it.
REFUSED = 2


class Command(BaseCommand):
    # System checks import every URL module (and with them WeasyPrint and matplotlib): seconds of start-up
    # that a data command reading a CSV file does not need.
    requires_system_checks = []
    help = (
        f'Identify who made each device in a CSV file (columns, all optional: {", ".join(FIELDS)}). '
        'Prints one JSON object per row: maker, concern, designations, confidence, evidence (and error).'
    )

    def add_arguments(self, parser):
        parser.add_argument('file', help='The CSV file, or - to read standard input.')
        parser.add_argument(
            '--concern-list',
            metavar='SLUG',
            help='Count only designations by this concern list (default: any list).',
        )

    def handle(self, *args, file, concern_list, **options):
        try:
            identifier = Identifier.from_db(concern_list=concern_list)
        except LookupError as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc
        try:
            stream = _stdin() if file == '-' else open(file, 'rb')  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f'Cannot read {file}: {exc.strerror or exc}.', returncode=REFUSED) from exc
        try:
            identify_csv(stream, lambda text: self.stdout.write(text, ending=''), identifier)
        except HeaderError as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc
        finally:
            if file != '-':
                stream.close()
        self.stdout.flush()


def _stdin():
    # A text stand-in without a byte buffer (as some test harnesses install) is read as UTF-8.
    return getattr(sys.stdin, 'buffer', None) or io.BytesIO(sys.stdin.read().encode('utf-8', 'surrogateescape'))
