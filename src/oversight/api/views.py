"""The API's pages: a person's own API token, the OpenAPI schema, and the reference page read from it.

Both need sign-in, like everything else.
"""

import functools

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions

from oversight.core.dates import govuk_datetime
from oversight.core.views import ConfirmActionView

from . import actions
from .base import AUTHENTICATION
from .forms import TokenForm
from .models import ApiToken


class TokenView(LoginRequiredMixin, TemplateView):
    """Your API token: whether you have one (its scope and expiry), a form to make one, and links to replace
    or revoke it."""

    template_name = 'api/token.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_('Your API token'),
            token=ApiToken.objects.filter(user=self.request.user).first(),
            api_url=self.request.build_absolute_uri(reverse('api:api-root')),
            docs_url=reverse('api:docs'),
        )
        context.setdefault('form', TokenForm())
        return context

    def post(self, request):
        # Only a first token is made in one click; replacing one stops programs using it, so it is confirmed.
        if ApiToken.objects.filter(user=request.user).exists():
            return HttpResponseRedirect(reverse('api:token_replace'))
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            _token, secret = actions.create_api_token(
                request.user, request.user, scope=form.cleaned_data['scope'], expires=form.expires()
            )
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
            return HttpResponseRedirect(reverse('api:token'))
        return shown_once(request, secret)


def shown_once(request, secret: str):
    """The page showing a new token's secret: on this response only, which is not cached; later visits show
    only its start."""
    context = {
        'title': _('Your API token'),
        'key': secret,
        'api_url': request.build_absolute_uri(reverse('api:api-root')),
    }
    response = render(request, 'api/token_created.html', context)
    response['Cache-Control'] = 'no-store'
    return response


class OwnTokenConfirmView(ConfirmActionView):
    """A confirmation about your own API token: which token, and when it was last used."""

    def get_object(self):
        return get_object_or_404(ApiToken, user=self.request.user)

    def affects(self):
        last_used = govuk_datetime(self.object.last_used) or _('Not yet')
        return [
            (_('Your token'), _('Starts %(prefix)s…') % {'prefix': self.object.prefix}),
            (_('Scope'), self.object.get_scope_display()),
            (_('Last used'), last_used),
        ]

    def get_cancel_url(self):
        return reverse('api:token')


class TokenReplaceView(OwnTokenConfirmView):
    """Replace your own API token with a new one, after confirming: the old one stops working at once. The new
    one has the same scope, and works for as long as the old one was made to."""

    heading = _('Replace your API token?')
    button_label = _('Replace token')
    warning = _('Your current token stops working at once: programs using it must be given the new token.')

    def confirmed(self, form):
        old = self.object
        expires = timezone.now() + (old.expires - old.created) if old.expires else None
        return actions.create_api_token(self.request.user, self.request.user, scope=old.scope, expires=expires)[1]

    def form_valid(self, form):
        try:
            secret = self.run_action(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return shown_once(self.request, secret)


class TokenRevokeView(OwnTokenConfirmView):
    """Revoke your own API token, after confirming."""

    heading = _('Revoke your API token?')
    button_label = _('Revoke token')
    warning = _('A revoked token cannot be used again: programs using it must be given a new token.')
    success_message = _('Your API token is revoked: requests with it are refused from now on.')

    def confirmed(self, form):
        return actions.revoke_api_token(self.request.user, self.request.user)


@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]


class DocsView(LoginRequiredMixin, TemplateView):
    """The API reference, as a page of this service: every operation, its parameters, body and answers.

    Rendered here from the OpenAPI schema rather than by an interactive viewer, so it meets WCAG 2.2 AA
    as every other page does; tools read the schema itself (api:schema).
    """

    template_name = 'api/reference.html'

    def get_context_data(self, **kwargs):
        return super().get_context_data(title='API reference', groups=reference_groups(), **kwargs)


@functools.cache
def reference_groups() -> list[dict]:
    """The schema's operations grouped by tag, in the schema's order (built once per process: it is fixed)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    groups: dict[str, list] = {}
    for path, methods in schema['paths'].items():
        for method, operation in methods.items():
            body = operation.get('requestBody', {}).get('content', {})
            groups.setdefault((operation.get('tags') or ['other'])[0], []).append(
                {
                    'id': operation['operationId'],
                    'method': method.upper(),
                    'path': path,
                    'description': operation.get('description', ''),
                    'parameters': [
                        {
                            'name': p['name'],
                            'where': p['in'],
                            'required': p.get('required', False),
                            'type': _type_name(p.get('schema', {})),
                            'description': p.get('description', ''),
                        }
                        for p in operation.get('parameters', [])
                    ],
                    'body': [(kind, _type_name(content.get('schema', {}))) for kind, content in body.items()],
                    'responses': [
                        (
                            code,
                            answer.get('description', ''),
                            _type_name(answer.get('content', {}).get('application/json', {}).get('schema', {})),
                        )
                        for code, answer in operation.get('responses', {}).items()
                    ],
                }
            )
    return [{'tag': tag, 'operations': operations} for tag, operations in groups.items()]


def _type_name(schema: dict) -> str:
    if '$ref' in schema:
        return schema['$ref'].rpartition('/')[2]
    if schema.get('type') == 'array':
        return f'list of {_type_name(schema.get("items", {}))}'
    return schema.get('type', '')
