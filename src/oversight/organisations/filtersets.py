import django_filters
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet

from .models import Organisation, OrganisationGroup


class OrganisationFilterSet(GovukFilterSet):
    q = django_filters.CharFilter(field_name='name', lookup_expr='icontains', label=_('Name contains'))
    group = django_filters.ModelChoiceFilter(
        field_name='groups', queryset=lambda request: OrganisationGroup.objects.for_user(request.user), label=_('Group')
    )

    class Meta:
        model = Organisation
        fields = ['q', 'kind', 'country', 'group']


class OrganisationGroupFilterSet(GovukFilterSet):
    q = django_filters.CharFilter(field_name='name', lookup_expr='icontains', label=_('Name contains'))

    class Meta:
        model = OrganisationGroup
        fields = ['q']
