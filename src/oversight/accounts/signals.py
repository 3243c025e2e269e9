"""Account events from Django, django-allauth and django-axes, each recorded as an audit row (events.py)."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Q
from django.dispatch import receiver

from .events import AccountEvent, record_event
from .models import User
from .sessions import start_idle_clock


def _account_named(name: str):
    """The account a name tried at sign-in belongs to (a username or an email address), if any."""
    if not name:
        return None
    return User.objects.filter(Q(username__iexact=name) | Q(emailaddress__email__iexact=name)).distinct().first()


@receiver(account_signals.user_logged_in)
def signed_in(sender, request, user, **kwargs):
    methods = [m.get('method') for m in request.session.get('account_authentication_methods', [])]
    record_event(AccountEvent.SIGNED_IN, user=user, request=request, detail={'methods': methods})


@receiver(user_logged_in)
def idle_clock_starts(sender, request, user, **kwargs):
    if request is not None and hasattr(request, 'session'):
        start_idle_clock(request)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    name = credentials.get('username') or credentials.get('email') or ''
    locked = getattr(request, 'axes_locked_out', False)
    record_event(
        AccountEvent.SIGN_IN_FAILED,
        user=_account_named(name),
        name=name,
        request=request,
        reason='sign-in is locked for this name from this address' if locked else 'wrong name or password',
    )


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    record_event(AccountEvent.LOCKED_OUT, user=_account_named(username or ''), name=username or '', request=request)


@receiver(account_signals.password_reset)
def password_reset(sender, request, user, **kwargs):
    record_event(AccountEvent.PASSWORD_RESET, user=user, request=request)


@receiver(account_signals.password_changed)
def password_changed(sender, request, user, **kwargs):
    record_event(AccountEvent.PASSWORD_CHANGED, user=user, request=request)


@receiver(account_signals.email_confirmed)
def email_verified(sender, request, email_address, **kwargs):
    record_event(
        AccountEvent.EMAIL_VERIFIED, user=email_address.user, request=request, detail={'email': email_address.email}
    )


@receiver(mfa_signals.authenticator_added)
def second_factor_added(sender, request, user, authenticator, **kwargs):
    record_event(AccountEvent.SECOND_FACTOR_ADDED, user=user, request=request, detail={'type': authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def second_factor_removed(sender, request, user, authenticator, **kwargs):
    record_event(AccountEvent.SECOND_FACTOR_REMOVED, user=user, request=request, detail={'type': authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def recovery_codes_generated(sender, request, user, authenticator, **kwargs):
    record_event(AccountEvent.RECOVERY_CODES_GENERATED, user=user, request=request, detail={'type': authenticator.type})


@receiver(mfa_signals.authentication_failed)
def second_factor_failed(sender, request, user, **kwargs):
    authenticator = kwargs.get('authenticator')
    record_event(
        AccountEvent.SECOND_FACTOR_FAILED,
        user=user,
        request=request,
        detail={'type': getattr(authenticator, 'type', '')},
        reason='wrong, used or expired code',
    )
