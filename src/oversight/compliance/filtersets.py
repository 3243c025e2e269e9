import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.register.filtersets import RegisterFilterSet
from oversight.register.models import Category, System

from .models import CERTIFICATION_STATUS, DPIA_STATUS, Governance


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
