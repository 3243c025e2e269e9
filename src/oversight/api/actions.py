"""Every write of the API app: a person's API token, created or revoked, audited on their account.

The secret is returned once, to be shown once; only its digest is stored (core.tokens). The audit row
(an account event) records that a token was issued, with its scope and expiry, or revoked, never the secret.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.accounts.events import AccountEvent, record_event
from oversight.core.permissions import check, may_manage_api_token
from oversight.core.tokens import digest, lookup_digest, new_secret

from .models import ApiToken

TOKEN_PREFIX = 'ova_'
# Noting every request's time would be a write per API call; to the minute or so is what people need.
LAST_USED_GRAIN = datetime.timedelta(minutes=5)


@transaction.atomic
def create_api_token(actor, user, *, scope=ApiToken.Scope.READ_WRITE, expires=None) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, replacing any token they had (the old one stops working at once).

    `scope` says whether it may change data (as far as its person may: by default, as before scopes); `expires`,
    if given, when it stops working.
    """
    check(actor, may_manage_api_token, user)
    if not user.is_active:
        raise ValidationError(_('%(user)s is not an active account: it cannot have an API token.') % {'user': user})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({'scope': _('Choose read only or read and write, not %(scope)r.') % {'scope': scope}})
    if expires is not None and expires <= timezone.now():
        raise ValidationError({'expires': _('The expiry date must be in the future.')})
    replaced = ApiToken.objects.filter(user=user).delete()[0]
    secret = new_secret(TOKEN_PREFIX)
    token = ApiToken.objects.create(user=user, prefix=secret[:10], digest=digest(secret), scope=scope, expires=expires)
    record_event(
        AccountEvent.TOKEN_ISSUED,
        user=user,
        actor=actor,
        detail={'scope': scope, 'expires': expires.isoformat() if expires else None, 'prefix': token.prefix},
        reason='replacing the token they had' if replaced else '',
    )
    return token, secret


@transaction.atomic
def revoke_api_token(actor, user) -> None:
    check(actor, may_manage_api_token, user)
    token = ApiToken.objects.filter(user=user).first()
    if token is None:
        raise ValidationError(_('%(user)s has no API token to revoke.') % {'user': user})
    token.delete()
    record_event(AccountEvent.TOKEN_REVOKED, user=user, actor=actor, detail={'prefix': token.prefix})


def token_for(secret: str) -> ApiToken | None:
    """The token with this secret, or None. Its last use is noted at most every few minutes (not audited)."""
    key = lookup_digest(secret, TOKEN_PREFIX)
    if key is None:
        return None
    token = ApiToken.objects.select_related('user').filter(digest=key).first()
    if token is not None and (token.last_used is None or timezone.now() - token.last_used > LAST_USED_GRAIN):
        ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token
