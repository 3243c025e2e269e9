"""Limits on how fast the API may be asked, counted in the cache every node shares (settings.CACHES).

Three limits, each a setting (`OVERSIGHT_THROTTLE_RATES`, docs/operations.md):

- `token_failures`: wrong API or scan tokens from one client address. Past the limit, every token from
  that address is refused (429) until the oldest failure leaves the window, right ones too, so a guesser
  cannot tell a hit from a miss by the answer.
- `scan_upload`: scan uploads per scan token, or per person uploading with their own credentials.
- `identify`: identification requests per person.

An over-limit request is answered 429 with `Retry-After` (seconds). Counts are a sliding window of
request times kept under one cache key per client, so two web servers on one database (or one Redis)
share them.
"""

import math

from django.conf import settings
from django.http import JsonResponse
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle


class RateFromSettings(SimpleRateThrottle):
    """DRF's sliding-window throttle with its rate read from our settings when used, not when imported."""

    def get_rate(self):
        return settings.OVERSIGHT_THROTTLE_RATES[self.scope]


class ScopedThrottle(RateFromSettings):
    """Requests per credential: the scan token when an agent uploads with one, otherwise the person."""

    def get_cache_key(self, request, view):
        return self.key_for(request, request.auth)

    def key_for(self, request, auth) -> str:
        # A credential of its own (discovery's scan token) says how it is counted: `throttle_ident`.
        ident = getattr(auth, 'throttle_ident', '')
        if not ident and request.user.is_authenticated:
            ident = f'user-{request.user.pk}'
        ident = ident or f'address-{self.get_ident(request)}'
        return self.cache_format % {'scope': self.scope, 'ident': ident}

    def count(self, request, auth) -> None:
        """For a view outside DRF: count this request made with `auth`; Throttled past the limit."""
        self.key, self.now = self.key_for(request, auth), self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        if len(self.history) >= self.num_requests:
            wait = max(1, math.ceil(self.wait() or 1))
            raise Throttled(wait, detail=too_many(self.scope))
        self.throttle_success()


class ScanUploadThrottle(ScopedThrottle):
    scope = 'scan_upload'


class IdentifyThrottle(ScopedThrottle):
    scope = 'identify'


WHAT = {
    'token_failures': 'Too many wrong tokens were sent from your address',
    'scan_upload': 'Too many scans were uploaded with these credentials',
    'identify': 'Too many identification requests were made with these credentials',
}


def too_many(scope: str) -> str:
    """DRF's Throttled adds "Expected available in N seconds." to this."""
    return f'{WHAT[scope]}.'


class SaysWhatIsLimited:
    """For a DRF view with one of these throttles: its 429 names what was limited and when to try again."""

    def throttled(self, request, wait):
        wait = max(1, math.ceil(wait or 1))
        raise Throttled(wait, detail=too_many(self.get_throttles()[0].scope))


class TokenFailures(RateFromSettings):
    """Wrong tokens from one client address. `check` before a token is looked up, `failed` after a miss."""

    scope = 'token_failures'

    def __init__(self, request):
        super().__init__()
        self.key = self.cache_format % {'scope': self.scope, 'ident': self.get_ident(request)}
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def wait(self) -> int:
        """Seconds until the oldest failure counted leaves the window (at least one)."""
        return max(1, math.ceil(self.history[-1] + self.duration - self.now))

    def check(self) -> None:
        """Refuse every token from an address past its limit of failures (Throttled, answered 429)."""
        if len(self.history) >= self.num_requests:
            wait = self.wait()
            raise Throttled(wait, detail=too_many(self.scope))

    def failed(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


def too_many_response(exc: Throttled) -> JsonResponse:
    """A Throttled refusal for a view outside DRF (the agent's upload endpoint): 429 with Retry-After."""
    response = JsonResponse({'error': str(exc.detail)}, status=429)
    response['Retry-After'] = str(exc.wait)
    return response
