import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet

from .concerns import ConcernIndex
from .models import Brand, ConcernList, Confidence, Manufacturer
from .resolution import normalise


def _name_search(queryset, text: str, *, names: str):
    """Rows with a name containing the text, ignoring case, spacing, punctuation and legal forms."""
    text = text.strip()
    key = normalise(text)
    match = Q(**{f'{names}name__icontains': text})
    if key:
        match |= Q(**{f'{names}normalised__contains': key})
    return queryset.filter(match).distinct()


def _choices_of(queryset, field: str) -> list[tuple[str, str]]:
    values = queryset.exclude(**{field: ''}).order_by(field).values_list(field, flat=True).distinct()
    return [(v, v) for v in values]


class ManufacturerFilterSet(GovukFilterSet):
    q = django_filters.CharFilter(method='search', label=_('Name'))
    country = django_filters.ChoiceFilter(choices=[], label=_('Country'))
    concern_list = django_filters.ModelChoiceFilter(
        queryset=lambda request: ConcernList.objects.for_user(request.user),
        to_field_name='slug',
        method='of_concern',
        label=_('Of concern on'),
        empty_label=_('Any list or none'),
    )

    class Meta:
        model = Manufacturer
        fields = ['q', 'country', 'concern_list']

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters['country'].extra['choices'] = _choices_of(Manufacturer.objects.all(), 'country')

    def search(self, queryset, name, value):
        return _name_search(queryset, value, names='names__')

    def of_concern(self, queryset, name, value):
        # Makers named by the list, and their subsidiaries and affiliates when the list covers them.
        return queryset.filter(name__in=ConcernIndex.from_db().makers_of_concern(value))


class BrandFilterSet(GovukFilterSet):
    q = django_filters.CharFilter(method='search', label=_('Name'))
    made_by = django_filters.ModelChoiceFilter(
        queryset=lambda request: (
            Manufacturer.objects.for_user(request.user).filter(made_for_brands__isnull=False).distinct()
        ),
        to_field_name='slug',
        label=_('Made by'),
    )
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices)

    class Meta:
        model = Brand
        fields = ['q', 'kind', 'made_by', 'confidence']

    def search(self, queryset, name, value):
        return _name_search(queryset, value, names='')


class ConcernListFilterSet(GovukFilterSet):
    q = django_filters.CharFilter(method='search', label=_('Name or authority'))
    jurisdiction = django_filters.ChoiceFilter(choices=[], label=_('Jurisdiction'))

    class Meta:
        model = ConcernList
        fields = ['q', 'jurisdiction', 'covers_affiliates']

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters['jurisdiction'].extra['choices'] = _choices_of(ConcernList.objects.all(), 'jurisdiction')

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(authority__icontains=value) | Q(slug__icontains=value))
