"""Reports: the regulator's draft with its checks, publication, and the published versions everyone signed in reads.

A body's user never reaches a draft (404): only published versions, which are aggregate findings.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core import exports
from oversight.core.permissions import sees_everything
from oversight.core.views import ActionFormView, ConfirmActionView, ObjectListView, RequireSeesEverything
from oversight.jobs.actions import queue_publication

from . import actions, downloads, narrative, report
from .filtersets import ReportFilterSet
from .forms import NewReportForm, PublishForm, ReportForm, WithdrawForm
from .models import Report, ReportVersion
from .pdf import UntaggedPdf, render_pdf
from .tables import ReportTable


class ReportListView(ObjectListView):
    model = Report
    table_class = ReportTable
    filterset_class = ReportFilterSet
    template_name = 'findings/report_list.html'
    title = _('Findings')
    export_name = 'reports'
    create_url_name = 'findings:report_create'

    def get_queryset(self):
        return super().get_queryset().select_related('campaign').prefetch_related('versions')

    def can_create(self) -> bool:
        return sees_everything(self.request.user)


class RegulatorMixin(RequireSeesEverything):
    """Drafts and their actions are the regulator's: anyone else gets a 404, as for any object they cannot see."""

    refused_with = Http404

    @cached_property
    def report(self) -> Report:
        return get_object_or_404(
            Report.objects.for_user(self.request.user).select_related('campaign__concern_list'),
            campaign__slug=self.kwargs['slug'],
        )


class ReportCreateView(RegulatorMixin, ActionFormView):
    form_class = NewReportForm
    success_message = _('Report started: edit its text, check it, then publish it.')

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_('Start a report'), submit_label=_('Start the report'), **kwargs)

    def run_action(self, form):
        return actions.create_report(self.request.user, form.cleaned_data['campaign'])


class ReportEditView(RegulatorMixin, ActionFormView):
    form_class = ReportForm
    template_name = 'findings/report_form.html'
    success_message = _('Report text saved.')

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'instance': self.report, 'user': self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            title=_('Edit %(report)s') % {'report': self.report}, submit_label=_('Save the text'), **kwargs
        )
        context['names'] = narrative.namespace(report.build(self.report.campaign))
        context['report'] = self.report
        return context

    def run_action(self, form):
        return actions.update_report(
            self.request.user,
            self.report,
            title=form.cleaned_data['title'],
            narrative_text=form.cleaned_data['narrative'],
            title_cy=form.cleaned_data['title_cy'],
            narrative_cy=form.cleaned_data['narrative_cy'],
            expected_version=form.cleaned_data['version'],
        )


class ReportView(LoginRequiredMixin, TemplateView):
    """The regulator's draft with live figures and the checks; anyone else is shown the latest published version."""

    template_name = 'findings/report.html'

    def get(self, request, *args, **kwargs):
        found = get_object_or_404(
            Report.objects.for_user(request.user).select_related('campaign__concern_list'),
            campaign__slug=kwargs['slug'],
        )
        if not sees_everything(request.user):
            return HttpResponseRedirect(found.latest().get_absolute_url())
        self.report = found
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        found = self.report
        data = report.build(found.campaign)
        context = super().get_context_data(**kwargs)
        previous = found.latest()
        context.update(
            actions.version_context(
                found, data, found.narrative, found.narrative_cy, draft=True, status_line=actions.draft_status()
            ),
            check=narrative.check(found.narrative, data, welsh=found.narrative_cy),
            versions=found.versions.select_related('withdrawal').order_by('-number'),
            # Publish is greyed out, with the reason beside it, rather than offered and then refused.
            nothing_changed=actions.nothing_changed(previous) if actions.unchanged_since(found, data, previous) else '',
            tables_base=f'{found.get_absolute_url()}tables/',
        )
        return context


class PublishView(RegulatorMixin, ConfirmActionView):
    """Confirm, then publish: the checks are made now, the figures frozen and the PDF rendered by a worker."""

    form_class = PublishForm
    destructive = False
    warning = _(
        'A published version cannot be changed: anyone can read it, without signing in, at its public address '
        '(Publications), in English and in Welsh, and a later change is published as a new version. Withdrawing it '
        'takes it down from that address but not from the record.'
    )

    def get_object(self):
        return self.report

    def get_heading(self):
        return gettext('Publish version %(number)s of %(title)s?') % {
            'number': self.number(),
            'title': self.report.shown_title(),
        }

    @cached_property
    def checked(self):
        found = self.report
        return narrative.check(found.narrative, report.build(found.campaign), welsh=found.narrative_cy)

    def number(self) -> int:
        latest = self.report.latest()
        return latest.number + 1 if latest else 1

    def get_initial(self):
        return {**super().get_initial(), 'unchecked': self.checked.unchecked_fingerprint}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'unchecked': bool(self.checked.unchecked)}

    def affects(self):
        return [(gettext('Campaign'), str(self.report.campaign)), (gettext('Report'), self.report.shown_title())]

    def get_button_label(self):
        return gettext('Publish version %(versions)s') % {'versions': self.number()}

    def get_cancel_url(self):
        return self.report.get_absolute_url()

    def confirmed(self, form):
        return queue_publication(
            self.request.user,
            self.report,
            note=form.cleaned_data['note'],
            expected_version=form.cleaned_data['version'],
            confirmed_unchecked=form.confirmed_unchecked(),
        )

    def get_success_message(self, result):
        return 'Publishing: this page follows it until the new version is published.'

    def get_success_url(self, result=None):
        return result.get_absolute_url()


class WithdrawView(RegulatorMixin, ConfirmActionView):
    """Confirm, with the reason, then take a published version down from its public addresses."""

    form_class = WithdrawForm
    warning = _(
        'Its public page, files and feed entry will be gone (a 404), in English and in Welsh. The version stays on '
        'record here, marked as withdrawn with your reason; a withdrawal cannot be undone.'
    )
    button_label = _('Withdraw this version')
    success_message = _('Withdrawn: {object} is no longer public.')

    def get_object(self):
        version = _version(self.request.user, self.kwargs['slug'], self.kwargs['number'])
        if hasattr(version, 'withdrawal'):
            raise Http404
        return version

    def get_heading(self):
        return gettext('Withdraw version %(number)s of %(title)s?') % {
            'number': self.object.number,
            'title': self.object.shown_title(),
        }

    def affects(self):
        return [(gettext('Report'), self.object.shown_title()), (gettext('Version'), str(self.object.number))]

    def confirmed(self, form):
        return actions.withdraw_version(self.request.user, self.object, reason=form.cleaned_data['reason'])


class DraftPdfView(RegulatorMixin, View):
    def get(self, request, slug):
        found = self.report
        data = report.build(found.campaign)
        # In the page's language: the regulator checks each rendering before publishing both.
        context = actions.version_context(
            found, data, found.narrative, found.narrative_cy, draft=True, status_line=actions.draft_status()
        )
        try:
            pdf = render_pdf(context)
        except UntaggedPdf as refused:
            # Said on the draft page, where the regulator can act on it, rather than as a server error.
            messages.error(request, refused.message)
            return HttpResponseRedirect(found.get_absolute_url())
        return _pdf_response(pdf, f'{found.campaign.slug}-findings-draft.pdf')


class DraftTableView(RegulatorMixin, View):
    def get(self, request, slug, name, fmt):
        found = self.report
        return _table_response(name, fmt, report.build(found.campaign), f'{found.campaign.slug}-draft')


def _version(user, slug, number) -> ReportVersion:
    return get_object_or_404(
        ReportVersion.objects.for_user(user).select_related('report__campaign'),
        report__campaign__slug=slug,
        number=number,
    )


class VersionView(LoginRequiredMixin, TemplateView):
    """A published version, rendered from its own frozen data and text."""

    template_name = 'findings/report.html'

    def get_context_data(self, **kwargs):
        version = _version(self.request.user, kwargs['slug'], kwargs['number'])
        found = version.report
        context = super().get_context_data(**kwargs)
        context.update(
            actions.version_context(
                found,
                version.data,
                version.narrative_source,
                version.narrative_source_cy,
                draft=False,
                number=version.number,
                published_at=version.published_at,
                published_by_name=version.published_by_name,
                status_line=gettext('Version %(number)s') % {'number': version.number},
            ),
            title=version.shown_title(),
            title_lang=version.title_lang(),
            version=version,
            versions=found.versions.select_related('withdrawal').order_by('-number'),
            latest=found.latest(),
            tables_base=f'{version.get_absolute_url()}tables/',
        )
        return context


class VersionPdfView(LoginRequiredMixin, View):
    """The PDF frozen at publication, in English, or in Welsh (`welsh`): a 404 for a version published without one."""

    welsh = False

    def get(self, request, slug, number):
        version = _version(request.user, slug, number)
        pdf = bytes(version.pdf_cy if self.welsh else version.pdf)
        if not pdf:
            raise Http404
        return _pdf_response(pdf, f'{slug}-findings-v{number}{"-cy" if self.welsh else ""}.pdf')


class VersionTableView(LoginRequiredMixin, View):
    def get(self, request, slug, number, name, fmt):
        version = _version(request.user, slug, number)
        return _table_response(name, fmt, version.data, f'{slug}-v{number}')


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type='application/pdf')
    response['Content-Disposition'] = f'attachment; filename="{filename}"'
    return response


def _table_response(name: str, fmt: str, data: dict, prefix: str) -> HttpResponse:
    with downloads.english():
        table = downloads.table(name, data)
    if table is None:
        raise Http404
    return exports.download(fmt, f'{prefix}-{table.name}', table.headers, table.rows)
