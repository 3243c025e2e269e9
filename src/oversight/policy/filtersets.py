import django_filters
from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet, SearchableChoiceFilter
from oversight.organisations.models import Organisation
from oversight.register.models import Category, EquipmentLine, Site

from .models import DECISION_STATES, ObligationDecision
from .rules import SEVERITIES, SEVERITY_LABELS, rule_sets

_YES_NO = [('', _('Any')), ('true', _('Yes')), ('false', _('No'))]


class ObligationFilterSet(GovukFilterSet):
    """Filters of the policy page. Line filters narrow the register evaluated; severity, rule set and the
    state of the body's decision narrow the obligations evaluated from it (`keep`), so the plan and chart
    follow both."""

    organisation = SearchableChoiceFilter(
        queryset=lambda request: Organisation.objects.for_user(request.user).bodies(),
        label=_('Body'),
        empty_label=_('Any'),
        source='organisations:body_names',
    )
    site = SearchableChoiceFilter(
        queryset=lambda request: Site.objects.for_user(request.user),
        label=_('Site'),
        empty_label=_('Any'),
        source='register:site_names',
    )
    sensitive = django_filters.BooleanFilter(
        field_name='site__sensitive', label=_('Sensitive site'), widget=forms.Select(choices=_YES_NO)
    )
    category = django_filters.ChoiceFilter(
        field_name='system__category', choices=Category.choices, label=_('System'), empty_label=_('Any')
    )
    network = django_filters.ChoiceFilter(
        choices=EquipmentLine.Network.choices, label=_('Network'), empty_label=_('Any')
    )
    severity = django_filters.ChoiceFilter(
        choices=[(s, SEVERITY_LABELS[s]) for s in SEVERITIES],
        method='obligation_filter',
        label=_('Severity'),
        empty_label=_('Any'),
    )
    # Called when the form is built (the rules are read once per process), never cached with a built field.
    rule_set = django_filters.ChoiceFilter(
        choices=lambda: [(s.slug, s.shown_name) for s in rule_sets()],
        method='obligation_filter',
        label=_('Rule set'),
        empty_label=_('Any'),
    )
    state = django_filters.ChoiceFilter(
        choices=list(DECISION_STATES.items()), method='obligation_filter', label=_('Decision'), empty_label=_('Any')
    )

    class Meta:
        model = EquipmentLine
        fields: list = []

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            # One body's page: its own sites only, and no body filter.
            del self.filters['organisation']
            self.filters['site'].queryset = Site.objects.for_user(self.request.user).filter(organisation=organisation)

    def obligation_filter(self, queryset, name, value: str):
        return queryset  # applied to the evaluated obligations by keep

    # The filters of the obligations evaluated (`keep`); the others narrow the lines.
    OBLIGATION_FILTERS = ('severity', 'rule_set', 'state')

    def keep_key(self) -> tuple:
        """What `keep` keeps, for the evaluation cache (the other filters are in the lines' query)."""
        data = self.form.cleaned_data
        return tuple(data.get(name) or '' for name in self.OBLIGATION_FILTERS)

    def narrows_lines(self) -> bool:
        """Whether a filter of the lines is set, not only of their obligations ("No" is a filter too)."""
        data = self.form.cleaned_data
        return any(value not in (None, '') for name, value in data.items() if name not in self.OBLIGATION_FILTERS)

    @cached_property
    def decisions(self) -> dict:
        """The decisions the user may see, by obligation (only read when filtering by decision)."""
        return ObligationDecision.objects.for_user(self.request.user).by_obligation()

    def state_of(self, obligation) -> str:
        """The obligation's decision state today: 'open' without a decision, 'expired' once an acceptance lapses."""
        decision = self.decisions.get((obligation.line.pk, obligation.rule.key))
        return decision.state(timezone.localdate()) if decision else 'open'

    @property
    def keep(self):
        """Which evaluated obligations the decision, severity and rule set filters keep: None when none is set,
        so an unfiltered page does not ask for each of its obligations (165,000 at 100,000 lines)."""
        data = self.form.cleaned_data
        severity, state, rule_set = data.get('severity'), data.get('state'), data.get('rule_set')
        if not (severity or state or rule_set):
            return None

        def keeps(obligation) -> bool:
            if severity and obligation.severity != severity:
                return False
            if state and self.state_of(obligation) != state:
                return False
            return not rule_set or obligation.rule_set.slug == rule_set

        return keeps
