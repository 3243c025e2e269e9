"""`oversight export-returns CAMPAIGN`: a campaign's submitted returns as an interchange CSV on standard output."""

from django.core.management.base import BaseCommand

from oversight.core.exports import csv_bytes
from oversight.surveys.interchange import COLUMNS, export_rows
from oversight.surveys.management.commands._campaign import campaign_named
from oversight.surveys.snapshots import campaign_returns


class Command(BaseCommand):
    # A data command skips the system checks (they import every URL module): start-up is a person's wait.
    requires_system_checks = []
    help = 'Write a campaign’s submitted returns as an interchange CSV (docs/interchange.md) to standard output.'

    def add_arguments(self, parser):
        parser.add_argument('campaign', help='Campaign slug (e.g. police-2022) or year (e.g. 2022).')
        parser.add_argument(
            '--as-published', action='store_true', help='The returns as first accepted, before any correction.'
        )

    def handle(self, *args, campaign, as_published, **options):
        data = csv_bytes(COLUMNS, export_rows(campaign_returns(campaign_named(campaign), as_published=as_published)))
        self.stdout.write(data.decode('utf-8'), ending='')
