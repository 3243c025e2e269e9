"""Second factors: who must have one, and sending them to enrol before anything else.

allauth.mfa does the factors themselves (an authenticator app, a security key or passkey, recovery codes)
and asks for one at sign-in from anyone who has one. This adds the rule: the roles in
`OVERSIGHT_MFA_REQUIRED_ROLES` (regulator staff and body editors by default) must have an authenticator
app or a security key, so until they have added one every page sends them to add one.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

# What someone who must enrol can still reach: the second-factor pages themselves, confirming their password
# for them, signing out, and verifying their email address.
ALLOWED_WHILE_ENROLLING = {
    'account_logout',
    'account_reauthenticate',
    'account_email_verification_sent',
    'account_confirm_email',
}
FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def must_have_second_factor(user) -> bool:
    return bool(user.is_authenticated and user.role in settings.OVERSIGHT_MFA_REQUIRED_ROLES)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS).exists()


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not must_have_second_factor(request.user):
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in ALLOWED_WHILE_ENROLLING or (name or '').startswith('mfa_'):
            return None
        if has_second_factor(request.user):
            return None
        messages.info(
            request,
            f'{request.user.get_role_display()} must sign in with a second factor. Add an authenticator app or '
            'a security key to continue.',
        )
        return redirect('mfa_index')
