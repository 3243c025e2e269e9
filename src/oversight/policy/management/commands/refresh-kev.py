"""`oversight refresh-kev FILE.json|URL`: refresh the KEV catalogue in the database from one in CISA's format."""

from django.core.management.base import BaseCommand, CommandError

from oversight.policy import catalogue
from oversight.policy.actions import replace_kev_catalogue
from oversight.policy.vulnerabilities import Catalogue, MatchingDataError


class Command(BaseCommand):
    help = (
        "Read a Known Exploited Vulnerabilities catalogue in CISA's JSON format (a file, or an https address "
        "such as CISA's feed), keep the entries about surveillance cameras and recorders, and store them in "
        'the database as the catalogue every node matches equipment against. '
        'A file that is not a valid catalogue changes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            'source', help='The catalogue: a file downloaded from CISA or cisagov/kev-data, or its https address.'
        )

    def handle(self, *args, source: str, **options):
        try:
            document = catalogue.prepare(source)
            # The matching rules must still read against the new entries before anything is stored.
            checked = Catalogue(document, catalogue.matching_data())
        except (catalogue.CatalogueError, MatchingDataError) as exc:
            raise CommandError(str(exc)) from exc
        replace_kev_catalogue(None, document)
        unmatched = sorted(v.cve for v in checked.vulnerabilities if not v.rule.curated)
        self.stdout.write(
            f'Stored {document["count"]} entries from catalogue version {document["catalogVersion"]}; '
            f'{len(document["additions"])} addition(s) from secondary sources kept. Every node uses them from now on.'
        )
        if unmatched:
            self.stdout.write(
                'Matched by vendor only (no matching rule in kev-matching.json, so at most "possibly affected"): '
                + ', '.join(unmatched)
            )
