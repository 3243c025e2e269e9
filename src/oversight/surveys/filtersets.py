import django_filters

from .models import Campaign, Correction, Invitation


class CampaignFilterSet(django_filters.FilterSet):
    class Meta:
        model = Campaign
        fields = ['status', 'year']


class InvitationFilterSet(django_filters.FilterSet):
    organisation__name = django_filters.CharFilter(lookup_expr='icontains', label='Body name contains')

    class Meta:
        model = Invitation
        fields = ['status', 'organisation__name']


class CorrectionFilterSet(django_filters.FilterSet):
    survey_return__organisation__name = django_filters.CharFilter(lookup_expr='icontains', label='Body name contains')

    class Meta:
        model = Correction
        fields = ['publish_as_update', 'survey_return__organisation__name']
