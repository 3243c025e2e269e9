import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.filtersets import GovukFilterSet

from .models import Campaign, Correction, Invitation


def only(label: str, method: str) -> django_filters.BooleanFilter:
    """A checkbox that, ticked, keeps only the rows `method` names; unticked, keeps every row."""
    return django_filters.BooleanFilter(label=label, method=method, widget=forms.CheckboxInput)


class CampaignFilterSet(GovukFilterSet):
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices, empty_label=_('Any'))
    year = django_filters.NumberFilter(label=_('Year'))

    class Meta:
        model = Campaign
        fields = ['status', 'year']


class InvitationFilterSet(GovukFilterSet):
    """The bodies of a campaign: by where their return stands, lateness (`InvitationQuerySet.late`) and name."""

    status = django_filters.ChoiceFilter(
        choices=Invitation.Status.choices, empty_label=_('Any'), label=_('Return status')
    )
    outstanding = only(_('Outstanding: not submitted, or returned with a query'), 'filter_outstanding')
    late = only(_('Late: not submitted by the deadline, or submitted after it'), 'filter_late')
    queried = only(_('Queried: returned with a query not yet answered'), 'filter_queried')
    organisation__name = django_filters.CharFilter(lookup_expr='icontains', label=_('Body name contains'))

    class Meta:
        model = Invitation
        fields = ['status', 'outstanding', 'late', 'queried', 'organisation__name']

    def filter_outstanding(self, queryset, name, value):
        return queryset.outstanding() if value else queryset

    def filter_late(self, queryset, name, value):
        return queryset.late() if value else queryset

    def filter_queried(self, queryset, name, value):
        return queryset.queried() if value else queryset


class CorrectionFilterSet(GovukFilterSet):
    publish_as_update = django_filters.ChoiceFilter(
        choices=(('yes', 'Yes'), ('no', 'No')),
        method='filter_publish_as_update',
        label=_('Published as an update'),
        empty_label=_('Any'),
    )
    survey_return__organisation__name = django_filters.CharFilter(
        lookup_expr='icontains', label=_('Body name contains')
    )

    class Meta:
        model = Correction
        fields = ['publish_as_update', 'survey_return__organisation__name']

    def filter_publish_as_update(self, queryset, name, value):
        return queryset.filter(publish_as_update=value == 'yes')
