"""The API's pages: a person's own API token, and the schema and its browsable documentation.

The documentation is Swagger UI served from this site's own static files (drf-spectacular-sidecar),
with its start-up script fetched as a separate file: no inline script or style, and nothing from a
CDN, so the Content Security Policy holds on these pages too. Both need sign-in, like everything else.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, permissions

from oversight.core.dates import govuk_datetime
from oversight.core.views import ConfirmActionView

from . import actions
from .base import AUTHENTICATION
from .models import ApiToken

SWAGGER_UI_STATIC = 'drf_spectacular_sidecar/swagger-ui-dist'


class TokenView(LoginRequiredMixin, TemplateView):
    """Your API token: whether you have one, and buttons to make (or replace) and revoke it."""

    template_name = 'api/token.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title='Your API token',
            token=ApiToken.objects.filter(user=self.request.user).first(),
            api_url=self.request.build_absolute_uri(reverse('api:api-root')),
            docs_url=reverse('api:docs'),
        )
        return context

    def post(self, request):
        try:
            _, secret = actions.create_api_token(request.user, request.user)
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
            return HttpResponseRedirect(reverse('api:token'))
        # Shown on this response only: the page is not cached, and later visits show only its start.
        response = render(request, 'api/token_created.html', {**self.get_context_data(), 'key': secret})
        response['Cache-Control'] = 'no-store'
        return response


class TokenRevokeView(ConfirmActionView):
    """Revoke your own API token, after confirming."""

    heading = 'Revoke your API token?'
    button_label = 'Revoke token'
    warning = 'A revoked token cannot be used again: programs using it must be given a new token.'
    success_message = 'Your API token is revoked: requests with it are refused from now on.'

    def get_object(self):
        return get_object_or_404(ApiToken, user=self.request.user)

    def affects(self):
        last_used = govuk_datetime(self.object.last_used) or 'Not yet'
        return [('Your token', f'Starts {self.object.prefix}…'), ('Last used', last_used)]

    def get_cancel_url(self):
        return reverse('api:token')

    def confirmed(self, form):
        return actions.revoke_api_token(self.request.user, self.request.user)


@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local static files; its settings script is a second request to this same URL."""

    permission_classes = [permissions.IsAuthenticated]
    template_name = 'api/swagger_ui.html'
    url_name = 'api:schema'
    title = 'Oversight API'

    @staticmethod
    def _swagger_ui_resource(filename):
        return static(f'{SWAGGER_UI_STATIC}/{filename}')

    @staticmethod
    def _swagger_ui_favicon():
        return static(f'{SWAGGER_UI_STATIC}/favicon-32x32.png')

    def handle_exception(self, exc):
        # A person who is not signed in is sent to sign in, as on every other page.
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
