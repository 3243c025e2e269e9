import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet
from oversight.organisations.models import Organisation

from .models import User


class UserFilterSet(GovukFilterSet):
    q = django_filters.CharFilter(method='search', label=_('Name, username or email contains'))
    organisation = django_filters.ModelChoiceFilter(
        queryset=lambda request: Organisation.objects.for_user(request.user), label=_('Organisation')
    )

    class Meta:
        model = User
        fields = ['q', 'organisation', 'role', 'is_active']

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )
