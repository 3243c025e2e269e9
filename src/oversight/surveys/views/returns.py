"""The return form a body's editors fill in, line by line or by workbook."""

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import View

from oversight.core import exports
from oversight.core.views import ActionFormView, get_scoped_or_404, require

from .. import workbook
from ..actions.returns import answer_queries, check_editable, save_draft, submit_return
from ..answers import CATEGORY_LABELS, MANUFACTURERS, Schema, answer_key
from ..forms import QueryAnswersForm, ReturnForm, UploadForm
from ..models import Invitation, Question, Return
from ..prefill import prefilled_answers
from .common import Status, can_edit_return


class EditorMixin(LoginRequiredMixin):
    """The invitation from the scoped queryset, and only its body's editors may go on."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.invitation = get_scoped_or_404(Invitation, request.user, pk=kwargs['pk'])
        require(can_edit_return(request.user, self.invitation))
        return super().dispatch(request, *args, **kwargs)


def _rows(answers: dict, category: str) -> list[tuple[str, dict]]:
    return [(f'r{n}', line) for n, line in enumerate(answers.get(answer_key(category, MANUFACTURERS)) or [], 1)]


class ReturnEditView(EditorMixin, View):
    """Fill in the return: save as a draft, come back, submit; or answer the regulator's queries."""

    template_name = 'surveys/return_form.html'

    def _context(self, form, answers, query_form=None, errors=None):
        invitation = self.invitation
        schema = form.schema
        sections = []
        for section in schema.sections:
            questions = []
            for question in section.questions.all():
                if question.kind == Question.Kind.MANUFACTURER_LINES:
                    questions.append({'question': question, 'lines': _rows(answers, section.code) + [('b1', {})]})
                else:
                    questions.append(
                        {
                            'question': question,
                            'field': form[question.key],
                            'condition': schema.condition_text(question),
                        }
                    )
            sections.append({'section': section, 'questions': questions})
        survey_return = Return.objects.filter(invitation=invitation).first()
        return {
            'title': f'{invitation.campaign}: return of {invitation.organisation}',
            'invitation': invitation,
            'survey_return': survey_return,
            'form': form,
            'query_form': query_form,
            'sections': sections,
            'errors': errors or [],
            'past_cutoff': invitation.past_cutoff(),
            'prefilled': survey_return is None and any(k.endswith(MANUFACTURERS) for k in answers),
        }

    def _query_form(self, data=None):
        if self.invitation.status != Status.RETURNED:
            return None
        queries = self.invitation.survey_return.queries.filter(answered_at__isnull=True)
        return QueryAnswersForm(data, queries=queries)

    def get(self, request, pk):
        invitation = self.invitation
        try:
            check_editable(invitation)
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
            return HttpResponseRedirect(invitation.get_absolute_url())
        survey_return = Return.objects.filter(invitation=invitation).first()
        answers = survey_return.answers if survey_return else prefilled_answers(invitation.organisation)
        schema = Schema(invitation.campaign.questionnaire)
        initial = {k: v for k, v in answers.items() if k in schema.questions}
        initial['version'] = survey_return.version if survey_return else 0
        form = ReturnForm(initial=initial, schema=schema)
        return render(request, self.template_name, self._context(form, answers, self._query_form()))

    def post(self, request, pk):
        invitation = self.invitation
        schema = Schema(invitation.campaign.questionnaire)
        form = ReturnForm(request.POST, schema=schema)
        query_form = self._query_form(request.POST)
        form.is_valid()  # every field is optional text or a choice: the action checks the answers
        if query_form is not None:
            query_form.is_valid()
        answers = form.answers(request.POST)
        command = request.POST.get('action', 'draft')
        version = form.cleaned_data.get('version')
        try:
            if command == 'answer' and query_form is not None:
                answer_queries(
                    request.user,
                    invitation.survey_return,
                    query_form.query_answers(),
                    answers,
                    expected_version=version,
                )
                messages.success(request, 'Your answers were sent and the return resubmitted.')
            elif command == 'submit':
                submit_return(request.user, invitation, answers, expected_version=version)
                messages.success(request, 'Return submitted. The Commissioner’s office will review it.')
            else:
                save_draft(request.user, invitation, answers, expected_version=version)
                messages.success(request, 'Draft saved. You can come back to it at any time before the deadline.')
        except ValidationError as exc:
            errors = []
            for key, problems in exc.message_dict.items() if hasattr(exc, 'error_dict') else [('', exc.messages)]:
                target = form if key in form.fields else query_form if query_form and key in query_form.fields else None
                for problem in problems:
                    errors.append(problem)
                    if target is not None:
                        target.add_error(key, problem)
            return render(request, self.template_name, self._context(form, answers, query_form, errors), status=400)
        return HttpResponseRedirect(invitation.get_absolute_url())


class ReturnLineView(EditorMixin, View):
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


class WorkbookUploadView(EditorMixin, ActionFormView):
    form_class = UploadForm
    template_name = 'surveys/workbook_upload.html'
    success_message = 'Workbook read: its answers are saved as your draft. Check them, then submit.'

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f'Upload the return of {self.invitation.organisation}', invitation=self.invitation, **kwargs
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
