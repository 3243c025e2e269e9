"""The Discovery pages and the agent's upload endpoint. Thin: scope from `for_user()`, writes through `actions`.

Viewers read their body's scans; editors upload, compare again, accept devices and manage scan
tokens; another body's scan or device is a 404. The upload endpoint authenticates by scan token
only (never by session), so it is exempt from CSRF: a browser cannot send the token for a site.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView, View
from django_tables2 import RequestConfig
from rest_framework.exceptions import Throttled

from oversight.core.dates import govuk_datetime
from oversight.core.permissions import may_edit_body, sees_everything
from oversight.core.text import whole_number
from oversight.core.throttling import ScanUploadThrottle, TokenFailures, too_many_response
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    ObjectDetailView,
    ObjectListView,
    Require,
    RequireBodyEditor,
    get_editable,
)
from oversight.jobs.actions import queue_scan
from oversight.register.models import EquipmentLine

from . import actions
from .filtersets import DeviceFilterSet, ScanFilterSet
from .forms import AcceptDeviceForm, ScanFileForm, TokenForm
from .models import DiscoveredDevice, Scan, ScanToken
from .results import LABELS
from .tables import DeviceTable, MismatchTable, ScanTable, UnseenTable


class ScanListView(ObjectListView):
    model = Scan
    table_class = ScanTable
    filterset_class = ScanFilterSet
    template_name = 'discovery/scan_list.html'
    export_name = 'scans'
    title = _('Network discovery')

    def get_queryset(self):
        return super().get_queryset().select_related('organisation')

    def get_table_kwargs(self):
        return {} if sees_everything(self.request.user) else {'exclude': ('organisation',)}


class ScanDetailView(ObjectDetailView):
    model = Scan
    template_name = 'discovery/scan_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'uploaded_by', 'token')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scan = self.object
        devices = DiscoveredDevice.objects.for_user(self.request.user).filter(scan=scan).select_related('line')
        filterset = DeviceFilterSet(self.request.GET or None, queryset=devices, prefix='devices')
        config = RequestConfig(self.request, paginate={'per_page': 25})
        context.update(
            mismatched=config.configure(MismatchTable(devices.mismatched(), prefix='mismatched-')),
            undeclared=config.configure(
                DeviceTable(devices.undeclared(), prefix='undeclared-', exclude=('line', 'match'))
            ),
            unseen=config.configure(UnseenTable(scan.unseen.select_related('line__site'), prefix='unseen-')),
            devices=config.configure(DeviceTable(filterset.qs, prefix='all-')),
            filter=filterset,
        )
        return context


class DeviceDetailView(ObjectDetailView):
    model = DiscoveredDevice
    template_name = 'discovery/device_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('scan__organisation', 'line__site', 'line__made_by')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.object
        context['can_accept'] = device.line_id is None and may_edit_body(self.request.user, device.scan.organisation_id)
        context['observed'] = [
            (LABELS.get(name, name), value, device.sources.get(name, '')) for name, value in device.observed.items()
        ]
        return context


class ScanUploadView(RequireBodyEditor, ActionFormView):
    form_class = ScanFileForm
    template_name = 'discovery/scan_upload.html'

    def run_action(self, form):
        """The file is checked now; a worker identifies its devices and compares them with the register."""
        upload = form.cleaned_data['file']
        job, new = queue_scan(
            self.request.user,
            self.request.user.organisation,
            upload.read(),
            source=Scan.Source.FILE,
            filename=upload.name,
        )
        if new:
            messages.success(
                self.request,
                _('Uploaded %(name)s: this page follows it until it is processed.') % {'name': upload.name},
            )
        else:
            messages.info(
                self.request, _('%(name)s was uploaded before: this is the task that took it.') % {'name': upload.name}
            )
        return job

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = _('Upload scan results')
        return context


class ReconcileView(LoginRequiredMixin, View):
    def post(self, request, pk):
        scan = get_editable(Scan, request.user, pk=pk)
        actions.reconcile_scan(request.user, scan)
        messages.success(request, _('Compared with the register as it is now.'))
        return HttpResponseRedirect(scan.get_absolute_url())


class AcceptDeviceView(Require, ActionFormView):
    """One step from a device on the network to a line in the register, with its history."""

    form_class = AcceptDeviceForm
    template_name = 'discovery/accept.html'

    def allowed(self) -> bool:
        self.device = get_editable(DiscoveredDevice, self.request.user, pk=self.kwargs['pk'])
        return True

    def get(self, request, *args, **kwargs):
        return self.already_in_register() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.already_in_register() or super().post(request, *args, **kwargs)

    def already_in_register(self):
        if self.device.line_id is None:
            return None
        messages.info(self.request, _('This device already matches a line of the register.'))
        return HttpResponseRedirect(self.device.get_absolute_url())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['user'] = self.request.user
        kwargs['instance'] = EquipmentLine(organisation=self.device.scan.organisation)
        return kwargs

    def get_initial(self):
        return actions.suggested_line(self.device)

    def run_action(self, form):
        line = actions.accept_device(self.request.user, self.device, **form.model_values())
        messages.success(self.request, _('Added to the register: %(line)s.') % {'line': line})
        return line

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['device'] = self.device
        context['title'] = _('Add the device at %(address)s to the register') % {'address': self.device.address}
        return context


# Scan tokens


class TokenListView(RequireBodyEditor, TemplateView):
    template_name = 'discovery/token_list.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = _('Scan tokens')
        context['tokens'] = ScanToken.objects.for_user(self.request.user).select_related('created_by', 'revoked_by')
        context['upload_url'] = self.request.build_absolute_uri(reverse('discovery:upload_api'))
        return context


class TokenCreateView(RequireBodyEditor, ActionFormView):
    form_class = TokenForm
    template_name = 'core/object_form.html'

    def run_action(self, form):
        return actions.create_token(self.request.user, self.request.user.organisation, form.cleaned_data['name'])

    def form_valid(self, form):
        try:
            token, secret = self.run_action(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        # Shown once, on this response only: the secret is not stored and the page is not cached.
        response = render(
            self.request,
            'discovery/token_created.html',
            {
                'title': _('Scan token created'),
                'token': token,
                'secret': secret,
                'upload_url': self.request.build_absolute_uri(reverse('discovery:upload_api')),
            },
        )
        response['Cache-Control'] = 'no-store'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_('Create a scan token'), submit_label=_('Create token'))
        return context


class TokenRevokeView(ConfirmActionView):
    heading = _('Revoke the scan token {object}?')
    button_label = _('Revoke token')
    warning = _('A revoked token cannot be used again: agents using it must be given a new token.')
    success_message = _('Revoked {object.name}: uploads with it are refused from now on.')

    def get_object(self):
        return get_editable(ScanToken, self.request.user, pk=self.kwargs['pk'])

    def affects(self):
        last_used = govuk_datetime(self.object.last_used) or _('Never')
        return [(_('Token'), str(self.object)), (_('Body'), str(self.object.organisation)), (_('Last used'), last_used)]

    def get_cancel_url(self):
        return reverse('discovery:token_list')

    def confirmed(self, form):
        return actions.revoke_token(self.request.user, self.object)


# The agent's upload endpoint


@csrf_exempt
def upload_api(request):
    """POST JSON lines (or nmap XML) with `Authorization: Bearer <scan token>`; 201 with the scan's counts."""
    if request.method != 'POST':
        return JsonResponse({'error': 'POST the results of `oversight discover` here.'}, status=405)
    scheme, _, secret = request.headers.get('Authorization', '').partition(' ')
    token = None
    if scheme.lower() == 'bearer' and secret.strip():
        failures = TokenFailures(request)
        try:
            failures.check()
        except Throttled as exc:
            return too_many_response(exc)
        if (token := actions.token_for(secret.strip())) is None:
            failures.failed()
    if token is None:
        response = JsonResponse({'error': 'A valid scan token is needed (Authorization: Bearer <token>).'}, status=401)
        response['WWW-Authenticate'] = 'Bearer realm="oversight", error="invalid_token"'
        return response
    try:
        ScanUploadThrottle().count(request, token)
    except Throttled as exc:
        return too_many_response(exc)
    limit = settings.OVERSIGHT_MAX_UPLOAD_BYTES
    declared = whole_number(request.META.get('CONTENT_LENGTH') or '0')
    if declared is None or declared > limit:
        return _too_large(limit)
    content = request.read(limit + 1)
    if len(content) > limit:
        return _too_large(limit)
    actor = actions.TokenActor(f'scan token "{token.name}"')
    try:
        job, new = queue_scan(
            actor,
            token.organisation,
            content,
            source=Scan.Source.AGENT,
            token=token,
            idempotency_key=request.headers.get('Idempotency-Key', ''),
        )
    except ValidationError as exc:
        return JsonResponse({'errors': exc.messages}, status=422 if getattr(exc, 'code', None) == 'key_reused' else 400)
    except PermissionDenied as exc:
        return JsonResponse({'error': str(exc) or 'This token may not upload that scan.'}, status=403)
    # Accepted: a worker identifies the devices and compares them with the register; the body's editors
    # follow it (and find the scan) at the task's page.
    answer = {'task': job.pk, 'url': request.build_absolute_uri(job.get_absolute_url())}
    if new:
        return JsonResponse(answer, status=202)
    # Uploaded before (the same bytes, or the same Idempotency-Key): the task that took it, and its scan.
    response = JsonResponse(answer | {'scan': request.build_absolute_uri(job.result_url) if job.result_url else None})
    response['Idempotent-Replayed'] = 'true'
    return response


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {'error': f'The upload is larger than {limit:,} bytes: scan smaller ranges and upload each.'}, status=413
    )
