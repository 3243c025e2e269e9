"""`oversight create-user USERNAME --organisation NAME --role ROLE --email ADDRESS`: add an account from a shell."""

import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.accounts import actions
from oversight.accounts.management import refused
from oversight.accounts.models import User
from oversight.organisations.models import Organisation


class Command(BaseCommand):
    help = 'Create a user of one organisation with one role. The password is asked for, or read from a file.'

    def add_arguments(self, parser):
        parser.add_argument('username')
        parser.add_argument('--organisation', required=True, help="The organisation's exact name (or its slug).")
        parser.add_argument('--role', required=True, choices=User.Role.values)
        parser.add_argument('--password-file', type=Path, help='Read the password from the first line of FILE.')
        parser.add_argument(
            '--email',
            required=True,
            help='Their work address: at their first sign-in a link is sent there to verify it; resets go there too.',
        )
        parser.add_argument('--first-name', default='')
        parser.add_argument('--last-name', default='')

    def handle(self, *args, **options):
        organisation = self._organisation(options['organisation'])
        password = self._password(options['password_file'])
        try:
            user = actions.create_user(
                None,
                username=options['username'],
                organisation=organisation,
                role=options['role'],
                password=password,
                email=options['email'],
                first_name=options['first_name'],
                last_name=options['last_name'],
            )
        except ValidationError as exc:
            raise refused('The user was not created', exc) from exc
        self.stdout.write(
            f'Created {user.username}, {user.get_role_display().lower()} at {organisation}. At their first sign-in '
            f'a link is sent to {user.email}; they are let in once they have followed it.'
        )

    def _organisation(self, name: str) -> Organisation:
        name = name.strip()
        organisation = (
            Organisation.objects.filter(name__iexact=name).first() or Organisation.objects.filter(slug=name).first()
        )
        if organisation is None:
            similar = Organisation.objects.filter(name__icontains=name.split(' ')[0])[:5] if name else []
            hint = f' Did you mean: {"; ".join(o.name for o in similar)}?' if similar else ''
            raise CommandError(f'No organisation is called "{name}".{hint}')
        return organisation

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                lines = path.read_text(encoding='utf-8').splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f'Cannot read the password file {path}: {exc}') from exc
            if not lines or not lines[0]:
                raise CommandError(f'The password file {path} is empty: put the password on its first line.')
            return lines[0]
        password = getpass.getpass('Password: ')
        if password != getpass.getpass('Password (again): '):
            raise CommandError('The two passwords differ; nothing was created.')
        if not password:
            raise CommandError('An empty password is not allowed.')
        return password
