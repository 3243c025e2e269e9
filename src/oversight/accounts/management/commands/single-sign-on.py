"""`oversight single-sign-on ORG --issuer URL --client-id ID --secret-file FILE --domain DOMAIN [DOMAIN...]`"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.accounts import actions
from oversight.accounts.management import refused
from oversight.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Let an organisation's people sign in through its own OpenID Connect provider, chosen by their email "
        'domain. Register https://THIS-SERVICE/accounts/oidc/SLUG/login/callback/ with the provider first.'
    )

    def add_arguments(self, parser):
        parser.add_argument('organisation', help="The organisation's slug.")
        parser.add_argument('--issuer', required=True, help="The provider's issuer address (https://…).")
        parser.add_argument('--client-id', required=True)
        parser.add_argument('--secret-file', type=Path, required=True, help='The client secret, on its first line.')
        parser.add_argument('--domain', nargs='+', required=True, help='The email domains of its people.')

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options['organisation']).first()
        if organisation is None:
            raise CommandError(f'No organisation has the slug "{options["organisation"]}".')
        try:
            secret = options['secret_file'].read_text(encoding='utf-8').splitlines()[0]
        except (OSError, UnicodeDecodeError, IndexError) as exc:
            raise CommandError(f'Cannot read the client secret from {options["secret_file"]}: {exc}') from exc
        try:
            sign_on = actions.set_single_sign_on(
                None,
                organisation,
                issuer=options['issuer'],
                client_id=options['client_id'],
                secret=secret,
                domains=options['domain'],
            )
        except ValidationError as exc:
            raise refused('Single sign-on was not set', exc) from exc
        self.stdout.write(
            f'{organisation} signs in through {options["issuer"]} for {", ".join(sign_on.domains())}. Its callback '
            f'address is /accounts/oidc/{organisation.slug}/login/callback/ on this service.'
        )
