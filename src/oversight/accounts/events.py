"""Account events (sign-in, failures, lock-outs, password resets, second factors, single sign-on) as audit rows.

They are not changes to a record, so each is an `ObjectChange` of action "event" on the person's account,
with the kind of event in `after['event']` and the reason in words in the message. A failure names no
account when the name tried matches nobody; the row then keeps the name tried and no object.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from oversight.core.models import ObjectChange


class AccountEvent(models.TextChoices):
    SIGNED_IN = 'signed-in', 'Signed in'
    SIGN_IN_FAILED = 'sign-in-failed', 'Sign-in failed'
    LOCKED_OUT = 'locked-out', 'Sign-in locked after repeated failures'
    PASSWORD_RESET_REQUESTED = 'password-reset-requested', 'Password reset requested'
    PASSWORD_RESET = 'password-reset', 'Password reset by email link'
    PASSWORD_CHANGED = 'password-changed', 'Password changed'
    EMAIL_VERIFIED = 'email-verified', 'Email address verified'
    SECOND_FACTOR_ADDED = 'second-factor-added', 'Second factor added'
    SECOND_FACTOR_REMOVED = 'second-factor-removed', 'Second factor removed'
    SECOND_FACTOR_FAILED = 'second-factor-failed', 'Second factor refused'
    RECOVERY_CODES_GENERATED = 'recovery-codes-generated', 'Recovery codes generated'
    SECOND_FACTOR_RESET = 'second-factor-reset', 'Second factor reset by an administrator'
    SSO_REFUSED = 'sso-refused', 'Single sign-on refused'
    INVITED = 'invited', 'Invited to Oversight'
    INVITATION_SENT = 'invitation-sent', 'Invitation emailed'
    INVITATION_ACCEPTED = 'invitation-accepted', 'Invitation accepted'
    INVITATION_REFUSED = 'invitation-refused', 'Invitation link refused'
    ROLE_CHANGED = 'role-changed', 'Role changed'
    DEACTIVATED = 'deactivated', 'Account deactivated'
    REACTIVATED = 'reactivated', 'Account reactivated'
    SESSIONS_ENDED = 'sessions-ended', 'Signed out of other sessions'
    TOKEN_ISSUED = 'token-issued', 'API token issued'
    TOKEN_REVOKED = 'token-revoked', 'API token revoked'


def client_address(request) -> str:
    if request is None:
        return ''
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ''


_SELF = object()  # the person the event concerns did it themselves


def record_event(
    event: AccountEvent, *, user=None, actor=_SELF, name: str = '', request=None, detail=None, reason='', before=None
):
    """One audit row for an account event.

    `user` is the account the event concerns (None when the name tried matches nobody), `actor` who did it
    (the person themselves unless said otherwise, None for the system; nobody for a failure), `name` the
    name tried; `before`, for an event that changes a field (a role), what it was.
    """
    from .models import User

    if actor is _SELF:
        actor = None if event in FAILURES else user
    after = {'event': event.value, 'address': client_address(request), **(detail or {})}
    if name:
        after['name_tried'] = name[:150]
    return ObjectChange.objects.create(
        time=timezone.now(),
        user=actor if getattr(actor, 'pk', None) else None,
        user_name=getattr(actor, 'username', '') or ('anonymous' if event in FAILURES else 'system'),
        organisation_id=getattr(user, 'organisation_id', None),
        action=ObjectChange.Action.EVENT,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk) if user is not None else '',
        object_repr=(str(user) if user is not None else name)[:200],
        before=before,
        after=after,
        message=(f'{event.label}: {reason}' if reason else event.label)[:300],
    )


FAILURES = frozenset(
    {
        AccountEvent.SIGN_IN_FAILED,
        AccountEvent.LOCKED_OUT,
        AccountEvent.PASSWORD_RESET_REQUESTED,
        AccountEvent.SECOND_FACTOR_FAILED,
        AccountEvent.SSO_REFUSED,
        AccountEvent.INVITATION_REFUSED,
    }
)
