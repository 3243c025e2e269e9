"""How django-allauth behaves in Oversight: nobody signs themselves up, axes counts wrong passwords, and single
sign-on reaches only accounts an organisation made."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .events import AccountEvent, record_event

# allauth's own wording has no Welsh; these say the same in GOV.UK's words, in the project's catalogue.
MISMATCH = _(
    'The username or email address and password you entered do not match an account. Check them and try again.'
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        'username_password_mismatch': MISMATCH,
        'email_password_mismatch': MISMATCH,
        'account_inactive': _(
            'This account is switched off. Ask the person who looks after Oversight at your organisation.'
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        """Accounts are made by the organisation a person works for (`create-user`), never by the person."""
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """Wrong passwords are counted by django-axes, the one lock-out with its own page and audit row.

        allauth would also count them under its "login_failed" limit and, past it, refuse before axes
        sees the attempt; that limit is left to bound guesses at second-factor codes, which axes does not see.
        """

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        # A reset asked for a known account is recorded against it; one for an unknown address has no account
        # to record it on, and allauth answers both alike so the page cannot tell which addresses exist.
        record_event(AccountEvent.PASSWORD_RESET_REQUESTED, user=user, request=context.get('request'))
        super().send_password_reset_mail(user, email, context)


def axes_username(request, credentials=None) -> str:
    """The name django-axes counts failures against: what was typed in the sign-in form, in lower case."""
    name = (credentials or {}).get('username') or request.POST.get('login', '')
    return name.strip().lower()


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (OpenID Connect) reaches only accounts an organisation made, by a verified address.

    Checked at every sign-in, first or not: the provider must be an organisation's (SingleSignOn), say the
    address is verified, the address must be of one of that organisation's domains, and it must be the
    address of an active account of that organisation. Anything else is refused with the reason, and audited.
    """

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        from .models import SingleSignOn

        sign_on = SingleSignOn.objects.filter(app__provider_id=sociallogin.account.provider).first()
        addresses = sociallogin.email_addresses
        email = addresses[0].email.strip() if addresses else ''
        if sign_on is None:
            refuse(request, email, 'this sign-in service is not set up for any organisation.')
        organisation = sign_on.organisation
        if not email:
            refuse(request, email, f'{organisation}’s sign-in service did not give your email address.')
        if not addresses[0].verified:
            refuse(
                request,
                email,
                f'{organisation}’s sign-in service did not confirm that {email} is verified, so it cannot be '
                'used to find your account.',
            )
        if email.rpartition('@')[2].lower() not in sign_on.domains():
            refuse(request, email, f'{email} is not an address of {organisation}.')
        from .models import User

        people = User.objects.filter(organisation=organisation, is_active=True).filter(
            Q(email__iexact=email) | Q(emailaddress__email__iexact=email)
        )
        person = people.distinct().first()
        if person is None:
            refuse(
                request,
                email,
                f'there is no Oversight account for {email} at {organisation}. Accounts are made by your '
                'organisation: ask the person who looks after Oversight there.',
            )
        if sociallogin.is_existing and sociallogin.user != person:
            refuse(request, email, f'this {organisation} sign-in belongs to another Oversight account.', person)
        if request.user.is_authenticated and request.user != person:
            refuse(request, email, 'you are signed in to Oversight as someone else.', person)
        # The organisation's own service vouches for the address: it counts as verified here too.
        EmailAddress.objects.update_or_create(
            user=person, email__iexact=email, defaults={'email': email.lower(), 'verified': True}
        )
        if not sociallogin.is_existing:
            # Remembered from now on, but checked as above at every sign-in.
            sociallogin.connect(request, person)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        reason = f'{error or "error"}: {exception}' if exception else str(error or 'no reply or a reply out of turn')
        record_event(
            AccountEvent.SSO_REFUSED,
            request=request,
            reason=f'the reply from {getattr(provider, "name", "the sign-in service")} was refused ({reason})',
        )
        return super().on_authentication_error(request, provider, error, exception, extra_context)


def refuse(request, email: str, reason: str, person=None):
    """Stop a single sign-on with a page saying why, after recording it."""
    from .models import User

    if person is None and email:
        person = User.objects.filter(emailaddress__email__iexact=email).first()
    record_event(AccountEvent.SSO_REFUSED, user=person, name=email, request=request, reason=reason)
    response = render(request, 'account/sso_refused.html', {'reason': reason}, status=403)
    raise ImmediateHttpResponse(response)
