"""Every write to user accounts, audited. Password hashes and invitation secrets never enter the audit record."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from oversight.core.audit import record_change, snapshot
from oversight.core.dates import govuk_datetime
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, may_administer_body, may_administer_person, sees_everything
from oversight.core.text import check_visible_text
from oversight.core.tokens import digest, lookup_digest, new_secret

from .events import AccountEvent, record_event
from .models import AccountInvitation, User


def _password_problems(password: str, user: User) -> dict:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {'password': exc.messages}
    return {}


def _account_problems(user: User) -> dict:
    """Every problem with a new account's fields, by field, its password aside."""
    problems = {}
    for validate in (lambda: user.full_clean(exclude=['password']), lambda: check_visible_text(user)):
        try:
            validate()
        except ValidationError as exc:
            problems = exc.message_dict | problems
    return problems


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
    problems = _account_problems(user) | _password_problems(password, user)
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

    Whoever administers the person may (core.permissions), never for themselves; returns how many went.
    """
    from allauth.mfa.models import Authenticator

    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_('You cannot reset your own second factor: ask another administrator.'))
    check(actor, may_administer_person, user)
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


# People run in the service (docs/accounts.md): body administrators run their own body's people, regulator
# staff the regulator's people and bodies' administrators. Each change is an account event on the person.

INVITATION_PREFIX = 'ovi_'


def roles_offered(actor, organisation) -> list[str]:
    """The roles `actor` may give a person of `organisation`: at the regulator, regulator staff; at a body,
    its administrators give its three roles and regulator staff make its administrators."""
    Role = User.Role
    at_regulator = organisation.kind == organisation.Kind.REGULATOR
    if actor is None or sees_everything(actor):
        if at_regulator:
            return [Role.REGULATOR]
        return [Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER] if actor is None else [Role.ADMINISTRATOR]
    if may_administer_body(actor, organisation.pk) and not at_regulator:
        return [Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER]
    return []


def _check_role(actor, organisation, role: str) -> None:
    offered = roles_offered(actor, organisation)
    if not offered:
        raise PermissionDenied
    if role not in offered:
        labels = ', '.join(str(User.Role(r).label) for r in offered)
        shown = User.Role(role).label if role in User.Role.values else role
        raise ValidationError(
            {
                'role': _('You can give people of %(organisation)s these roles only: %(roles)s (not %(role)s).')
                % {'organisation': organisation, 'roles': labels, 'role': shown}
            }
        )


@transaction.atomic
def invite_person(actor, *, organisation, email: str, role: str, first_name: str = '', last_name: str = ''):
    """A new account for `email`, not yet usable: an invitation is emailed (by a task, once this commits)
    with a link that lets its owner set a password, or sign in through their organisation's service."""
    _check_role(actor, organisation, role)
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({'email': _('Enter an email address like name@example.org.')}) from None
    if _email_taken(email) or User.objects.filter(username__iexact=email).exists():
        raise ValidationError({'email': _('Another account has this email address: each person has their own.')})
    # The address is the username: people sign in with it, and it is unique among accounts.
    user = User(
        username=email,
        email=email,
        organisation=organisation,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_unusable_password()
    problems = _account_problems(user)
    if problems:
        raise ValidationError(problems)
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    now = timezone.now()
    invitation = AccountInvitation.objects.create(
        user=user,
        invited_by=actor if getattr(actor, 'pk', None) else None,
        created=now,
        expires=now + datetime.timedelta(days=settings.OVERSIGHT_INVITATION_DAYS),
    )
    record_event(
        AccountEvent.INVITED,
        user=user,
        actor=actor,
        detail={
            'email': email,
            'role': role,
            'organisation': organisation.pk,
            'expires': invitation.expires.isoformat(),
        },
    )
    _queue_invitation(actor, invitation)
    return invitation


def _queue_invitation(actor, invitation: AccountInvitation) -> None:
    from oversight.jobs.actions import start_job
    from oversight.jobs.models import Job

    start_job(
        actor,
        Job.Kind.ACCOUNT_INVITATION,
        gettext_noop('Email the invitation of %(email)s'),
        {'email': invitation.user.email},
        organisation=invitation.user.organisation,
        arguments={'invitation': invitation.pk},
    )


@transaction.atomic
def resend_invitation(actor, user: User) -> AccountInvitation:
    """A new link for an invitation not yet taken up, working for the full time again; the old link stops."""
    check(actor, may_administer_person, user)
    invitation = AccountInvitation.objects.select_for_update().filter(user=user).first()
    if invitation is None or invitation.accepted is not None:
        raise ValidationError(_('%(person)s has no invitation waiting to be taken up.') % {'person': user})
    if not user.is_active:
        raise ValidationError(_('%(person)s is deactivated: reactivate the account first.') % {'person': user})
    invitation.digest = None
    invitation.expires = timezone.now() + datetime.timedelta(days=settings.OVERSIGHT_INVITATION_DAYS)
    invitation.save(update_fields=['digest', 'expires'])
    record_event(
        AccountEvent.INVITED,
        user=user,
        actor=actor,
        detail={'expires': invitation.expires.isoformat()},
        reason='a new link, replacing the one sent before',
    )
    _queue_invitation(actor, invitation)
    return invitation


@transaction.atomic
def send_invitation(actor, invitation_id: int, *, connection=None) -> int:
    """Email the invitation with a new secret link (run by the task): how many emails went (0 or 1).

    The secret is made here and only its digest kept, so no record anywhere holds a working link. An
    invitation taken up (or an account switched off) meanwhile is not sent.
    """
    # Only the invitation is locked: PostgreSQL refuses FOR UPDATE through the nullable organisation join.
    invitation = (
        AccountInvitation.objects.select_for_update(of=('self',))
        .select_related('user__organisation')
        .get(pk=invitation_id)
    )
    user = invitation.user
    if invitation.accepted is not None or not user.is_active:
        return 0
    secret = new_secret(INVITATION_PREFIX)
    invitation.digest = digest(secret)
    invitation.sent = timezone.now()
    invitation.save(update_fields=['digest', 'sent'])
    context = {
        'person': user,
        'organisation': user.organisation,
        'email': user.email,
        'link': settings.OVERSIGHT_BASE_URL.rstrip('/') + reverse('accounts:invitation', args=[secret]),
        'expires': govuk_datetime(invitation.expires),
    }
    with translation.override(user.organisation.preferred_language):
        subject, _newline, body = render_to_string('accounts/email/invitation.txt', context).partition('\n')
    EmailMessage(
        subject.strip(), body.strip() + '\n', settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection
    ).send()
    record_event(AccountEvent.INVITATION_SENT, user=user, actor=actor, detail={'email': user.email})
    return 1


def invitation_for(secret: str) -> AccountInvitation | None:
    key = lookup_digest(secret, INVITATION_PREFIX)
    if key is None:
        return None
    return AccountInvitation.objects.select_related('user__organisation').filter(digest=key).first()


def invitation_problem(invitation: AccountInvitation | None) -> str:
    """Why this link cannot be used ('unknown', 'used', 'expired', 'deactivated'), or '' when it can."""
    if invitation is None:
        return 'unknown'
    if invitation.accepted is not None:
        return 'used'
    if not invitation.user.is_active:
        return 'deactivated'
    if invitation.has_expired():
        return 'expired'
    return ''


def refuse_invitation(invitation: AccountInvitation | None, problem: str, request=None) -> None:
    """Audit a link refused (used again, or too late) on the account it was for; an unknown link has none."""
    if invitation is not None:
        record_event(AccountEvent.INVITATION_REFUSED, user=invitation.user, request=request, reason=problem)


@transaction.atomic
def accept_invitation(secret: str, *, password: str | None, request=None) -> User:
    """Take up an invitation, once: the address is verified by the link, and the password set (or None,
    to sign in through the organisation's own service instead)."""
    key = lookup_digest(secret, INVITATION_PREFIX)
    invitation = (
        AccountInvitation.objects.select_for_update(of=('self',)).filter(digest=key).select_related('user').first()
    )
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(INVITATION_PROBLEMS[problem], code=problem)
    user = invitation.user
    if password is not None:
        problems = _password_problems(password, user)
        if problems:
            raise ValidationError(problems)
        user.set_password(password)
        user.save(update_fields=['password'])
    elif not hasattr(user.organisation, 'single_sign_on'):
        raise ValidationError(
            {
                'password': _('Choose a password: %(organisation)s does not sign in through its own service.')
                % {'organisation': user.organisation}
            }
        )
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    invitation.accepted = timezone.now()
    invitation.save(update_fields=['accepted'])
    record_event(
        AccountEvent.INVITATION_ACCEPTED,
        user=user,
        request=request,
        detail={'method': 'password' if password is not None else 'single sign-on'},
    )
    return user


INVITATION_PROBLEMS = {
    'unknown': gettext_lazy('This link is not a working invitation. Check you copied all of it from the email.'),
    'used': gettext_lazy('This invitation has already been used. Sign in with your email address instead.'),
    'expired': gettext_lazy('This invitation has expired. Ask the person who invited you to send a new one.'),
    'deactivated': gettext_lazy('The account this invitation was for has been switched off.'),
}


@transaction.atomic
def change_role(actor, user: User, role: str) -> User:
    check(actor, may_administer_person, user)
    _check_role(actor, user.organisation, role)
    if role == user.role:
        raise ValidationError(
            {'role': _('%(person)s is already %(role)s.') % {'person': user, 'role': user.get_role_display()}}
        )
    before = user.role
    user.role = role
    user.full_clean(exclude=['password'])
    user.save(update_fields=['role'])
    record_event(AccountEvent.ROLE_CHANGED, user=user, actor=actor, before={'role': before}, detail={'role': role})
    return user


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Sign a person out of every session (but `keep`, a session key): how many ended."""
    from allauth.usersessions.models import UserSession

    sessions = [s for s in UserSession.objects.filter(user=user) if s.session_key != keep]
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def deactivate_person(actor, user: User) -> User:
    """Switch an account off: it is signed out everywhere at once and its API token refused from now on."""
    check(actor, may_administer_person, user)
    if not user.is_active:
        raise ValidationError(_('%(person)s is already deactivated.') % {'person': user})
    user.is_active = False
    user.save(update_fields=['is_active'])
    ended = end_sessions(user)
    record_event(
        AccountEvent.DEACTIVATED,
        user=user,
        actor=actor,
        before={'is_active': True},
        detail={'is_active': False, 'sessions_ended': ended},
    )
    return user


@transaction.atomic
def reactivate_person(actor, user: User) -> User:
    check(actor, may_administer_person, user)
    if user.is_active:
        raise ValidationError(_('%(person)s is already active.') % {'person': user})
    user.is_active = True
    user.save(update_fields=['is_active'])
    record_event(
        AccountEvent.REACTIVATED, user=user, actor=actor, before={'is_active': False}, detail={'is_active': True}
    )
    return user


@transaction.atomic
def end_other_sessions(user: User, current_key: str, *, only: str | None = None, request=None) -> int:
    """A person signs themselves out of one other session (`only`, its key) or of all but this one."""
    from allauth.usersessions.models import UserSession

    if only is not None:
        if only == current_key or not UserSession.objects.filter(user=user, session_key=only).exists():
            raise ValidationError(_('That session is not one of your other sessions.'))
        UserSession.objects.get(user=user, session_key=only).end()
        ended = 1
    else:
        ended = end_sessions(user, keep=current_key)
    record_event(AccountEvent.SESSIONS_ENDED, user=user, request=request, detail={'sessions_ended': ended})
    return ended
