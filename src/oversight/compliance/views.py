"""Governance pages. Thin: scope from `for_user()` (through the system's body), writes through `actions`.

A system of another body is a 404; a user who may see a system but not change it (a viewer, the regulator)
gets a 403 on the edit page.
"""

from django.views.generic import DetailView, ListView

from oversight.core.history import readable_history
from oversight.core.models import ObjectChange
from oversight.core.querysets import sees_everything
from oversight.core.views import ActionFormView, ObjectListView, ScopedMixin, get_scoped_or_404, require
from oversight.register.models import System

from . import actions
from .filtersets import GovernanceFilterSet
from .forms import GovernanceForm
from .models import Governance, Principle
from .querysets import EXPIRY_WARNING_DAYS, certification_status, dpia_status
from .tables import GovernanceTable


class GovernanceListView(ObjectListView):
    """Every system the user may see, with its DPIA and certification status."""

    model = System
    table_class = GovernanceTable
    filterset_class = GovernanceFilterSet
    export_name = 'governance'
    title = 'Governance of systems'
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
            title=f'Governance of {self.object.name}',
            can_edit=user.can_edit_for(self.object.organisation_id),
            # The record's history; the system's own is on the register's page.
            history=readable_history(changes, user),
        )
        return context


class GovernanceEditView(ActionFormView):
    """Record or change a system's governance; only the body's editors get past `dispatch`."""

    form_class = GovernanceForm
    success_message = 'Governance record saved.'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.system = get_scoped_or_404(System, request.user, pk=kwargs['pk'])
            require(request.user.can_edit_for(self.system.organisation_id))
        return super().dispatch(request, *args, **kwargs)

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
        context['title'] = f'Governance of {self.system.name}'
        return context


class PrincipleListView(ScopedMixin, ListView):
    """The Code's 12 guiding principles, each with its source and whether its wording is verified."""

    model = Principle
    template_name = 'compliance/principle_list.html'
    extra_context = {'title': 'The 12 guiding principles'}
