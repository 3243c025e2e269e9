import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.register.filtersets import RegisterFilterSet
from oversight.register.models import Category, System

from .models import CERTIFICATION_STATUS, DPIA_STATUS, Governance, ReviewTask


def _choices(statuses: dict) -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _colour) in statuses.items()]


class GovernanceFilterSet(RegisterFilterSet):
    """Systems by the state of their governance; the organisation filter is for those who see every body."""

    q = django_filters.CharFilter(field_name='name', lookup_expr='icontains', label=_('System name contains'))
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label=_('Any'))
    dpia = django_filters.ChoiceFilter(choices=_choices(DPIA_STATUS), label='DPIA', empty_label=_('Any'))
    certification = django_filters.ChoiceFilter(
        choices=_choices(CERTIFICATION_STATUS), label=_('Certification'), empty_label=_('Any')
    )
    facial_recognition = django_filters.ChoiceFilter(
        field_name='governance__facial_recognition',
        choices=Governance.FacialRecognition.choices,
        label=_('Facial recognition'),
        empty_label=_('Any'),
    )

    class Meta:
        model = System
        fields = ['q', 'organisation', 'category', 'dpia', 'certification', 'facial_recognition']


TASK_STATES = (('open', _('To do')), ('done', _('Done')))


class ReviewTaskFilterSet(RegisterFilterSet):
    """Review tasks by kind and state (open by default); the organisation filter is for the regulator."""

    kind = django_filters.ChoiceFilter(choices=ReviewTask.Kind.choices, label=_('Task'), empty_label=_('Any'))
    state = django_filters.ChoiceFilter(choices=TASK_STATES, label=_('Status'), empty_label=_('Any'), method='in_state')

    class Meta:
        model = ReviewTask
        fields = ['organisation', 'kind', 'state']

    def in_state(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=value == 'open')
