"""Reading a return, and the regulator reviewing it: queries, acceptance and corrections."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.dates import govuk_datetime
from oversight.core.permissions import may_edit_body, sees_everything
from oversight.core.views import ActionFormView, ConfirmActionView, ObjectDetailView, Require, get_scoped_or_404

from ..actions.corrections import record_correction
from ..actions.returns import accept_return, return_with_query
from ..answers import Schema
from ..concerns import ConcernResolver
from ..corrections import correctable_fields
from ..forms import CorrectionForm, QueryForm
from ..models import Question, Return
from .common import Status, present


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
            can_review=sees_everything(user) and status == Status.SUBMITTED,
            can_correct=sees_everything(user) and status == Status.ACCEPTED,
            can_edit=may_edit_body(user, survey_return.invitation.organisation_id) and status == Status.RETURNED,
            query_form=QueryForm(initial={'version': survey_return.version}),
        )
        return context


class ReviewMixin(Require):
    """Regulator staff review a return; a body's user is refused (403), another body's return is a 404."""

    def allowed(self) -> bool:
        self.survey_return = get_scoped_or_404(Return, self.request.user, pk=self.kwargs['pk'])
        return sees_everything(self.request.user)

    def get_success_url(self, result=None):
        return self.survey_return.get_absolute_url()


class ReturnQueryView(ReviewMixin, ActionFormView):
    form_class = QueryForm
    success_message = _('Returned to the body with your query.')

    def get_initial(self):
        return {'version': self.survey_return.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Return with a query: %(organisation)s') % {'organisation': self.survey_return.organisation},
            submit_label=_('Return with query'),
            **kwargs,
        )

    def run_action(self, form):
        return return_with_query(
            self.request.user,
            self.survey_return,
            form.cleaned_data['text'],
            expected_version=form.cleaned_data.get('version'),
        )


class ReturnAcceptView(ReviewMixin, ConfirmActionView):
    destructive = False
    button_label = _('Accept the return')
    warning = _('An accepted return cannot be sent back to the body: any later change is recorded as a correction.')

    def get_object(self):
        return self.survey_return

    def get_heading(self):
        return _('Accept the return of %(organisation)s?') % {'organisation': self.survey_return.organisation}

    def affects(self):
        submitted = self.survey_return.last_submitted_at or self.survey_return.submitted_at
        return [
            (_('Body'), str(self.survey_return.organisation)),
            (_('Campaign'), str(self.survey_return.campaign)),
            (_('Submitted'), govuk_datetime(submitted) if submitted else _('Not yet')),
        ]

    def confirmed(self, form):
        return accept_return(self.request.user, self.survey_return, expected_version=form.cleaned_data['version'])

    def get_success_message(self, result):
        return _('The return of %(organisation)s is accepted.') % {'organisation': self.survey_return.organisation}


class CorrectionCreateView(ReviewMixin, ActionFormView):
    form_class = CorrectionForm
    success_message = _('Correction recorded; the original answer stays on the return.')

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'fields': correctable_fields(self.survey_return)}

    def get_initial(self):
        return {'date': timezone.localdate(), 'field': self.request.GET.get('field', '')}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Record a correction: %(organisation)s') % {'organisation': self.survey_return.organisation},
            submit_label=_('Record correction'),
            **kwargs,
        )

    def run_action(self, form):
        return record_correction(self.request.user, self.survey_return, **form.cleaned_data)
