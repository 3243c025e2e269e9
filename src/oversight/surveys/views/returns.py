"""The return form a body's editors fill in, line by line or by workbook."""

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from oversight.core import exports
from oversight.core.views import ActionFormView, Require, get_editable, get_scoped_or_404

from .. import journey, workbook
from ..actions.returns import (
    Declaration,
    answer_queries,
    check_editable,
    save_draft,
    save_section,
    submit_return,
)
from ..answers import CATEGORY_LABELS, MANUFACTURERS, Schema, check_answers, unasked_removed
from ..forms import DeclarationForm, QueryAnswersForm, SectionForm, UploadForm
from ..models import Campaign, Invitation, Question, Return
from ..prefill import Known, known_answers, prefilled_answers, register_devices
from .common import Status


class ReturnEditorMixin(Require):
    """The invitation its body's editors answer: another body's is a 404, for anyone else a 403."""

    def allowed(self) -> bool:
        self.invitation = get_editable(Invitation, self.request.user, pk=self.kwargs['pk'])
        return True

    def refusal(self):
        """Back to the invitation, saying why, when its return can no longer be changed; None when it can."""
        try:
            check_editable(self.invitation)
        except ValidationError as exc:
            messages.error(self.request, ' '.join(exc.messages))
            return HttpResponseRedirect(self.invitation.get_absolute_url())
        return None


def _problems(exc: ValidationError) -> dict[str, list[str]]:
    """Each problem by the answer key (or "<key>.<line>") it is about; "" for the return as a whole."""
    if hasattr(exc, 'error_dict'):
        return {('' if key == NON_FIELD_ERRORS else key): list(messages) for key, messages in exc.message_dict.items()}
    return {'': list(exc.messages)}


def _summary(problems: dict[str, list[str]], schema: Schema, form=None) -> list[tuple[str, str]]:
    """The error summary: (the id of the input to go to, or "", message), in the order of the questions."""
    order = {key: n for n, key in enumerate(schema.questions)}
    found = []
    for where, messages_ in sorted(problems.items(), key=lambda item: order.get(item[0].rsplit('.', 1)[0], -1)):
        key, _dot, line = where.partition('.') if where.count('.') == 2 else (where, '', '')
        question = schema.questions.get(key if not line else where.rsplit('.', 1)[0])
        if question is not None:
            anchor = journey.field_id(question, f'r{line}' if line else 'r1')
            if question.kind == Question.Kind.MANUFACTURER_LINES and not line:
                anchor = journey.field_id(question, 'b1')
        elif form is not None and where in form.fields:
            anchor = form[where].id_for_label
        else:
            anchor = ''
        found += [(anchor, message) for message in messages_]
    return found


def _typed_lines(raw: dict) -> dict:
    """The posted lines as typed, less the empty rows the action also skips, so line numbers agree."""
    return {
        key: [line for line in value if any(str(v or '').strip() for v in line.values())]
        for key, value in raw.items()
        if key.endswith(f'.{MANUFACTURERS}')
    }


class TaskListView(ReturnEditorMixin, View):
    """The return as a GOV.UK task list: a task per section, then check your answers and submit."""

    def get(self, request, pk):
        invitation = self.invitation
        if refused := self.refusal():
            return refused
        survey_return = Return.objects.filter(invitation=invitation).first()
        schema = Schema(invitation.campaign.questionnaire)
        tasks, check = journey.task_list(schema, invitation, survey_return)
        done = sum(task.status == journey.COMPLETED for task in tasks)
        queries = survey_return.queries.filter(answered_at__isnull=True) if survey_return else []
        return render(
            request,
            'surveys/return_tasks.html',
            {
                'title': _('Return of %(organisation)s') % {'organisation': invitation.organisation},
                'invitation': invitation,
                'survey_return': survey_return,
                'tasks': tasks,
                'check': check,
                'done': done,
                'queries': queries if invitation.status == Status.RETURNED else [],
                'past_cutoff': invitation.past_cutoff(),
            },
        )


class SectionView(ReturnEditorMixin, View):
    """One section of the return: its questions, revealed as they apply; saved to come back to, or completed."""

    template_name = 'surveys/return_section.html'

    def _setup(self, code):
        self.schema = Schema(self.invitation.campaign.questionnaire)
        self.section = next((s for s in self.schema.sections if s.code == code), None)
        if self.section is None:
            raise Http404('No such section.')
        self.survey_return = Return.objects.filter(invitation=self.invitation).first()

    def _render(self, form, answers, *, problems=None, known=None, status=200, notice=''):
        invitation, section, schema = self.invitation, self.section, self.schema
        known = known or Known()
        problems = problems or {}
        devices = register_devices(invitation.organisation)
        cleaned = check_answers(schema, answers)[0]  # the answers as typed, where the page is shown again
        warnings = journey.section_warnings_for(schema, section, cleaned, invitation, register_devices=devices)
        confirmed = {w['code'] for w in (self.survey_return.confirmed_warnings if self.survey_return else [])}
        if self.request.method == 'POST':
            confirmed = set(self.request.POST.getlist('confirm'))
        errors: dict[str, list[str]] = {}
        for where, messages_ in problems.items():
            errors.setdefault('.'.join(where.split('.')[:2]), []).extend(messages_)
        summary = _summary(problems, schema, form)
        position = schema.sections.index(section)
        return render(
            self.request,
            self.template_name,
            {
                'title': _('%(section)s – return of %(organisation)s')
                % {'section': section.shown_title, 'organisation': invitation.organisation},
                'invitation': invitation,
                'section': section,
                'number': position + 1,
                'count': len(schema.sections),
                'form': form,
                'items': journey.section_items(
                    schema,
                    section,
                    form,
                    answers,
                    errors=errors,
                    sources=known.sources,
                    evidence=known.evidence,
                    warnings=warnings,
                ),
                'confirmed': confirmed,
                'error_summary': summary,
                'notice': notice,
                'prefilled': bool(known.sources),
                'returned': invitation.status == Status.RETURNED,
            },
            status=status,
        )

    def get(self, request, pk, code):
        self._setup(code)
        invitation = self.invitation
        if refused := self.refusal():
            return refused
        saved = self.survey_return.answers if self.survey_return else {}
        prefix = f'{self.section.code}.'
        known = None
        if not any(key.startswith(prefix) for key in saved):
            # A section not yet saved starts from what Oversight knows, each answer marked with its source.
            found = known_answers(invitation)
            known = Known(
                {k: v for k, v in found.answers.items() if k.startswith(prefix)},
                {k: v for k, v in found.sources.items() if k.startswith(prefix)},
                {k: v for k, v in found.evidence.items() if k.startswith(prefix)},
            )
            answers = known.answers
        else:
            answers = saved
        initial = {k: v for k, v in answers.items() if k in self.schema.questions}
        initial['version'] = self.survey_return.version if self.survey_return else 0
        if self.section.code in (self.survey_return.completed_sections if self.survey_return else []):
            initial['completed'] = 'yes'
        form = SectionForm(initial=initial, schema=self.schema, section=self.section)
        return self._render(form, answers, known=known)

    def post(self, request, pk, code):
        self._setup(code)
        invitation, section = self.invitation, self.section
        form = SectionForm(request.POST, schema=self.schema, section=section)
        form.is_valid()  # every field is optional text or a choice: the action checks the answers
        raw = form.answers(request.POST)
        raw = {k: v for k, v in raw.items() if k.startswith(f'{section.code}.')}
        later = request.POST.get('action') == 'later'
        completed = not later and form.cleaned_data.get('completed') == 'yes'
        # What was typed is shown again whatever happens: the bound form keeps the fields, these the lines.
        cleaned = check_answers(self.schema, raw)[0]
        cleaned = unasked_removed(self.schema, cleaned)
        typed = {**cleaned, **_typed_lines(raw)}
        if not later and not form.cleaned_data.get('completed'):
            problems = {'completed': [_('Select whether you have completed this section')]}
            return self._render(form, typed, problems=problems, status=400)
        devices = register_devices(invitation.organisation)
        warnings = journey.section_warnings_for(self.schema, section, cleaned, invitation, register_devices=devices)
        chosen = set(request.POST.getlist('confirm'))
        try:
            save_section(
                request.user,
                invitation,
                section.code,
                raw,
                completed=completed,
                confirmed=[w for w in warnings if w.code in chosen],
                warnings=warnings,
                expected_version=form.cleaned_data.get('version'),
            )
        except ValidationError as exc:
            invitation.refresh_from_db()
            invitation.campaign.refresh_from_db()
            if invitation.campaign.status != Campaign.Status.OPEN and invitation.status != Status.RETURNED:
                # Closed while the page was open: what was typed is shown again, so nothing is lost.
                notice = _(
                    '%(campaign)s closed while you were filling in this page, so these answers could not be saved. '
                    'They are shown below as you typed them: copy anything you need, and contact the '
                    'Commissioner’s office.'
                ) % {'campaign': invitation.campaign}
                return self._render(form, typed, notice=notice)
            return self._render(form, typed, problems=_problems(exc), status=400)
        if later:
            messages.success(request, _('Your answers have been saved. You can come back to this section later.'))
            return HttpResponseRedirect(request.path)
        messages.success(request, _('%(section)s: your answers have been saved.') % {'section': section.shown_title})
        return HttpResponseRedirect(reverse('surveys:return_edit', args=[invitation.pk]))


class CheckAnswersView(ReturnEditorMixin, View):
    """Check your answers: every section as a summary list with change links; a query is answered here."""

    template_name = 'surveys/return_check.html'

    def _context(self, query_form=None, problems=None):
        invitation = self.invitation
        survey_return = Return.objects.filter(invitation=invitation).first()
        schema = Schema(invitation.campaign.questionnaire)
        summary = _summary(problems or {}, schema, query_form)
        return {
            'title': _('Check your answers – return of %(organisation)s') % {'organisation': invitation.organisation},
            'invitation': invitation,
            'survey_return': survey_return,
            'sections': journey.summary(schema, invitation, survey_return.answers),
            'confirmed_warnings': journey.confirmed_warnings(schema, invitation, survey_return),
            'query_form': query_form,
            'error_summary': summary,
        }

    def _query_form(self, data=None):
        if self.invitation.status != Status.RETURNED:
            return None
        queries = self.invitation.survey_return.queries.filter(answered_at__isnull=True)
        return QueryAnswersForm(data, queries=queries)

    def _not_ready(self):
        """Where to send someone who cannot check their answers yet, with why; None when they can."""
        invitation = self.invitation
        if refused := self.refusal():
            return refused
        survey_return = Return.objects.filter(invitation=invitation).first()
        schema = Schema(invitation.campaign.questionnaire)
        tasks, check = journey.task_list(schema, invitation, survey_return)
        if not check.url and invitation.status != Status.RETURNED:
            messages.error(self.request, _('Complete every section before you check your answers.'))
            return HttpResponseRedirect(reverse('surveys:return_edit', args=[invitation.pk]))
        return None

    def get(self, request, pk):
        return self._not_ready() or render(request, self.template_name, self._context(self._query_form()))

    def post(self, request, pk):
        """Answer the regulator's queries and resubmit the return as it stands."""
        refused = self._not_ready()
        if refused is not None:
            return refused
        query_form = self._query_form(request.POST)
        if query_form is None:
            return HttpResponseRedirect(reverse('surveys:return_declare', args=[self.invitation.pk]))
        query_form.is_valid()
        survey_return = self.invitation.survey_return
        try:
            answer_queries(
                request.user,
                survey_return,
                query_form.query_answers(),
                survey_return.answers,
                expected_version=_version(request.POST),
            )
        except ValidationError as exc:
            problems = _problems(exc)
            for where, found in problems.items():
                if where in query_form.fields:
                    for message in found:
                        query_form.add_error(where, message)
            return render(request, self.template_name, self._context(query_form, problems), status=400)
        messages.success(request, _('Your answers were sent and the return resubmitted.'))
        return HttpResponseRedirect(self.invitation.get_absolute_url())


def _version(post):
    try:
        return int(post.get('version', ''))
    except ValueError:
        return None


class DeclarationView(ReturnEditorMixin, View):
    """The declaration by the person submitting, on behalf of the SRO; accepting it submits the return."""

    template_name = 'surveys/return_declaration.html'

    def _render(self, form, status=200):
        summary = [
            (form[name].id_for_label if name in form.fields else '', e) for name, es in form.errors.items() for e in es
        ]
        return render(
            self.request,
            self.template_name,
            {
                'title': _('Declaration – return of %(organisation)s') % {'organisation': self.invitation.organisation},
                'invitation': self.invitation,
                'form': form,
                'error_summary': summary,
            },
            status=status,
        )

    def _ready(self):
        invitation = self.invitation
        survey_return = Return.objects.filter(invitation=invitation).first()
        if invitation.status == Status.RETURNED:
            return None, HttpResponseRedirect(reverse('surveys:return_check', args=[invitation.pk]))
        if refused := self.refusal():
            return None, refused
        tasks, check = journey.task_list(Schema(invitation.campaign.questionnaire), invitation, survey_return)
        if not check.url:
            messages.error(self.request, _('Complete every section before you make the declaration.'))
            return None, HttpResponseRedirect(reverse('surveys:return_edit', args=[invitation.pk]))
        return survey_return, None

    def get(self, request, pk):
        survey_return, refused = self._ready()
        if refused:
            return refused
        sro = survey_return.answers.get('governance.sro_name', '')
        form = DeclarationForm(initial={'declared_for': sro, 'version': survey_return.version})
        return self._render(form)

    def post(self, request, pk):
        survey_return, refused = self._ready()
        if refused:
            return refused
        form = DeclarationForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        invitation = self.invitation
        warnings = journey.return_warnings(Schema(invitation.campaign.questionnaire), survey_return.answers, invitation)
        data = form.cleaned_data
        try:
            submit_return(
                request.user,
                invitation,
                survey_return.answers,
                expected_version=data['version'],
                declaration=Declaration(data['declarant_name'], data['declarant_role'], data['declared_for']),
                warnings=warnings,
            )
        except ValidationError as exc:
            for where, found in _problems(exc).items():
                for message in found:
                    form.add_error(where if where in form.fields else None, message)
            return self._render(form, status=400)
        return HttpResponseRedirect(reverse('surveys:return_submitted', args=[invitation.pk]))


class SubmittedView(LoginRequiredMixin, View):
    """The confirmation panel: the return was submitted, with its reference."""

    def get(self, request, pk):
        invitation = get_scoped_or_404(Invitation, request.user, pk=pk)
        survey_return = Return.objects.filter(invitation=invitation, reference__isnull=False).first()
        if survey_return is None:
            raise Http404('This return has not been submitted.')
        return render(
            request,
            'surveys/return_submitted.html',
            {'title': _('Return submitted'), 'invitation': invitation, 'survey_return': survey_return},
        )


class ReturnLineView(ReturnEditorMixin, View):
    """HTMX: a blank manufacturer-line row for a category (GET ?category=), or nothing (?remove=1)."""

    def get(self, request, pk):
        if request.GET.get('remove'):
            return HttpResponse('')
        category = request.GET.get('category', '')
        if category not in CATEGORY_LABELS:
            return HttpResponse(status=400)
        row = f'n{secrets.token_hex(4)}'
        return render(
            request,
            'surveys/line_row.html',
            {'invitation': self.invitation, 'category': category, 'row': row, 'line': {}},
        )


class WorkbookDownloadView(LoginRequiredMixin, View):
    """The body's return workbook, pre-filled with its draft or its register."""

    def get(self, request, pk):
        invitation = get_scoped_or_404(Invitation, request.user, pk=pk)
        survey_return = Return.objects.filter(invitation=invitation).first()
        answers = survey_return.answers if survey_return else prefilled_answers(invitation.organisation)
        response = HttpResponse(workbook.build(invitation, answers), content_type=exports.XLSX_CONTENT_TYPE)
        name = f'{invitation.campaign.slug}-{invitation.organisation.slug}-return.xlsx'
        response['Content-Disposition'] = f'attachment; filename="{name}"'
        return response


class WorkbookUploadView(ReturnEditorMixin, ActionFormView):
    form_class = UploadForm
    template_name = 'surveys/workbook_upload.html'
    success_message = gettext_lazy('Workbook read: its answers are saved as your draft. Check them, then submit.')

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Upload the return of %(organisation)s') % {'organisation': self.invitation.organisation},
            invitation=self.invitation,
            **kwargs,
        )

    def run_action(self, form):
        upload = form.cleaned_data['file']
        try:
            answers = workbook.read(self.invitation, upload.name, upload.read())
        except workbook.WorkbookError as exc:
            raise ValidationError(exc.problems) from exc
        survey_return = Return.objects.filter(invitation=self.invitation).first()
        return save_draft(
            self.request.user,
            self.invitation,
            answers,
            expected_version=survey_return.version if survey_return else None,
            source=Return.Source.UPLOAD,
        )

    def get_success_url(self, result=None):
        return reverse('surveys:return_edit', args=[self.invitation.pk])
