"""Organisations and their groups: a body reads its own; regulator staff read all and add organisations."""

from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from oversight.organisations import actions
from oversight.organisations.filtersets import OrganisationFilterSet, OrganisationGroupFilterSet
from oversight.organisations.models import Organisation, OrganisationGroup

from .base import ApiMixin, ScopedChoices, action_errors
from .permissions import ReadOrReferenceEditor


class ScopedSlugs(ScopedChoices, serializers.SlugRelatedField):
    """Related objects by slug, offered and accepted only within the requesting user's scope."""


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:organisation-detail', lookup_field='slug')
    groups = ScopedSlugs(slug_field='slug', many=True, required=False, queryset=OrganisationGroup.objects.all())
    source = serializers.CharField(max_length=300, help_text='Where the record comes from: a web address or document.')

    class Meta:
        model = Organisation
        fields = ['url', 'slug', 'name', 'kind', 'country', 'groups', 'source']
        read_only_fields = ['slug']
        # Uniqueness and naming rules are the action's to check, with its own messages.
        extra_kwargs = {'name': {'validators': []}}


class OrganisationViewSet(ApiMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations by slug: a body sees only itself; regulator staff see and add every organisation."""

    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    permission_classes = [permissions.IsAuthenticated, ReadOrReferenceEditor]
    lookup_field = 'slug'

    def get_queryset(self):
        return super().get_queryset().prefetch_related('groups')

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with action_errors():
            organisation = actions.create_organisation(request.user, **serializer.validated_data)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationGroupSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:organisationgroup-detail', lookup_field='slug')
    organisations = serializers.SerializerMethodField(help_text='Members, as far as the requesting user sees them.')

    class Meta:
        model = OrganisationGroup
        fields = ['url', 'slug', 'name', 'description', 'organisations']

    def get_organisations(self, group) -> list[str]:
        visible = Organisation.objects.for_user(self.context['request'].user)
        return list(visible.filter(groups=group).values_list('slug', flat=True))


class OrganisationGroupViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    model = OrganisationGroup
    serializer_class = OrganisationGroupSerializer
    filterset_class = OrganisationGroupFilterSet
    lookup_field = 'slug'
