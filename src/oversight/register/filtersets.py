import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet, SearchableChoiceFilter
from oversight.core.permissions import sees_everything
from oversight.organisations.models import Organisation
from oversight.vendors.models import Manufacturer

from .models import Category, EquipmentLine, Site, System

YES_NO = (('yes', _('Yes')), ('no', _('No')))


def yes_no_filter(field_name: str, label: str) -> django_filters.ChoiceFilter:
    def method(queryset, name, value):
        return queryset.filter(**{field_name: value == 'yes'})

    return django_filters.ChoiceFilter(choices=YES_NO, method=method, label=label, empty_label=_('Any'))


def _bodies(request):
    return Organisation.objects.for_user(request.user).bodies()


def _sites(request):
    return Site.objects.for_user(request.user).select_related('organisation')


def _systems(request):
    return System.objects.for_user(request.user).select_related('organisation')


def _makers(request):
    # Only makers of lines the user can see, so the list itself leaks nothing.
    # One index probe per maker (a few hundred), not a pass over a million lines.
    lines = EquipmentLine.objects.for_user(request.user).filter(made_by=OuterRef('pk'))
    return Manufacturer.objects.filter(Exists(lines))


class RegisterFilterSet(GovukFilterSet):
    """Filters for a register table; the organisation filter is for those who see every body."""

    organisation = SearchableChoiceFilter(
        queryset=_bodies, label=_('Organisation'), empty_label=_('Any'), source='organisations:body_names'
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not sees_everything(request.user):
            del self.filters['organisation']


class EquipmentLineFilterSet(RegisterFilterSet):
    q = django_filters.CharFilter(method='search', label=_('Maker, brand or model contains'))
    site = SearchableChoiceFilter(queryset=_sites, empty_label=_('Any'), source='register:site_names')
    system = SearchableChoiceFilter(queryset=_systems, empty_label=_('Any'), source='register:system_names')
    category = django_filters.ChoiceFilter(
        field_name='system__category', choices=Category.choices, label=_('Category'), empty_label=_('Any')
    )
    made_by = django_filters.ModelChoiceFilter(queryset=_makers, label=_('Made by'), empty_label=_('Any'))
    concern = django_filters.ChoiceFilter(
        choices=(*YES_NO, ('unknown', _('Unknown'))),
        method='filter_concern',
        label=_('Maker of concern'),
        empty_label=_('Any'),
    )
    sensitive = yes_no_filter('site__sensitive', 'Sensitive site')

    class Meta:
        model = EquipmentLine
        fields = ['q', 'organisation', 'site', 'system', 'category', 'made_by', 'concern', 'sensitive']

    def search(self, queryset, name, value):
        words = Q()
        for word in value.split():
            words &= Q(manufacturer_declared__icontains=word) | Q(brand__icontains=word) | Q(model__icontains=word)
        return queryset.filter(words)

    def filter_concern(self, queryset, name, value):
        return queryset.filter(concern={'yes': True, 'no': False, 'unknown': None}[value])


class SiteFilterSet(RegisterFilterSet):
    q = django_filters.CharFilter(method='search', label=_('Name, address or postcode contains'))
    kind = django_filters.ChoiceFilter(choices=Site.Kind.choices, empty_label=_('Any'))
    sensitive = yes_no_filter('sensitive', 'Sensitive')

    class Meta:
        model = Site
        fields = ['q', 'organisation', 'kind', 'sensitive']

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(postcode__icontains=value))


class SystemFilterSet(RegisterFilterSet):
    q = django_filters.CharFilter(field_name='name', lookup_expr='icontains', label=_('Name contains'))
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label=_('Any'))

    class Meta:
        model = System
        fields = ['q', 'organisation', 'category']
