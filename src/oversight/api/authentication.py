"""How a person's program signs in to the API: `Authorization: Token <secret>`.

In a module of its own, apart from the views, because DRF imports its authentication classes from the
settings while its view modules are still loading.
"""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from oversight.core.throttling import TokenFailures

from .actions import token_for


class PersonalTokenAuthentication(TokenAuthentication):
    """The secret is checked against the stored digests (api.actions.token_for); an unknown one is a 401,
    and past the limit of wrong tokens from the client's address every token is a 429 (core.throttling)."""

    def authenticate(self, request):
        self.request = request  # for the count of wrong tokens, read only when a token is sent
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        failures = TokenFailures(self.request)
        failures.check()
        token = token_for(key)
        if token is None or not token.user.is_active:
            failures.failed()
            raise exceptions.AuthenticationFailed('The API token is not valid: it is unknown or has been replaced.')
        return token.user, token
