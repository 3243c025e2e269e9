"""`oversight findings CAMPAIGN`: a campaign's findings as one JSON object (or a CSV table) on standard output.

The JSON object is a contract other tools and tests depend on (docs/findings.md, "The command").
"""

import json

from django.core.management.base import BaseCommand, CommandError

from oversight.core.exports import csv_bytes
from oversight.findings.engine import Basis, campaign_findings
from oversight.surveys.models import Campaign

CSV_COLUMNS = (
    'campaign',
    'basis',
    'category',
    'label',
    'respondents',
    'operating',
    'operating_unknown',
    'with_concern',
    'concern_unknown',
    'aware',
    'aware_unknown',
    'manufacturers_of_concern',
    'devices',
    'devices_of_concern',
    'invited',
    'responded',
    'late',
    'response_rate',
    'non_respondents',
)


def csv_rows(findings):
    responses = findings.responses
    for code, row in findings.categories.items():
        yield [
            findings.campaign.slug,
            findings.basis.value,
            code,
            row.label,
            row.respondents,
            row.operating,
            row.operating_unknown,
            row.with_concern,
            row.concern_unknown,
            row.aware,
            row.aware_unknown,
            '; '.join(row.manufacturers_of_concern),
            row.devices,
            row.devices_of_concern,
            responses.invited,
            responses.responded,
            responses.late,
            responses.response_rate,
            '; '.join(responses.non_respondents),
        ]


class Command(BaseCommand):
    # A data command skips the system checks (they import every URL module): start-up is a person's wait.
    requires_system_checks = []
    help = (
        'Print a campaign’s findings (named by slug or year): response figures and, per category, respondents '
        'operating it, with equipment of concern, and of those aware of the concerns.'
    )

    def add_arguments(self, parser):
        parser.add_argument('campaign', help='Campaign slug (e.g. police-2022) or year (e.g. 2022).')
        parser.add_argument('--format', choices=('json', 'csv'), default='json', help='json (default) or csv.')
        parser.add_argument(
            '--as-published',
            action='store_true',
            help='The figures as first published, before any correction (default: as corrected).',
        )

    def handle(self, *args, campaign, format, as_published, **options):
        try:
            found = Campaign.objects.select_related('concern_list').lookup(campaign)
        except (Campaign.DoesNotExist, Campaign.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from exc
        findings = campaign_findings(found, Basis.PUBLISHED if as_published else Basis.CORRECTED)
        if format == 'csv':
            self.stdout.write(csv_bytes(CSV_COLUMNS, csv_rows(findings)).decode('utf-8'), ending='')
        else:
            self.stdout.write(json.dumps(findings.contract(), indent=2, ensure_ascii=False))
