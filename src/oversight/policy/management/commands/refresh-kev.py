"""`oversight refresh-kev FILE.json`: refresh the shipped KEV data from a catalogue file in CISA's format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.policy import catalogue
from oversight.policy.vulnerabilities import Catalogue, MatchingDataError, shipped


class Command(BaseCommand):
    help = (
        "Read a Known Exploited Vulnerabilities catalogue in CISA's JSON format "
        '(known_exploited_vulnerabilities.json), keep the entries about surveillance cameras and recorders, '
        'and write them to the data file Oversight matches equipment against. '
        'A file that is not a valid catalogue changes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument('file', type=Path, help='The catalogue file, as downloaded from CISA or cisagov/kev-data.')
        parser.add_argument(
            '--output',
            type=Path,
            default=catalogue.KEV_FILE,
            help=f'The data file to write (default: the shipped {catalogue.KEV_FILE.name}).',
        )

    def handle(self, *args, file: Path, output: Path, **options):
        try:
            document = catalogue.prepare(file, output)
            # The matching rules must still read against the new entries before anything is written.
            checked = Catalogue(document, catalogue.matching_data())
        except (catalogue.CatalogueError, MatchingDataError) as exc:
            raise CommandError(str(exc)) from exc
        catalogue.write(document, output)
        shipped.cache_clear()
        unmatched = sorted(v.cve for v in checked.vulnerabilities if not v.rule.curated)
        self.stdout.write(
            f'Wrote {document["count"]} entries from catalogue version {document["catalogVersion"]} to {output}; '
            f'{len(document["additions"])} addition(s) from secondary sources kept.'
        )
        if unmatched:
            self.stdout.write(
                'Matched by vendor only (no matching rule in kev-matching.json, so at most "possibly affected"): '
                + ', '.join(unmatched)
            )
