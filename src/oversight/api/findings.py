"""Findings over the API: a campaign's live figures (the JSON of `oversight findings`) for regulator staff,
and the published report versions everyone signed in may read (docs/findings.md).

Live figures count every body's return and name the bodies that have not responded, so until they are
published they are the regulator's alone. A published version is frozen: its data never changes.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.core.permissions import sees_everything
from oversight.core.views import get_scoped_or_404
from oversight.findings.engine import Basis, campaign_findings
from oversight.findings.models import ReportVersion
from oversight.surveys.models import Campaign

from .base import ApiMixin, ReadOnlyViewSet


class CategoryFindingsSerializer(serializers.Serializer):
    operating = serializers.IntegerField(help_text='Respondents operating it.')
    with_concern = serializers.IntegerField(help_text='Respondents with equipment from a maker of concern.')
    aware = serializers.IntegerField(help_text='Of those, respondents aware of the concerns.')
    manufacturers_of_concern = serializers.ListField(child=serializers.CharField())


class FindingsSerializer(serializers.Serializer):
    """The object `oversight findings CAMPAIGN` prints."""

    campaign = serializers.CharField()
    invited = serializers.IntegerField()
    responded = serializers.IntegerField()
    late = serializers.IntegerField()
    response_rate = serializers.FloatField(help_text='A fraction, rounded to 4 places.')
    non_respondents = serializers.ListField(child=serializers.CharField())
    categories = serializers.DictField(child=CategoryFindingsSerializer(), help_text='By category code.')


BASIS = OpenApiParameter(
    'basis',
    OpenApiTypes.STR,
    enum=[b.value for b in Basis],
    description='corrected (default): with the corrections flagged for publication; published: as first given.',
)


class FindingsView(ApiMixin, APIView):
    """A campaign's findings as they stand now: regulator staff only."""

    @extend_schema(parameters=[BASIS], responses={200: FindingsSerializer})
    def get(self, request, slug):
        campaign = get_scoped_or_404(Campaign, request.user, slug=slug)
        if not sees_everything(request.user):
            raise exceptions.PermissionDenied('Findings are the regulator’s until they are published.')
        basis = request.query_params.get('basis', Basis.CORRECTED.value)
        if basis not in Basis._value2member_map_:
            raise serializers.ValidationError({'basis': 'Give corrected or published.'})
        return Response(campaign_findings(campaign, Basis(basis)).contract())


class ReportVersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:reportversion-detail')
    campaign = serializers.CharField(source='report.campaign.slug')
    page = serializers.SerializerMethodField(help_text='The published report as people read it.')

    class Meta:
        model = ReportVersion
        fields = ['url', 'id', 'campaign', 'number', 'title', 'note', 'published_at', 'published_by_name']
        fields += ['narrative', 'data', 'pdf_sha256', 'page']

    def get_page(self, version) -> str:
        return self.context['request'].build_absolute_uri(version.get_absolute_url())


class ReportVersionFilterSet(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name='report__campaign__slug', label='Campaign (slug)')

    class Meta:
        model = ReportVersion
        fields = ['campaign']


class ReportVersionViewSet(ReadOnlyViewSet):
    """Published versions of findings reports, frozen; readable by everyone signed in."""

    model = ReportVersion
    serializer_class = ReportVersionSerializer
    filterset_class = ReportVersionFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related('report__campaign').defer('pdf')
