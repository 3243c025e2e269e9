"""The policy page (one body's, or the regulator's across bodies), its exports, and the settings forms."""

import functools

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from oversight.core import exports, permissions
from oversight.core.history import readable_history
from oversight.core.labels import translated
from oversight.core.languages import english
from oversight.core.models import ObjectChange
from oversight.core.permissions import may_edit_body, sees_everything
from oversight.core.views import ActionFormView, Require, RequireSeesEverything
from oversight.organisations.models import Organisation
from oversight.register.models import Category, EquipmentLine

from . import actions, downloads, exposure, stored, stored_page
from .chart import chart_src, data_uri, progress_svg
from .evaluation import (
    ACROSS_BODIES_MAX_LINES,
    cached_evaluation,
    evaluate_register,
    filtered_evaluation,
    revision,
)
from .filtersets import ObligationFilterSet
from .forms import DecisionForm, PolicySettingsForm, UnitCostsForm
from .models import ObligationDecision, PolicySettings, UnitCost
from .rules import applicable, optional_rule_sets, rule_sets
from .tables import BodySummaryTable, ObligationTable, PlanTable, VulnerabilityTable
from .vulnerabilities import Status, current

PER_PAGE = 50


def _body(user, slug: str):
    """An overseen body the user may see; another body (or the regulator itself) is a 404."""
    return get_object_or_404(Organisation.objects.for_user(user).bodies(), slug=slug)


class PolicyView(LoginRequiredMixin, TemplateView):
    """`/policy/`: the regulator's view across bodies (a body's user is sent to its own page);
    `/policy/<slug>/`: one body's obligations, plan, chart, vulnerabilities and settings."""

    template_name = 'policy/policy.html'

    def get(self, request, *args, slug=None, **kwargs):
        if slug is None and not sees_everything(request.user):
            if request.user.organisation is None:
                raise Http404
            return redirect('policy:body', slug=request.user.organisation.slug)
        self.organisation = _body(request.user, slug) if slug else None
        lines = EquipmentLine.objects.for_user(request.user)
        if self.organisation is not None:
            lines = lines.filter(organisation=self.organisation)
        # Always bound (every filter is optional); a value outside the user's scope makes it invalid,
        # and an invalid filter shows nothing rather than everything.
        self.filterset = ObligationFilterSet(
            request.GET, queryset=lines, request=request, organisation=self.organisation
        )
        valid = self.filterset.is_valid()
        selection = self.filterset.qs if valid else lines.none()
        # Across bodies, a national register (a million lines) is too much to evaluate in one request:
        # the regulator chooses a body, or narrows the filters, first.
        self.too_many = selection.count() if self.organisation is None else 0
        if self.too_many <= ACROSS_BODIES_MAX_LINES:
            self.too_many = 0
        else:
            selection = lines.none()
        export = request.GET.get('export')
        # A body's whole register, as its page first shows it, and every body's on the regulator's page, may be
        # stored by the worker (policy.stored); exports and filtered pages are worked out here.
        whole = (
            valid
            and not self.too_many
            # "No" (False) is a filter too: only a filter left empty is none.
            and all(value in (None, '') for value in self.filterset.form.cleaned_data.values())
            and export not in downloads.EXPORTS
        )
        now = revision(self.organisation)
        # The whole register's evaluation, kept by this process; a filtered page is narrowed from it.
        evaluate_whole = functools.partial(
            cached_evaluation, lines, request.user, timezone.localdate(), organisation=self.organisation, now=now
        )
        if whole:
            self.evaluation = (
                evaluate_whole(afresh=False) or stored_page.page(self.organisation, now) or evaluate_whole()
            )
        elif valid and not self.too_many:
            self.evaluation = filtered_evaluation(
                lines, selection, request.user, timezone.localdate(), self.organisation,
                self.filterset.narrows_lines(), self.filterset.keep, self.filterset.keep_key(), now,
            )  # fmt: skip
        else:
            self.evaluation = evaluate_register(selection, request.user, timezone.localdate())  # nothing
        if whole and not isinstance(self.evaluation, stored_page.StoredPage):
            stored.keep_current(self.organisation, now, len(self.evaluation.lines))
        if export in downloads.EXPORTS:
            name = f'{export}-{self.organisation.slug if self.organisation else "all-bodies"}'
            # In English from a page in either language (reasons, due bases, labels), as list pages' exports are.
            with english():
                headers, rows = downloads.EXPORTS[export](self.evaluation)
                if export == 'obligations':
                    headers, rows = downloads.with_decisions(
                        headers, rows, self.evaluation, self.own_decisions().by_obligation()
                    )
                return exports.download(request.GET.get('format', 'xlsx'), name, headers, rows)
        return super().get(request, *args, **kwargs)

    def own_decisions(self):
        """The decisions the user may see, of the body shown (or of every body)."""
        decisions = ObligationDecision.objects.for_user(self.request.user)
        return decisions if self.organisation is None else decisions.filter(organisation=self.organisation)

    def _table(self, table_class, data, prefix: str, exclude=(), **kwargs):
        table = table_class(data, prefix=prefix, exclude=exclude, **kwargs)
        RequestConfig(self.request, paginate={'per_page': PER_PAGE}).configure(table)
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation, organisation, user = self.evaluation, self.organisation, self.request.user
        exclude = ('organisation',) if organisation else ()
        own_decisions = self.own_decisions()
        decisions = own_decisions.by_obligation()
        query = self.request.GET.copy()
        for name in [k for k in query if k.endswith(('page', 'sort')) or k in ('export', 'format')]:
            query.pop(name)
        context.update(
            organisation=organisation,
            title=_('Policy obligations: %(body)s') % {'body': organisation}
            if organisation
            else _('Policy obligations: all bodies'),
            filter=self.filterset,
            filter_query=query.urlencode(),
            too_many=self.too_many,
            max_lines=ACROSS_BODIES_MAX_LINES,
            evaluation=evaluation,
            by_severity=evaluation.devices_by_severity(),
            affected_devices=evaluation.vulnerable_devices(Status.AFFECTED),
            possibly_affected_devices=evaluation.vulnerable_devices(Status.POSSIBLY),
            obligations=self._table(
                ObligationTable,
                evaluation.obligations,
                'o-',
                exclude,
                decisions=decisions,
                today=evaluation.today,
                can_edit=organisation is not None and permissions.may_edit_body(user, organisation.pk),
            ),
            plan_table=self._table(PlanTable, evaluation.plan.rows, 'p-', exclude),
            vulnerabilities=self._table(VulnerabilityTable, evaluation.vulnerabilities, 'v-', exclude),
            catalogue=current(),
        )
        if evaluation.plan.timeline:
            # Drawn once per language: its labels are written in the reader's.
            context['chart_src'] = evaluation.once(
                f'chart-{translation.get_language()}', lambda: chart_src(evaluation.plan.timeline)
            )
        if organisation is None:
            context['bodies'] = self._table(BodySummaryTable, evaluation.by_body(), 'b-')
            context['all_rule_sets'] = rule_sets()
            return context
        settings = PolicySettings.objects.for_user(user).filter(organisation=organisation).first()
        costs = {u.category: u for u in UnitCost.objects.for_user(user).filter(organisation=organisation)}
        context.update(
            progress=exposure.progress(own_decisions, UnitCost.objects.for_user(user).by_category([organisation.pk])),
            rule_sets=applicable(settings.rule_sets if settings else ()),
            settings=settings,
            unit_costs=[(translated(label), costs.get(value)) for value, label in Category.choices],
        )
        return context


class BodySettingsView(Require, ActionFormView):
    """Forms that change one body's policy settings: its editors only."""

    def allowed(self) -> bool:
        self.organisation = _body(self.request.user, self.kwargs['slug'])
        return may_edit_body(self.request.user, self.organisation.pk)

    def get_success_url(self, result=None):
        return reverse('policy:body', args=[self.organisation.slug]) + self.anchor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['organisation'] = self.organisation
        return context


class UnitCostsView(BodySettingsView):
    form_class = UnitCostsForm
    template_name = 'policy/unit_costs_form.html'
    success_message = _('Unit costs saved.')
    anchor = '#unit-costs'

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['stored'] = {u.category: u for u in UnitCost.objects.filter(organisation=self.organisation)}
        return kwargs

    def run_action(self, form):
        actions.set_unit_costs(self.request.user, self.organisation, form.costs(), form.versions())


class PolicySettingsView(BodySettingsView):
    form_class = PolicySettingsForm
    template_name = 'policy/settings_form.html'
    success_message = _('Policy settings saved.')
    anchor = '#rule-sets'

    def get_initial(self):
        settings = PolicySettings.objects.filter(organisation=self.organisation).first()
        if settings is None:
            return {}
        return {'rule_sets': settings.rule_sets, 'review_by': settings.review_by, 'version': settings.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['optional_rule_sets'] = optional_rule_sets()
        return context

    def run_action(self, form):
        return actions.set_policy_settings(
            self.request.user,
            self.organisation,
            rule_sets=form.cleaned_data['rule_sets'],
            review_by=form.cleaned_data['review_by'],
            expected_version=form.cleaned_data['version'],
        )


class DecisionView(BodySettingsView):
    """Record the body's decision on one obligation, and the progress of replacing its equipment.

    The obligation is found by its identity (line, rule): a line of another body, or a rule that does not
    apply to the line now, is a 404.
    """

    form_class = DecisionForm
    template_name = 'policy/decision_form.html'
    success_message = _('Decision saved.')
    anchor = '#obligations'

    @cached_property
    def obligation(self):
        """Found after BodySettingsView has checked the body and the editor."""
        lines = EquipmentLine.objects.for_user(self.request.user).filter(
            organisation=self.organisation, pk=self.kwargs['line']
        )
        key = f'{self.kwargs["rule_set"]}/{self.kwargs["rule"]}'
        for obligation in evaluate_register(lines, self.request.user, timezone.localdate()).obligations:
            if obligation.rule.key == key:
                return obligation
        raise Http404

    @cached_property
    def decision(self):
        return ObligationDecision.objects.filter(line=self.obligation.line, rule=self.obligation.rule.key).first()

    def get_form_kwargs(self):
        instance = self.decision or ObligationDecision(organisation=self.organisation, line=self.obligation.line)
        return {**super().get_form_kwargs(), 'user': self.request.user, 'instance': instance}

    def run_action(self, form):
        return actions.record_decision(
            self.request.user, self.obligation, form.cleaned_data['version'], **form.model_values()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        changes = ObjectChange.objects.for_user(user).for_object(self.decision)[:50] if self.decision else []
        context.update(
            obligation=self.obligation,
            title=_('Decision on an obligation'),
            history=readable_history(changes, user),
        )
        return context


class ExposureView(RequireSeesEverything, TemplateView):
    """For the regulator: devices of concern on sensitive sites by body, planned and spent cost of replacing
    them, and national progress over time, as a chart with its table, and as CSV."""

    template_name = 'policy/exposure.html'

    def get(self, request, *args, **kwargs):
        user = request.user
        decisions = ObligationDecision.objects.for_user(user)
        self.rows = exposure.by_body(
            Organisation.objects.for_user(user).bodies().order_by('name'),
            EquipmentLine.objects.for_user(user),
            decisions,
            UnitCost.objects.for_user(user).by_category(),
        )
        self.quarters = exposure.quarters(decisions, timezone.localdate())
        if request.GET.get('export') in ('csv', 'xlsx'):
            return exports.download(request.GET['export'], 'national-exposure', *self.export())
        return super().get(request, *args, **kwargs)

    def export(self):
        headers = ['Body', 'Devices of concern on sensitive sites', *(f'Devices: {s}' for s in exposure.STAGES),
                   'Planned cost (£)', 'Spent (£)']  # fmt: skip
        rows = [[r.organisation.name, r.concern_on_sensitive, *(r.progress.devices[s] for s in exposure.STAGES),
                 r.progress.planned_cost, r.progress.spent] for r in self.rows]  # fmt: skip
        return headers, rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_('National exposure'), rows=self.rows, quarters=self.quarters)
        if self.quarters:
            context['chart_src'] = data_uri(progress_svg(self.quarters))
        return context
