"""Every write to user accounts, audited. Password hashes never enter the audit record."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import record_change, snapshot
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, sees_everything
from oversight.core.text import check_visible_text

from .models import User


def _password_problems(password: str, user: User) -> dict:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {'password': exc.messages}
    return {}


def _email_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    organisation,
    role: str,
    password: str,
    email: str = '',
    first_name: str = '',
    last_name: str = '',
    email_verified: bool = False,
) -> User:
    """A new account. Its email address is unverified (`email_verified` only for demo addresses no one can
    receive mail at): the person follows the link sent at their first sign-in before they are let in."""
    check(actor, sees_everything)
    user = User(
        username=User.normalize_username(username.strip()),
        organisation=organisation,
        role=role,
        email=User.objects.normalize_email(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    problems = {}
    for validate in (lambda: user.full_clean(exclude=['password']), lambda: check_visible_text(user)):
        try:
            validate()
        except ValidationError as exc:
            problems = exc.message_dict | problems
    problems |= _password_problems(password, user)
    if user.email and _email_taken(user.email):
        problems['email'] = ['Another account has this email address: each person signs in with their own.']
    if problems:
        raise ValidationError(problems)
    user.set_password(password)
    user.save()
    if user.email:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    record_change(actor, user, ObjectChange.Action.CREATE, None, snapshot(user), 'Account created')
    return user


@transaction.atomic
def set_password(actor, user: User, password: str) -> User:
    """Replace a user's password; the history says it changed, never what to."""
    if actor is None or actor.pk != user.pk:
        check(actor, sees_everything)
    problems = _password_problems(password, user)
    if problems:
        raise ValidationError(problems)
    user.set_password(password)
    user.save(update_fields=['password'])
    state = snapshot(user)
    record_change(actor, user, ObjectChange.Action.UPDATE, state, state, 'Password changed')
    return user


# Retention (`oversight clean-up`): neither a session nor a sign-in record is a change anyone made, so
# they go without audit rows. Each returns how many went, or with dry_run how many would.


@transaction.atomic
def forget_expired_sessions(*, dry_run: bool = False) -> int:
    from django.contrib.sessions.models import Session

    expired = Session.objects.filter(expire_date__lt=timezone.now())
    return expired.count() if dry_run else expired.delete()[0]


@transaction.atomic
def forget_old_sign_ins(before, *, dry_run: bool = False) -> int:
    """The login log (django-axes: sign-ins, failures, and failure counts) from before `before`."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    old = [model.objects.filter(attempt_time__lt=before) for model in (AccessLog, AccessFailureLog, AccessAttempt)]
    if dry_run:
        return sum(rows.count() for rows in old)
    # AccessAttempt's own expiry rows go with it; only the log rows themselves are counted.
    return sum(rows.delete()[1].get(rows.model._meta.label, 0) for rows in old)


@transaction.atomic
def reset_second_factor(actor, user: User) -> int:
    """Remove every second factor a person has (a lost phone or key): they enrol again at their next sign-in.

    Only regulator staff may, and never their own; returns how many authenticators went.
    """
    from allauth.mfa.models import Authenticator

    from .events import AccountEvent, record_event

    check(actor, sees_everything)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_('You cannot reset your own second factor: ask another of the regulator’s staff.'))
    authenticators = Authenticator.objects.filter(user=user)
    types = sorted(set(authenticators.values_list('type', flat=True)))
    if not types:
        raise ValidationError(_('%(user)s has no second factor to reset.') % {'user': user})
    removed = authenticators.delete()[0]
    record_event(AccountEvent.SECOND_FACTOR_RESET, user=user, actor=actor, detail={'types': types})
    return removed


@transaction.atomic
def set_single_sign_on(actor, organisation, *, issuer: str, client_id: str, secret: str, domains: list[str]):
    """Let an organisation's people sign in through its OpenID Connect provider (made or replaced).

    The client secret goes to allauth's SocialApp only; the audit row names the issuer, client and domains.
    """
    from allauth.socialaccount.models import SocialApp

    from .models import SingleSignOn

    check(actor, sees_everything)
    issuer = issuer.strip().rstrip('/')
    if not issuer.startswith(('https://', 'http://127.0.0.1', 'http://localhost')):
        raise ValidationError({'issuer': _('The provider’s address must start https://.')})
    if not client_id.strip() or not secret.strip():
        raise ValidationError({'client_id': _('Give the client id and secret the organisation’s provider issued.')})
    sign_on = SingleSignOn.objects.filter(organisation=organisation).select_related('app').first()
    app = sign_on.app if sign_on else SocialApp(provider='openid_connect', provider_id=organisation.slug)
    app.name = f'{organisation} sign-in'
    app.client_id, app.secret = client_id.strip(), secret.strip()
    app.settings = {'server_url': issuer}
    app.save()
    before = snapshot(sign_on) if sign_on else None
    sign_on = sign_on or SingleSignOn(organisation=organisation, app=app)
    sign_on.email_domains = '\n'.join(d.strip().lower().lstrip('@') for d in domains if d.strip())
    sign_on.full_clean()
    sign_on.save()
    after = {**snapshot(sign_on), 'issuer': issuer, 'client_id': app.client_id}
    action = ObjectChange.Action.CREATE if before is None else ObjectChange.Action.UPDATE
    record_change(actor, sign_on, action, before, after, 'Single sign-on set')
    return sign_on
