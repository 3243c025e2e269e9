"""Every write of the API app: a person's API token, created or revoked, audited on their account.

A token is DRF's (rest_framework.authtoken): the key is shown once when it is made. The audit row
records that a token was made or revoked, never the key itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from oversight.core.audit import record_change, snapshot
from oversight.core.models import ObjectChange
from oversight.core.querysets import sees_everything


def _require_self_or_administrator(actor, user) -> None:
    """People manage their own token; regulator staff anyone's; a command on the server (actor None) too."""
    if actor is None:
        return
    if not actor.is_active or (actor.pk != user.pk and not sees_everything(actor)):
        raise PermissionDenied


@transaction.atomic
def create_api_token(actor, user) -> Token:
    """A new token for `user`, replacing any they had (the old key stops working at once)."""
    _require_self_or_administrator(actor, user)
    if not user.is_active:
        raise ValidationError(f'{user} is not an active account: it cannot have an API token.')
    replaced = Token.objects.filter(user=user).delete()[0]
    token = Token.objects.create(user=user)
    state = snapshot(user)
    message = 'API token replaced' if replaced else 'API token created'
    record_change(actor, user, ObjectChange.Action.UPDATE, state, state, message)
    return token


@transaction.atomic
def revoke_api_token(actor, user) -> None:
    _require_self_or_administrator(actor, user)
    if not Token.objects.filter(user=user).delete()[0]:
        raise ValidationError(f'{user} has no API token to revoke.')
    state = snapshot(user)
    record_change(actor, user, ObjectChange.Action.UPDATE, state, state, 'API token revoked')
