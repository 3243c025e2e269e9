"""Signed-in sessions end after a while without a request (OVERSIGHT_SESSION_IDLE_MINUTES).

The time of a session's last request is kept in the session and in its allauth `UserSession` row (the
"Your sessions" page reads it), but written at most once a GRAIN. SESSION_SAVE_EVERY_REQUEST, or allauth's
own activity tracking, would write on every page view (measured: one UPDATE a request against none, at about
the same 20 ms a request on SQLite); the time is not the cost, the write is: on SQLite every write takes the
database's one write lock, so every page view would queue behind imports and submissions. Knowing the last
use to the minute is enough for a 30-minute limit.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LAST_SEEN = 'oversight_last_seen'
GRAIN = 60  # seconds


def start_idle_clock(request) -> None:
    """Signing in is a use: the clock starts then, not at the first page after it (connected in signals.py)."""
    request.session[LAST_SEEN] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, 'user', None)
        if user is not None and user.is_authenticated and request.session.session_key:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.OVERSIGHT_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _('You were signed out after %(minutes)d minutes without using Oversight. Sign in again.')
                    % {'minutes': settings.OVERSIGHT_SESSION_IDLE_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= GRAIN:
                from allauth.usersessions.models import UserSession

                request.session[LAST_SEEN] = now
                # The row allauth made at sign-in (or one for a session started otherwise), its last use now.
                UserSession.objects.create_from_request(request)
        return self.get_response(request)
