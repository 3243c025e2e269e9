"""`oversight api-token USERNAME`: make (or replace) a person's API token and print it; `--revoke` removes it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.models import User
from oversight.api import actions


class Command(BaseCommand):
    help = "Make or replace a user's API token and print it (once), or revoke it with --revoke."

    def add_arguments(self, parser):
        parser.add_argument('username')
        parser.add_argument('--revoke', action='store_true', help='Remove the token: requests with it are refused.')

    def handle(self, *args, username, revoke, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'There is no user "{username}".')
        try:
            if revoke:
                actions.revoke_api_token(None, user)
                self.stderr.write(f'Revoked the API token of {user}.')
                return
            _, secret = actions.create_api_token(None, user)
        except ValidationError as exc:
            raise CommandError(' '.join(exc.messages)) from exc
        # The key alone on standard output, so a script can capture it; the explanation goes to stderr.
        self.stdout.write(secret)
        self.stderr.write(f'API token for {user}: send it as "Authorization: Token <key>". It is not shown again.')
