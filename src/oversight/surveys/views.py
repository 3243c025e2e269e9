"""The survey pages. Thin: every lookup starts from `for_user()` (another body's object is a 404),
every write goes through `actions`, and a user who may see but not change (a viewer, or the
regulator on a body's answers) gets a 403 on the write URLs.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, TemplateView, View
from django_tables2 import RequestConfig

from oversight.core import exports
from oversight.core.dates import govuk_datetime
from oversight.core.querysets import sees_everything
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    ObjectDetailView,
    ObjectListView,
    get_scoped_or_404,
    require,
)
from oversight.jobs.actions import queue_invitations, queue_reminders, queue_returns_import

from . import actions, workbook
from .answers import CATEGORY_LABELS, MANUFACTURERS, Schema, answer_key
from .concerns import ConcernResolver
from .filtersets import CampaignFilterSet, CorrectionFilterSet, InvitationFilterSet
from .forms import (
    CampaignForm,
    ContactsForm,
    CorrectionForm,
    ExtensionForm,
    NewCampaignForm,
    NewVersionForm,
    QueryAnswersForm,
    QueryForm,
    ReturnForm,
    ReturnsImportForm,
    UploadForm,
)
from .interchange import COLUMNS, export_rows
from .models import Campaign, Correction, Invitation, Question, Questionnaire, Return
from .prefill import prefilled_answers
from .snapshots import campaign_returns
from .statistics import response_statistics
from .tables import CampaignTable, CorrectionTable, InvitationTable

Status = Invitation.Status


def is_regulator(user) -> bool:
    return sees_everything(user)


def can_edit_return(user, invitation: Invitation) -> bool:
    return user.is_authenticated and user.can_edit_for(invitation.organisation_id)


def present(question: Question, value) -> str:
    """An answer as a person reads it: choice labels, not codes."""
    if value in (None, '', []):
        return 'Not answered'
    labels = dict(question.choice_pairs())
    if isinstance(value, list):
        return ', '.join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value))


# Campaigns --------------------------------------------------------------------------------------


class CampaignListView(ObjectListView):
    model = Campaign
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    template_name = 'surveys/campaign_list.html'
    export_name = 'campaigns'
    title = 'Survey campaigns'
    create_url_name = 'surveys:campaign_create'

    def get_queryset(self):
        invited = Invitation.objects.filter(campaign=OuterRef('pk')).values('campaign').annotate(n=Count('pk'))
        responded = (
            Return.objects.filter(campaign=OuterRef('pk'), submitted_at__isnull=False)
            .values('campaign')
            .annotate(n=Count('pk'))
        )
        return (
            super()
            .get_queryset()
            .annotate(invited=Subquery(invited.values('n')), responded=Subquery(responded.values('n')))
        )

    def get_table_kwargs(self):
        return {} if is_regulator(self.request.user) else {'exclude': ('invited', 'responded')}

    def can_create(self) -> bool:
        return is_regulator(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['questionnaires'] = Questionnaire.objects.for_user(self.request.user)
        if not is_regulator(self.request.user):
            context['invitations'] = (
                Invitation.objects.for_user(self.request.user)
                .select_related('campaign')
                .order_by('-campaign__year', 'campaign__title')
            )
        return context


class CampaignDetailView(LoginRequiredMixin, TemplateView):
    """The regulator's dashboard of a campaign; a body sees its own invitation to it."""

    template_name = 'surveys/campaign_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = get_scoped_or_404(Campaign, user, slug=kwargs['slug'])
        context.update(campaign=campaign, title=str(campaign), is_regulator=is_regulator(user))
        if not is_regulator(user):
            context['invitation'] = Invitation.objects.for_user(user).filter(campaign=campaign).first()
            return context
        invitations = (
            campaign.invitations.select_related('organisation', 'survey_return__campaign', 'campaign')
            .annotate(reminder_count=Count('reminders'))
            .order_by('organisation__name')
        )
        filterset = InvitationFilterSet(self.request.GET or None, queryset=invitations)
        table = InvitationTable(filterset.qs if filterset.is_bound else invitations)
        RequestConfig(self.request, paginate={'per_page': 100}).configure(table)
        context.update(
            statistics=response_statistics(campaign),
            table=table,
            filter=filterset,
            corrections=Correction.objects.filter(survey_return__campaign=campaign).count(),
        )
        return context


class CampaignCreateView(ActionFormView):
    form_class = NewCampaignForm
    success_message = 'Campaign created as a draft. Open it when its dates and questionnaire are right.'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(is_regulator(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title='New survey campaign', submit_label='Create campaign', **kwargs)

    def run_action(self, form):
        return actions.create_campaign(self.request.user, **form.values())


class CampaignEditView(ActionFormView):
    form_class = CampaignForm
    success_message = 'Campaign saved.'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = get_scoped_or_404(Campaign, request.user, slug=kwargs['slug'])
            require(is_regulator(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'instance': Campaign.objects.get(pk=self.campaign.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f'Edit {self.campaign}', **kwargs)

    def run_action(self, form):
        campaign = Campaign.objects.get(pk=self.campaign.pk)
        return actions.update_campaign(
            self.request.user, campaign, expected_version=form.cleaned_data.get('version'), **form.values()
        )


class ReturnsImportView(ActionFormView):
    """The regulator loads returns from an interchange file: checked and written by a worker, all or nothing."""

    form_class = ReturnsImportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(is_regulator(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title='Import returns from an interchange file', **kwargs)

    def run_action(self, form):
        recipients = form.cleaned_data.get('recipients')
        upload = form.cleaned_data['file']
        job = queue_returns_import(
            self.request.user,
            form.cleaned_data['campaign'],
            upload.read(),
            recipients=recipients.read() if recipients else None,
            file_name=upload.name,
        )
        messages.success(self.request, f'Importing {upload.name}: this page follows it until it is done.')
        return job


class CampaignCommandView(LoginRequiredMixin, View):
    """Open a campaign, or send its invitations or the reminders due (POST)."""

    def post(self, request, slug, command):
        campaign = get_scoped_or_404(Campaign, request.user, slug=slug)
        require(is_regulator(request.user))
        try:
            if command == 'open':
                actions.open_campaign(request.user, campaign)
                messages.success(request, f'{campaign} is open: its questionnaire is now frozen.')
            else:  # emails are sent by a worker; the task's page follows them
                send = queue_invitations if command == 'send' else queue_reminders
                job = send(request.user, campaign)
                messages.success(request, f'{job.description}: this page follows it until it is done.')
                return HttpResponseRedirect(job.get_absolute_url())
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
        return HttpResponseRedirect(campaign.get_absolute_url())


class CampaignCloseView(ConfirmActionView):
    heading = 'Close {object}?'
    button_label = 'Close the campaign'
    warning = 'A closed campaign cannot be opened again: bodies that have not submitted can no longer do so.'
    success_message = '{object} is closed.'

    def get_object(self):
        campaign = get_scoped_or_404(Campaign, self.request.user, slug=self.kwargs['slug'])
        require(is_regulator(self.request.user))
        return campaign

    def affects(self):
        outstanding = self.object.invitations.filter(status__in=Invitation.OUTSTANDING)
        return [('Campaign', str(self.object)), ('Bodies that have not submitted', str(outstanding.count()))]

    def confirmed(self, form):
        return actions.close_campaign(self.request.user, self.object)


class CampaignExportView(LoginRequiredMixin, View):
    """The campaign's returns as an interchange CSV (docs/interchange.md), as corrected or as published."""

    def get(self, request, slug):
        campaign = get_scoped_or_404(Campaign, request.user, slug=slug)
        require(is_regulator(request.user))
        as_published = request.GET.get('as') == 'published'
        rows = export_rows(campaign_returns(campaign, as_published=as_published))
        name = f'{campaign.slug}-returns' + ('-as-published' if as_published else '')
        return exports.download(request.GET.get('format', 'csv'), name, COLUMNS, rows)


class CorrectionListView(ObjectListView):
    model = Correction
    table_class = CorrectionTable
    filterset_class = CorrectionFilterSet
    template_name = 'surveys/correction_list.html'
    export_name = 'corrections'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = get_scoped_or_404(Campaign, request.user, slug=kwargs['slug'])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(survey_return__campaign=self.campaign)
            .select_related('survey_return__organisation')
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=f'Corrections to {self.campaign}', campaign=self.campaign)
        return context


# Invitations ------------------------------------------------------------------------------------


class InvitationDetailView(ObjectDetailView):
    model = Invitation
    template_name = 'surveys/invitation_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('campaign', 'organisation')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.object
        context.update(
            survey_return=Return.objects.filter(invitation=invitation).first(),
            can_edit=can_edit_return(self.request.user, invitation),
            is_regulator=is_regulator(self.request.user),
            reminders=invitation.reminders.all(),
            contacts=invitation.contacts.all(),
            past_cutoff=invitation.past_cutoff(),
            title=str(invitation),
        )
        return context


class InvitationTokenView(LoginRequiredMixin, View):
    """The link in an invitation email: the token finds the invitation, the scope still applies."""

    def get(self, request, token):
        invitation = get_object_or_404(Invitation.objects.for_user(request.user), token=token)
        return HttpResponseRedirect(invitation.get_absolute_url())


class InvitationFormView(ActionFormView):
    """Base for the regulator's forms about one invitation."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.invitation = get_scoped_or_404(Invitation, request.user, pk=kwargs['pk'])
            require(is_regulator(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self, result=None):
        return self.invitation.get_absolute_url()


class ExtendView(InvitationFormView):
    form_class = ExtensionForm
    success_message = 'Cut-off extended for this body.'

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f'Extend the cut-off for {self.invitation.organisation}', **kwargs)

    def run_action(self, form):
        return actions.extend_deadline(
            self.request.user,
            self.invitation,
            form.cleaned_data['extended_until'],
            form.cleaned_data['extension_reason'],
        )


class ContactsView(InvitationFormView):
    form_class = ContactsForm
    success_message = 'Contacts saved.'

    def get_initial(self):
        return {
            'contacts': '\n'.join(
                ', '.join(p for p in (c.name, c.email, c.role) if p) for c in self.invitation.contacts.all()
            )
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f'Contacts at {self.invitation.organisation}', **kwargs)

    def run_action(self, form):
        return actions.set_contacts(self.request.user, self.invitation, form.cleaned_data['contacts'])


# The return form --------------------------------------------------------------------------------


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
            actions.check_editable(invitation)
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
                actions.answer_queries(
                    request.user,
                    invitation.survey_return,
                    query_form.query_answers(),
                    answers,
                    expected_version=version,
                )
                messages.success(request, 'Your answers were sent and the return resubmitted.')
            elif command == 'submit':
                actions.submit_return(request.user, invitation, answers, expected_version=version)
                messages.success(request, 'Return submitted. The Commissioner’s office will review it.')
            else:
                actions.save_draft(request.user, invitation, answers, expected_version=version)
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
        return actions.save_draft(
            self.request.user,
            self.invitation,
            answers,
            expected_version=survey_return.version if survey_return else None,
            source=Return.Source.UPLOAD,
        )

    def get_success_url(self, result=None):
        return reverse('surveys:return_edit', args=[self.invitation.pk])


# Reading and reviewing a return -----------------------------------------------------------------


class ReturnDetailView(ObjectDetailView):
    model = Return
    template_name = 'surveys/return_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('campaign__questionnaire', 'invitation', 'organisation')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey_return = self.object
        schema = Schema(survey_return.campaign.questionnaire)
        corrections = list(survey_return.corrections.select_related('recorded_by').order_by('recorded_at', 'pk'))
        by_field: dict[str, list] = {}
        for correction in corrections:
            by_field.setdefault(correction.field, []).append(correction)
        resolver = ConcernResolver(survey_return.campaign.concern_list)
        sections = []
        for section in schema.sections:
            rows = []
            for question in section.questions.all():
                key = question.key
                if question.kind == Question.Kind.MANUFACTURER_LINES:
                    lines = []
                    for number, line in enumerate(survey_return.answers.get(key) or [], 1):
                        prefix = f'{key}.{number}.'
                        lines.append(
                            {
                                'number': number,
                                'line': line,
                                'concern': resolver.maker_of_concern(line['manufacturer'], line['brand']),
                                'corrections': [
                                    {'attribute': f[len(prefix) :], 'correction': c}
                                    for f, cs in by_field.items()
                                    if f.startswith(prefix)
                                    for c in cs
                                ],
                            }
                        )
                    rows.append({'question': question, 'lines': lines})
                else:
                    rows.append(
                        {
                            'question': question,
                            'answer': present(question, survey_return.answers.get(key)),
                            'corrections': [
                                {'correction': c, 'old': present(question, c.old_value)} for c in by_field.get(key, [])
                            ],
                        }
                    )
            sections.append({'section': section, 'rows': rows})
        user = self.request.user
        status = survey_return.invitation.status
        context.update(
            sections=sections,
            queries=survey_return.queries.select_related('raised_by', 'answered_by'),
            corrections=corrections,
            is_regulator=is_regulator(user),
            can_review=is_regulator(user) and status == Status.SUBMITTED,
            can_correct=is_regulator(user) and status == Status.ACCEPTED,
            can_edit=can_edit_return(user, survey_return.invitation) and status == Status.RETURNED,
            query_form=QueryForm(initial={'version': survey_return.version}),
        )
        return context


class ReviewMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.survey_return = get_scoped_or_404(Return, request.user, pk=kwargs['pk'])
        require(is_regulator(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self, result=None):
        return self.survey_return.get_absolute_url()


class ReturnQueryView(ReviewMixin, ActionFormView):
    form_class = QueryForm
    success_message = 'Returned to the body with your query.'

    def get_initial(self):
        return {'version': self.survey_return.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f'Return with a query: {self.survey_return.organisation}', submit_label='Return with query', **kwargs
        )

    def run_action(self, form):
        return actions.return_with_query(
            self.request.user,
            self.survey_return,
            form.cleaned_data['text'],
            expected_version=form.cleaned_data.get('version'),
        )


class ReturnAcceptView(ReviewMixin, ConfirmActionView):
    destructive = False
    button_label = 'Accept the return'
    warning = 'An accepted return cannot be sent back to the body: any later change is recorded as a correction.'

    def get_object(self):
        return self.survey_return

    def get_heading(self):
        return f'Accept the return of {self.survey_return.organisation}?'

    def affects(self):
        submitted = self.survey_return.last_submitted_at or self.survey_return.submitted_at
        return [
            ('Body', str(self.survey_return.organisation)),
            ('Campaign', str(self.survey_return.campaign)),
            ('Submitted', govuk_datetime(submitted) if submitted else 'Not yet'),
        ]

    def confirmed(self, form):
        return actions.accept_return(
            self.request.user, self.survey_return, expected_version=form.cleaned_data['version']
        )

    def get_success_message(self, result):
        return f'The return of {self.survey_return.organisation} is accepted.'


class CorrectionCreateView(ReviewMixin, ActionFormView):
    form_class = CorrectionForm
    success_message = 'Correction recorded; the original answer stays on the return.'

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'fields': actions.correctable_fields(self.survey_return)}

    def get_initial(self):
        return {'date': timezone.localdate(), 'field': self.request.GET.get('field', '')}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f'Record a correction: {self.survey_return.organisation}', submit_label='Record correction', **kwargs
        )

    def run_action(self, form):
        return actions.record_correction(self.request.user, self.survey_return, **form.cleaned_data)


# Questionnaires ---------------------------------------------------------------------------------


class QuestionnaireDetailView(LoginRequiredMixin, DetailView):
    template_name = 'surveys/questionnaire_detail.html'
    slug_field = 'slug'

    def get_queryset(self):
        return Questionnaire.objects.for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sections=self.object.sections.prefetch_related('questions'),
            campaigns=Campaign.objects.for_user(self.request.user).filter(questionnaire=self.object),
            is_regulator=is_regulator(self.request.user),
            title=str(self.object),
        )
        return context


class QuestionnaireVersionView(ActionFormView):
    form_class = NewVersionForm
    success_message = 'New version created: its questions can change until a campaign using it opens.'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.questionnaire = get_object_or_404(Questionnaire.objects.for_user(request.user), slug=kwargs['slug'])
            require(is_regulator(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f'New version of {self.questionnaire}', **kwargs)

    def run_action(self, form):
        return actions.copy_questionnaire(self.request.user, self.questionnaire, **form.cleaned_data)
