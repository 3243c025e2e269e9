"""`oversight send-reminders`: email the reminders campaign schedules call for. Safe to run from cron."""

from django.core.management.base import BaseCommand, CommandError

from oversight.surveys.actions.invitations import MailStopped, send_due_reminders
from oversight.surveys.management.commands._campaign import campaign_named


class Command(BaseCommand):
    help = (
        'Send every reminder due now: to bodies of open campaigns whose return is outstanding, once per campaign '
        'interval since the invitation or the last reminder, up to the campaign’s cap, never after the cut-off. '
        'Running it twice sends nothing twice.'
    )

    def add_arguments(self, parser):
        parser.add_argument('--campaign', help='Only this campaign (slug or year).')
        parser.add_argument('--dry-run', action='store_true', help='List who would be reminded; send nothing.')

    def handle(self, *args, campaign, dry_run, **options):
        try:
            reminded = send_due_reminders(campaign=campaign_named(campaign), dry_run=dry_run)
        except MailStopped as stopped:
            raise CommandError(
                f'The mail server refused the reminder to {stopped.body}: {stopped.refusal}. {stopped.sent} were sent '
                'and recorded; run it again to send the rest.'
            ) from stopped
        verb = 'would be reminded' if dry_run else 'reminded'
        for invitation in reminded:
            self.stdout.write(f'{invitation.organisation} ({invitation.campaign.slug}) {verb}')
        self.stdout.write(self.style.SUCCESS(f'{len(reminded)} bodies {verb}.'))
