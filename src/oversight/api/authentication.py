"""How a person's program signs in to the API: `Authorization: Token <secret>`.

In a module of its own, apart from the views, because DRF imports its authentication classes from the
settings while its view modules are still loading.
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS

from oversight.core.dates import govuk_datetime
from oversight.core.permissions import is_active
from oversight.core.throttling import TokenFailures

from .actions import token_for


class PersonalTokenAuthentication(TokenAuthentication):
    """The secret is checked against the stored digests (api.actions.token_for); an unknown one is a 401,
    and past the limit of wrong tokens from the client's address every token is a 429 (core.throttling).

    Checked on every request, here rather than in each view's permissions, so no view can forget them: a
    deactivated person's or an expired token is a 401, and a read-only token asking to change anything a 403.
    """

    def authenticate(self, request):
        self.request = request  # for the count of wrong tokens, read only when a token is sent
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        failures = TokenFailures(self.request)
        failures.check()
        token = token_for(key)
        if token is None or not is_active(token.user):
            failures.failed()
            raise exceptions.AuthenticationFailed('The API token is not valid: it is unknown or has been replaced.')
        if token.has_expired():
            raise exceptions.AuthenticationFailed(
                _('The API token expired on %(date)s: make a new one on your API token page.')
                % {'date': govuk_datetime(token.expires)}
            )
        view = self.request.parser_context.get('view')
        # A view whose POST only computes an answer (identification) says so, and read-only tokens may use it.
        reads_only = getattr(view, 'reads_only', False)
        if token.scope == token.Scope.READ and self.request.method not in SAFE_METHODS and not reads_only:
            raise exceptions.PermissionDenied(
                _('This API token is read-only: it cannot change data. Make a read and write token to do so.')
            )
        return token.user, token


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """How the API reference describes the token: its scheme, and what its scope and expiry mean."""

    target_class = PersonalTokenAuthentication
    name = 'tokenAuth'
    priority = 1  # over drf-spectacular's own description of DRF's TokenAuthentication

    def get_security_definition(self, auto_schema):
        return {
            'type': 'apiKey',
            'in': 'header',
            'name': 'Authorization',
            'description': (
                'A personal API token (ova_...) from the "Your API token" page, sent as "Token <key>". A token '
                'does what its person may do; a read-only token only reads, and a request to change anything '
                'with it is refused 403. A token with an expiry is refused 401 from then on, saying so, as is '
                'every token of a deactivated account.'
            ),
        }
