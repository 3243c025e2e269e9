"""`oversight fill-return-governance`: rebuild the governance records of returns that kept none (docs/findings.md)."""

from django.core.management.base import BaseCommand

from oversight.surveys.actions.returns import fill_missing_governance
from oversight.surveys.management.commands._campaign import campaign_named


class Command(BaseCommand):
    help = (
        'Rebuild, from the audit trail, the governance records of submitted returns that kept none (imported, or '
        'submitted before returns kept them), as they stood at each return’s last submission; a return whose body '
        'had no system in the register then is marked "not available". Running it twice changes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--campaign', help='Only this campaign (slug or year).')

    def handle(self, *args, campaign, **options):
        filled = fill_missing_governance(None, campaign_named(campaign))
        self.stdout.write(
            self.style.SUCCESS(
                f'{filled["reconstructed"]} returns rebuilt from the audit trail; '
                f'{filled["not_available"]} not available (no system of the body in the register then).'
            )
        )
