"""Governance pages. Thin: scope from `for_user()` (through the system's body), writes through `actions`.

A system of another body is a 404; a user who may see a system but not change it (a viewer, the regulator)
gets a 403 on the edit page.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView, View
from django_tables2 import RequestConfig

from oversight.core.dates import govuk_date
from oversight.core.history import readable_history
from oversight.core.models import ObjectChange
from oversight.core.permissions import may_edit_body, require, sees_everything
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    ObjectDetailView,
    ObjectListView,
    Require,
    RequireSeesEverything,
    ScopedMixin,
    get_editable,
    get_scoped_or_404,
)
from oversight.register.models import System

from . import actions
from .filtersets import GovernanceFilterSet, ReviewTaskFilterSet
from .forms import AnswerForm, AssessmentGroupForm, EvidenceForm, GovernanceForm, PlanActionForm, ResolveTaskForm
from .models import Answer, Assessment, Evidence, Governance, Principle, ReviewTask, Transparency
from .public import public_page
from .querysets import EXPIRY_WARNING_DAYS, certification_status, dpia_status
from .tables import GovernanceTable, ReviewTaskTable, TaskCountTable


class GovernanceListView(ObjectListView):
    """Every system the user may see, with its DPIA and certification status."""

    model = System
    table_class = GovernanceTable
    filterset_class = GovernanceFilterSet
    export_name = 'governance'
    title = gettext_lazy('Governance of systems')
    template_name = 'compliance/governance_list.html'

    def get_queryset(self):
        systems = super().get_queryset().select_related('organisation', 'governance')
        return systems.annotate(dpia=dpia_status('governance__'), certification=certification_status('governance__'))

    def get_table_kwargs(self):
        return {} if sees_everything(self.request.user) else {'exclude': ('organisation',)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['warning_days'] = EXPIRY_WARNING_DAYS
        return context


class GovernanceDetailView(ScopedMixin, DetailView):
    """A system's governance record; the page exists before the record does, so an editor can start it."""

    model = System
    template_name = 'compliance/governance_detail.html'

    def get_context_data(self, **kwargs):
        user = self.request.user
        record = Governance.objects.for_user(user).with_status().filter(system=self.object).first()
        changes = ObjectChange.objects.for_user(user).for_object(record)[:50] if record else []
        context = super().get_context_data(**kwargs)
        context.update(
            system=self.object,
            record=record,
            title=_('Governance of %(name)s') % {'name': self.object.name},
            # The record's history; the system's own is on the register's page.
            history=readable_history(changes, user),
            evidence=Evidence.objects.for_user(user).filter(system=self.object).select_related('principle'),
            assessments=Assessment.objects.for_user(user).filter(system=self.object),
            tasks=ReviewTask.objects.for_user(user).filter(system=self.object, resolved_at__isnull=True),
        )
        return context


class SystemFormView(Require, ActionFormView):
    """A change to a system's governance; only the body's editors get past `allowed`."""

    def allowed(self) -> bool:
        self.system = get_editable(System, self.request.user, pk=self.kwargs['pk'])
        return True

    def get_success_url(self, result=None):
        return reverse('compliance:governance_detail', args=[self.system.pk])


class GovernanceEditView(SystemFormView):
    """Record or change a system's governance record."""

    form_class = GovernanceForm
    success_message = gettext_lazy('Governance record saved.')

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        record = Governance.objects.filter(system=self.system).first() or Governance(system=self.system)
        return {**kwargs, 'user': self.request.user, 'instance': record}

    def run_action(self, form):
        return actions.record_governance(
            self.request.user, self.system, form.cleaned_data['version'], **form.model_values()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = _('Governance of %(name)s') % {'name': self.system.name}
        return context


class PrincipleListView(ScopedMixin, ListView):
    """The Code's 12 guiding principles, each with its source and whether its wording is verified."""

    model = Principle
    template_name = 'compliance/principle_list.html'
    extra_context = {'title': gettext_lazy('The 12 guiding principles')}


class EvidenceAddView(SystemFormView):
    """Upload a document as evidence for the system's governance."""

    form_class = EvidenceForm
    success_message = gettext_lazy('Evidence uploaded.')

    def run_action(self, form):
        data = form.cleaned_data
        return actions.add_evidence(
            self.request.user, self.system, data['file'], title=data['title'], principle=data['principle']
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_('Add evidence for %(name)s') % {'name': self.system.name}, submit_label=_('Upload'))
        return context


class EvidenceDownloadView(LoginRequiredMixin, View):
    """The file, always as a download of the kind its content was found to be: never shown in the browser,
    so a file cannot run as a page of this site."""

    def get(self, request, pk):
        evidence = get_scoped_or_404(Evidence, request.user, pk=pk)
        response = FileResponse(
            evidence.file.open('rb'),
            as_attachment=True,
            filename=evidence.filename,
            content_type=evidence.content_type,
        )
        response['X-Content-Type-Options'] = 'nosniff'
        return response


class EvidenceDeleteView(ConfirmActionView):
    heading = gettext_lazy('Delete the evidence {object}?')
    warning = gettext_lazy(
        'The deletion is recorded in the history, but the file itself is gone and cannot be restored.'
    )
    button_label = gettext_lazy('Delete')
    success_message = gettext_lazy('Deleted {object}.')

    def get_object(self):
        return get_editable(Evidence, self.request.user, pk=self.kwargs['pk'])

    def affects(self):
        return [
            (_('Evidence'), self.object.title),
            (_('File'), self.object.filename),
            (_('System'), self.object.system.name),
        ]

    def get_cancel_url(self) -> str:
        return reverse('compliance:governance_detail', args=[self.object.system_id])

    def confirmed(self, form):
        actions.delete_evidence(self.request.user, self.object)


# Self-assessments


class AssessmentStartView(ConfirmActionView):
    """Start a self-assessment of a system (a new version, from the last frozen one, if there is one)."""

    destructive = False
    button_label = gettext_lazy('Start')
    success_message = gettext_lazy('Started {object}.')
    warning = ''

    def get_object(self):
        return get_editable(System, self.request.user, pk=self.kwargs['pk'])

    def get_heading(self) -> str:
        return _('Start a self-assessment of %(name)s?') % {'name': self.object.name}

    def get_cancel_url(self) -> str:
        return reverse('compliance:governance_detail', args=[self.object.pk])

    def confirmed(self, form):
        self.started = actions.start_assessment(self.request.user, self.object)
        return self.started

    def get_success_message(self, result) -> str:
        return f'Started {self.started}.'

    def get_success_url(self, result=None):
        return self.started.get_absolute_url()


class AssessmentDetailView(ScopedMixin, DetailView):
    """The assessment principle by principle: the Code's text, the answer, and the action plan."""

    model = Assessment
    template_name = 'compliance/assessment_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('system', 'frozen_by').prefetch_related('also_covers')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answers = {a.principle_id: a for a in self.object.answers.all()}
        plan = {}
        for item in self.object.plan.all():
            plan.setdefault(item.principle_id, []).append(item)
        context.update(
            title=str(self.object),
            rows=[(p, answers.get(p.pk), plan.get(p.pk, [])) for p in Principle.objects.all()],
            can_edit=may_edit_body(self.request.user, self.object.system.organisation_id) and not self.object.frozen,
            can_publish=self.object.frozen and may_edit_body(self.request.user, self.object.system.organisation_id),
        )
        return context


class AssessmentFormView(Require, ActionFormView):
    """A change to one principle of an open assessment; only the body's editors get past `allowed`."""

    def allowed(self) -> bool:
        self.assessment = get_editable(Assessment, self.request.user, pk=self.kwargs['pk'])
        self.principle = get_object_or_404(Principle, number=self.kwargs['number'])
        return True

    def get_success_url(self, result=None):
        return self.assessment.get_absolute_url() + f'#principle-{self.principle.number}'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = f'{self.heading} {self.principle.number}: {self.assessment}'
        return context


class AnswerView(AssessmentFormView):
    form_class = AnswerForm
    heading = gettext_lazy('Answer principle')
    success_message = gettext_lazy('Answer saved.')

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        answer = Answer.objects.filter(assessment=self.assessment, principle=self.principle).first()
        return {**kwargs, 'user': self.request.user, 'instance': answer or Answer()}

    def run_action(self, form):
        return actions.answer_principle(
            self.request.user, self.assessment, self.principle, form.cleaned_data['version'], **form.model_values()
        )


class PlanActionAddView(AssessmentFormView):
    form_class = PlanActionForm
    heading = gettext_lazy('Add an action for principle')
    success_message = gettext_lazy('Action added to the plan.')

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user}

    def run_action(self, form):
        return actions.add_plan_action(self.request.user, self.assessment, self.principle, **form.model_values())


class PlanActionChangeView(Require, ActionFormView):
    """Change an action of an open assessment's plan: its text, owner, due date or status."""

    form_class = PlanActionForm
    success_message = gettext_lazy('Action saved.')

    def allowed(self) -> bool:
        self.assessment = get_editable(Assessment, self.request.user, pk=self.kwargs['pk'])
        self.item = get_object_or_404(self.assessment.plan.select_related('principle'), pk=self.kwargs['action'])
        return True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user, 'instance': self.item}

    def run_action(self, form):
        values = form.model_values()
        return actions.update_plan_action(self.request.user, self.item, form.cleaned_data['version'], **values)

    def get_success_url(self, result=None):
        return self.assessment.get_absolute_url() + f'#principle-{self.item.principle.number}'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = _('Change an action for principle %(number)s: %(assessment)s') % {
            'number': self.item.principle.number,
            'assessment': self.assessment,
        }
        return context


class AssessmentFreezeView(ConfirmActionView):
    heading = gettext_lazy('Freeze {object}?')
    warning = gettext_lazy(
        'A frozen self-assessment is kept as it is and cannot change: to revise it, start a new version.'
    )
    button_label = gettext_lazy('Freeze')
    destructive = False
    success_message = gettext_lazy('Froze {object}.')

    def get_object(self):
        return get_editable(Assessment, self.request.user, pk=self.kwargs['pk'])

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def confirmed(self, form):
        return actions.freeze_assessment(self.request.user, self.object, form.cleaned_data['version'])


class AssessmentDiscardView(ConfirmActionView):
    heading = gettext_lazy('Discard {object}?')
    warning = gettext_lazy(
        'Its answers and action plan are deleted. The discarding is recorded in the history, but the answers cannot '
        'be restored.'
    )
    button_label = gettext_lazy('Discard')
    success_message = gettext_lazy('Discarded {object}.')

    def get_object(self):
        return get_editable(Assessment, self.request.user, pk=self.kwargs['pk'])

    def affects(self):
        return [
            (_('System'), self.object.system.name),
            (_('Answers'), str(self.object.answers.count())),
            (_('Actions'), str(self.object.plan.count())),
        ]

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def get_success_url(self, result=None):
        return reverse('compliance:governance_detail', args=[self.object.system_id])

    def confirmed(self, form):
        actions.discard_assessment(self.request.user, self.object, form.cleaned_data['version'])


# What needs doing: review tasks


def _open_by_default(request):
    """The filters as asked, with only open tasks shown until the person chooses otherwise."""
    data = request.GET.copy()
    data.setdefault('state', 'open')
    return data


class TaskListView(ObjectListView):
    """A body's to-do list (every body's, filterable by body, for the regulator)."""

    model = ReviewTask
    table_class = ReviewTaskTable
    filterset_class = ReviewTaskFilterSet
    export_name = 'review-tasks'
    template_name = 'compliance/task_list.html'
    title = gettext_lazy('To do')

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'system')

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs['data'] = _open_by_default(self.request)
        return kwargs

    def get_table_kwargs(self):
        kwargs = {'user': self.request.user}
        return kwargs if sees_everything(self.request.user) else {**kwargs, 'exclude': ('organisation',)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['sees_everything'] = sees_everything(self.request.user)
        return context


class TaskDetailView(ObjectDetailView):
    """One review task: every cause it was raised for, where it stands, and its history."""

    model = ReviewTask
    template_name = 'compliance/task_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'system', 'resolved_by')


class TaskResolveView(ConfirmActionView):
    """An editor marks a task done, saying how; the task and its resolution stay in the history."""

    form_class = ResolveTaskForm
    destructive = False
    warning = ''

    def get_object(self):
        return get_editable(ReviewTask, self.request.user, pk=self.kwargs['pk'])

    def get_heading(self) -> str:
        return _('Resolve the task “%(task)s”?') % {'task': self.object}

    def get_button_label(self) -> str:
        return _('Resolve')

    def affects(self):
        rows = [(_('Task'), self.object.get_kind_display())]
        rows += [
            (_('Raised on %(date)s') % {'date': govuk_date(timezone.localdate(c['raised_at']))}, c['reason'])
            for c in self.object.causes
        ] or [(_('Why'), self.object.reason)]
        if self.object.system_id:
            rows.append((_('System'), self.object.system.name))
        return rows

    def get_cancel_url(self) -> str:
        return reverse('compliance:task_list')

    def get_success_message(self, result) -> str:
        return _('Resolved: %(task)s.') % {'task': self.object}

    def confirmed(self, form):
        data = form.cleaned_data
        return actions.resolve_task(self.request.user, self.object, data['resolution'], data.get('version'))


class TaskCountsView(RequireSeesEverything, TemplateView):
    """For the regulator: open review tasks counted by body and kind, each body linking to its list."""

    template_name = 'compliance/task_counts.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = ReviewTask.objects.for_user(self.request.user)
        filterset = ReviewTaskFilterSet(_open_by_default(self.request), queryset=tasks, request=self.request)
        selected = filterset.qs if filterset.is_valid() else tasks.none()
        rows: dict = {}
        counted = selected.values('organisation', 'organisation__name', 'kind').annotate(n=Count('pk'))
        for row in counted.order_by('organisation__name'):
            entry = rows.setdefault(
                row['organisation'],
                {'organisation': row['organisation'], 'organisation__name': row['organisation__name'], 'total': 0}
                | dict.fromkeys(ReviewTask.Kind.values, 0),
            )
            entry[row['kind']] = row['n']
            entry['total'] += row['n']
        table = TaskCountTable(list(rows.values()))
        RequestConfig(self.request, paginate={'per_page': 50}).configure(table)
        context.update(title=_('To do: all bodies'), filter=filterset, table=table)
        return context


class AssessmentPublishView(ConfirmActionView):
    heading = gettext_lazy('Publish {object} on your transparency page?')
    button_label = gettext_lazy('Publish')
    destructive = False
    success_message = gettext_lazy('Published {object}.')

    def get_object(self):
        return get_editable(Assessment, self.request.user, pk=self.kwargs['pk'])

    def affects(self):
        return [
            (_('Shown'), _('On your transparency page, whenever the page is published, to anyone without sign-in')),
            (_('Shown of it'), _('Each principle’s answer and comment, and the actions of its plan (without owners)')),
        ]

    def confirmed(self, form):
        return actions.publish_assessment(self.request.user, self.object, form.cleaned_data['version'])


class AssessmentUnpublishView(AssessmentPublishView):
    heading = gettext_lazy('Withdraw {object} from your transparency page?')
    button_label = gettext_lazy('Withdraw')
    destructive = True
    success_message = gettext_lazy('Withdrew {object} from publication.')

    def affects(self):
        return [(_('Shown'), _('No longer on your transparency page'))]

    def confirmed(self, form):
        return actions.unpublish_assessment(self.request.user, self.object, form.cleaned_data['version'])


def _own_body(user):
    """The signed-in person's body: the regulator publishes no transparency page of its own."""
    if sees_everything(user) or user.organisation_id is None:
        raise Http404
    return user.organisation


class TransparencyView(LoginRequiredMixin, TemplateView):
    """The body's transparency page as the public will see it, whether it is published, and the way to change that."""

    template_name = 'compliance/transparency.html'

    def get_context_data(self, **kwargs):
        if sees_everything(self.request.user):
            # The regulator publishes no page of its own: it sees which bodies publish theirs.
            published = Transparency.objects.published().select_related('organisation').order_by('organisation__name')
            return super().get_context_data(title=_('Transparency pages'), published=published, **kwargs)
        body = _own_body(self.request.user)
        page = Transparency.objects.filter(organisation=body).first()
        return super().get_context_data(
            title=_('Transparency page'),
            body=body,
            page=page,
            can_publish=may_edit_body(self.request.user, body.pk),
            **public_page(body),
            **kwargs,
        )


class TransparencyPublishView(ConfirmActionView):
    heading = gettext_lazy('Publish the transparency page of {object.organisation}?')
    button_label = gettext_lazy('Publish')
    destructive = False
    success_message = gettext_lazy('Published the transparency page.')

    def get_object(self):
        body = _own_body(self.request.user)
        require(may_edit_body(self.request.user, body.pk))
        return Transparency.objects.filter(organisation=body).first() or Transparency(organisation=body)

    def get_initial(self):
        return {'version': self.object.version if self.object.pk else 0}

    def run_action(self, form):
        # A page never published has no row to lock: the action locks and creates it.
        version = form.cleaned_data.get('version') or None
        return actions.publish_transparency(self.request.user, self.object.organisation, version)

    def affects(self):
        address = reverse('transparency:body', args=[self.object.organisation.slug])
        shown = _(
            'Your systems by category, their purposes, DPIA and certification status, contact points and published '
            'self-assessments. Never your sites or their addresses.'
        )
        return [(_('Address'), self.request.build_absolute_uri(address)), (_('Shown'), shown)]

    def get_cancel_url(self):
        return reverse('compliance:transparency')


class TransparencyUnpublishView(TransparencyPublishView):
    heading = gettext_lazy('Withdraw the transparency page of {object.organisation}?')
    button_label = gettext_lazy('Withdraw')
    destructive = True
    success_message = gettext_lazy('Withdrew the transparency page.')

    def affects(self):
        return [(_('Address'), _('Answers “page not found” until the page is published again'))]

    def run_action(self, form):
        version = form.cleaned_data.get('version') or None
        return actions.unpublish_transparency(self.request.user, self.object.organisation, version)


class AssessmentGroupView(Require, ActionFormView):
    """Choose the other systems an open assessment covers: the body's editors only."""

    form_class = AssessmentGroupForm
    success_message = gettext_lazy('Systems covered saved.')

    def allowed(self) -> bool:
        self.assessment = get_editable(Assessment, self.request.user, pk=self.kwargs['pk'])
        return True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user, 'instance': self.assessment}

    def run_action(self, form):
        return actions.cover_systems(
            self.request.user, self.assessment, form.cleaned_data['also_covers'], form.cleaned_data['version']
        )

    def get_success_url(self, result=None):
        return self.assessment.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = _('Systems covered by %(assessment)s') % {'assessment': self.assessment}
        return context
