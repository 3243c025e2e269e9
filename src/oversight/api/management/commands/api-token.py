"""`oversight api-token USERNAME`: make (or replace) a person's API token and print it; `--revoke` removes it.

`--read-only` makes a token that cannot change data; `--days N` one that stops working after N days.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from oversight.accounts.models import User
from oversight.api import actions
from oversight.api.models import ApiToken


class Command(BaseCommand):
    help = "Make or replace a user's API token and print it (once), or revoke it with --revoke."

    def add_arguments(self, parser):
        parser.add_argument('username')
        parser.add_argument('--revoke', action='store_true', help='Remove the token: requests with it are refused.')
        parser.add_argument('--read-only', action='store_true', help='A token that reads but changes nothing.')
        parser.add_argument('--days', type=int, help='Stop working after this many days (default: until revoked).')

    def handle(self, *args, username, revoke, read_only, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'There is no user "{username}".')
        try:
            if revoke:
                actions.revoke_api_token(None, user)
                self.stderr.write(f'Revoked the API token of {user}.')
                return
            scope = ApiToken.Scope.READ if read_only else ApiToken.Scope.READ_WRITE
            expires = timezone.now() + datetime.timedelta(days=days) if days is not None else None
            _, secret = actions.create_api_token(None, user, scope=scope, expires=expires)
        except ValidationError as exc:
            raise CommandError(' '.join(exc.messages)) from exc
        # The key alone on standard output, so a script can capture it; the explanation goes to stderr.
        self.stdout.write(secret)
        self.stderr.write(f'API token for {user}: send it as "Authorization: Token <key>". It is not shown again.')
