import secrets

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse


class ContentSecurityPolicyMiddleware:
    """A strict Content Security Policy: scripts only from this site or carrying the request's nonce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        # A view whose form is answered by a redirect to another site (single sign-on) names that site here.
        request.csp_form_action = []
        response = self.get_response(request)
        form_action = ' '.join(["'self'", *request.csp_form_action])
        response.headers.setdefault(
            'Content-Security-Policy',
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{request.csp_nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            f"object-src 'none'; base-uri 'self'; form-action {form_action}; frame-ancestors 'none'",
        )
        return response


BUSY_MESSAGE = (
    'Another change was being saved at the same moment and this one could not wait for it: nothing you '
    'sent was saved. Reload, check the record, and make your change again.'
)


class DatabaseBusyMiddleware:
    """A write that lost a race for SQLite's lock past its busy timeout is a 409, as a stale edit is.

    Transactions wait for the lock (settings: transaction_mode IMMEDIATE), so this is the rare case of
    a wait longer than the timeout; the transaction has rolled back, so nothing was half-written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and 'database is locked' in str(exception)):
            return None
        if request.path.startswith('/api/') or request.path.startswith('/discovery/api/'):
            return JsonResponse({'detail': BUSY_MESSAGE}, status=409)
        return HttpResponse(BUSY_MESSAGE, status=409, content_type='text/plain; charset=utf-8')
