"""Compliance over the API: governance records, self-assessments (answers, actions), evidence, publishing and
review tasks.

Thin like the pages: every queryset starts from `for_user()` (another body's object is a 404) and every write
goes through `compliance.actions`, whose refusals come back as JSON naming the field. An edit states the
`version` it read (409 when stale); a frozen self-assessment refuses every change with a 409, as the pages do.
Evidence is uploaded as multipart form data and checked by its content with the pages' rules and size limit.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oversight.compliance import actions
from oversight.compliance.filtersets import ReviewTaskFilterSet
from oversight.compliance.models import (
    RECORDED_FIELDS,
    Answer,
    Assessment,
    Evidence,
    Governance,
    PlanAction,
    Principle,
    ReviewTask,
    Transparency,
)
from oversight.core.permissions import may_edit_body
from oversight.register.models import System

from .base import ApiMixin, action_errors
from .parsers import BoundedJSONParser, BoundedMultiPartParser
from .register import VERSION_HELP, ScopedPrimaryKey


class ReadOrMayEditBody(permissions.BasePermission):
    """Reads for every signed-in user (their scope); writes for the editors and administrators of their body.

    Which of them may make a given change is the action's to say (a 403 when it refuses the person).
    """

    message = 'Only an editor or administrator of the body can change its data.'

    def has_permission(self, request, view):
        user = request.user
        return request.method in permissions.SAFE_METHODS or may_edit_body(user, user.organisation_id)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or may_edit_body(request.user, obj.organisation_id)


class ComplianceMixin(ApiMixin):
    permission_classes = [permissions.IsAuthenticated, ReadOrMayEditBody]


class PrincipleNumber(serializers.SlugRelatedField):
    """A guiding principle by its number, 1 to 12."""

    def __init__(self, **kwargs):
        super().__init__(slug_field='number', queryset=Principle.objects.all(), **kwargs)


def _version_field():
    return serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


# Governance records


class GovernanceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:governance-detail')
    organisation = serializers.SlugRelatedField(source='system.organisation', slug_field='slug', read_only=True)
    system = ScopedPrimaryKey(queryset=System.objects.all(), help_text='The register system; set when created.')
    dpia_status = serializers.CharField(source='dpia', read_only=True, help_text='missing, due or in_date (today).')
    certification_status = serializers.CharField(
        source='certification', read_only=True, help_text='none, expired, expiring (within 90 days) or valid.'
    )
    version = _version_field()

    class Meta:
        model = Governance
        fields = ['url', 'id', 'organisation', 'system', *RECORDED_FIELDS, 'dpia_status', 'certification_status']
        fields += ['version']
        # The record's rules are the model's and the action's to check, each on its field.
        validators = []

    def validate(self, attrs):
        if self.instance is not None:
            if 'version' not in attrs:
                raise serializers.ValidationError({'version': 'Send the version you read: it is required for an edit.'})
            if 'system' in attrs and attrs['system'] != self.instance.system:
                raise serializers.ValidationError({'system': 'A record stays with its system: it cannot move.'})
        elif Governance.objects.filter(system=attrs['system']).exists():
            raise serializers.ValidationError(
                {'system': 'This system already has a governance record: change it (PUT or PATCH with its version).'}
            )
        return attrs


class GovernanceViewSet(
    ComplianceMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Each system's governance record (purpose, SRO, retention, DPIA, certification, facial recognition)."""

    model = Governance
    serializer_class = GovernanceSerializer

    def get_queryset(self):
        return super().get_queryset().select_related('system__organisation').with_status()

    def _record(self, system, version, serializer):
        fields = {k: v for k, v in serializer.validated_data.items() if k in RECORDED_FIELDS}
        with action_errors():
            record = actions.record_governance(self.request.user, system, version, **fields)
        serializer.instance = self.get_queryset().get(pk=record.pk)

    def perform_create(self, serializer):
        self._record(serializer.validated_data['system'], None, serializer)

    def perform_update(self, serializer):
        self._record(serializer.instance.system, serializer.validated_data['version'], serializer)


# Self-assessments


class AnswerSerializer(serializers.ModelSerializer):
    principle = PrincipleNumber()
    version = _version_field()

    class Meta:
        model = Answer
        fields = ['principle', 'response', 'comment', 'version']


class PlanActionSerializer(serializers.ModelSerializer):
    principle = PrincipleNumber()

    class Meta:
        model = PlanAction
        fields = ['id', 'principle', 'action', 'owner', 'due', 'status', 'version']
        read_only_fields = ['version']


# Documented as a change to the PlanAction it is (PatchedPlanAction), so its status shares PlanActionStatusEnum.
@extend_schema_serializer(component_name='PlanAction')
class PlanActionChangeSerializer(serializers.ModelSerializer):
    """A change to an action of the plan: any of its text, owner, due date and status, with the version read."""

    version = _version_field()

    class Meta:
        model = PlanAction
        fields = ['action', 'owner', 'due', 'status', 'version']

    def validate(self, attrs):
        if 'version' not in attrs:
            raise serializers.ValidationError({'version': 'Send the version you read: it is required for an edit.'})
        return attrs


class AssessmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:assessment-detail')
    organisation = serializers.SlugRelatedField(source='system.organisation', slug_field='slug', read_only=True)
    system = ScopedPrimaryKey(queryset=System.objects.all(), help_text='The register system assessed.')
    frozen_by = serializers.StringRelatedField()
    also_covers = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text='The other systems of the body it answers for: a group assessment.'
    )
    answers = AnswerSerializer(many=True, read_only=True)
    plan = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ['url', 'id', 'organisation', 'system', 'also_covers', 'number', 'frozen_on', 'frozen_by']
        fields += ['published_on']
        fields += ['answers', 'plan', 'version']
        read_only_fields = ['number', 'frozen_on', 'frozen_by', 'published_on', 'version']


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class CoverSerializer(VersionSerializer):
    also_covers = ScopedPrimaryKey(many=True, queryset=System.objects.all(), help_text='Other systems of the body.')


class AssessmentViewSet(
    ComplianceMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Self-assessments against the 12 principles: started (a new version copies the last frozen one), answered,
    planned, frozen as a version on record, and published on the body's transparency page."""

    model = Assessment
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        assessments = super().get_queryset().select_related('system__organisation', 'frozen_by')
        return assessments.prefetch_related('answers__principle', 'plan__principle', 'also_covers')

    def _read(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    def perform_create(self, serializer):
        with action_errors():
            started = actions.start_assessment(self.request.user, serializer.validated_data['system'])
        serializer.instance = self.get_queryset().get(pk=started.pk)

    def perform_destroy(self, instance):
        """Discard an open assessment with its answers and plan; a frozen version is refused (409)."""
        with action_errors():
            actions.discard_assessment(self.request.user, instance)

    @extend_schema(request=AnswerSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=['post'])
    def answer(self, request, pk=None):
        """Record or change the answer for one principle (send the answer's `version` to change it)."""
        assessment = self.get_object()
        given = AnswerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        principle, version = values.pop('principle'), values.pop('version', None)
        with action_errors():
            actions.answer_principle(request.user, assessment, principle, version, **values)
        return self._read(assessment.pk)

    @extend_schema(request=PlanActionSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=['post'], url_path='plan')
    def add_plan_action(self, request, pk=None):
        """Add an action to the plan for one principle."""
        assessment = self.get_object()
        given = PlanActionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        principle = values.pop('principle')
        with action_errors():
            actions.add_plan_action(request.user, assessment, principle, **values)
        response = self._read(assessment.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=PlanActionChangeSerializer,
        responses=PlanActionSerializer,
        parameters=[OpenApiParameter('action_id', int, OpenApiParameter.PATH, description='The action (its `id`).')],
    )
    @action(detail=True, methods=['patch'], url_path=r'plan/(?P<action_id>[0-9]+)', url_name='plan-action')
    def change_plan_action(self, request, pk=None, action_id=None):
        """Change an action of the plan: its text, owner, due date or status (send the action's `version`)."""
        assessment = self.get_object()
        item = get_object_or_404(PlanAction.objects.select_related('principle'), assessment=assessment, pk=action_id)
        given = PlanActionChangeSerializer(item, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        version = values.pop('version')
        with action_errors():
            changed = actions.update_plan_action(request.user, item, version, **values)
        return Response(PlanActionSerializer(changed).data)

    @extend_schema(request=CoverSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=['post'])
    def cover(self, request, pk=None):
        """Set the other systems of the body an open assessment answers for (an empty list: this system only)."""
        assessment = self.get_object()
        given = CoverSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        with action_errors():
            actions.cover_systems(
                request.user, assessment, given.validated_data['also_covers'], given.validated_data['version']
            )
        return self._read(assessment.pk)

    def _change(self, request, change):
        assessment = self.get_object()
        given = VersionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with action_errors():
            change(request.user, assessment, given.validated_data['version'])
        return self._read(assessment.pk)

    @extend_schema(request=VersionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=['post'])
    def freeze(self, request, pk=None):
        """Freeze a complete assessment as a version on record: it cannot change afterwards."""
        return self._change(request, actions.freeze_assessment)

    @extend_schema(request=VersionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=['post'])
    def publish(self, request, pk=None):
        """Publish a frozen assessment on the body's transparency page."""
        return self._change(request, actions.publish_assessment)

    @extend_schema(request=VersionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=['post'])
    def unpublish(self, request, pk=None):
        """Withdraw a published assessment from the transparency page."""
        return self._change(request, actions.unpublish_assessment)


# Evidence


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:evidence-detail')
    download = serializers.HyperlinkedIdentityField(view_name='api:evidence-download')
    organisation = serializers.SlugRelatedField(source='system.organisation', slug_field='slug', read_only=True)
    system = ScopedPrimaryKey(queryset=System.objects.all())
    principle = PrincipleNumber(required=False, allow_null=True)
    file = serializers.FileField(
        write_only=True, help_text='A PDF, PNG, JPEG, .docx, .xlsx or .pptx file, checked by its content.'
    )
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = Evidence
        fields = ['url', 'id', 'organisation', 'system', 'principle', 'title', 'file', 'filename', 'content_type']
        fields += ['size', 'uploaded', 'uploaded_by', 'download']
        read_only_fields = ['filename', 'content_type', 'size', 'uploaded']


class EvidenceViewSet(
    ComplianceMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Documents evidencing a system's governance: uploaded as multipart form data, only ever downloaded."""

    model = Evidence
    serializer_class = EvidenceSerializer
    parser_classes = [BoundedMultiPartParser, BoundedJSONParser]

    def get_queryset(self):
        return super().get_queryset().select_related('system__organisation', 'principle', 'uploaded_by')

    def perform_create(self, serializer):
        data = serializer.validated_data
        with action_errors():
            evidence = actions.add_evidence(
                self.request.user, data['system'], data['file'], title=data['title'], principle=data.get('principle')
            )
        serializer.instance = self.get_queryset().get(pk=evidence.pk)

    def perform_destroy(self, instance):
        with action_errors():
            actions.delete_evidence(self.request.user, instance)

    @extend_schema(responses={(200, 'application/octet-stream'): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=['get'])
    def download(self, request, pk=None):
        """The file, as an attachment of the kind its content was found to be (never shown inline)."""
        evidence = self.get_object()
        response = FileResponse(
            evidence.file.open('rb'), as_attachment=True, filename=evidence.filename, content_type=evidence.content_type
        )
        response['X-Content-Type-Options'] = 'nosniff'
        return response


# Transparency pages


class TransparencySerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    published = serializers.BooleanField(read_only=True)
    public_url = serializers.SerializerMethodField(help_text='The public address while the page is published.')

    class Meta:
        model = Transparency
        fields = ['id', 'organisation', 'published', 'published_on', 'public_url', 'version']

    def get_public_url(self, page) -> str | None:
        if not page.published:
            return None
        return self.context['request'].build_absolute_uri(reverse('transparency:body', args=[page.organisation.slug]))


class OptionalVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text='The version you read; not needed before the page was ever published.'
    )


class TransparencyViewSet(ComplianceMixin, viewsets.ReadOnlyModelViewSet):
    """Whether bodies publish their transparency page; a body's editors and administrators publish or withdraw it."""

    model = Transparency
    serializer_class = TransparencySerializer

    def get_queryset(self):
        return super().get_queryset().select_related('organisation').order_by('organisation__name')

    def _change(self, request, change):
        given = OptionalVersionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with action_errors():
            page = change(request.user, request.user.organisation, given.validated_data.get('version'))
        return Response(self.get_serializer(page).data)

    @extend_schema(request=OptionalVersionSerializer, responses=TransparencySerializer)
    @action(detail=False, methods=['post'])
    def publish(self, request):
        """Publish your body's transparency page, for anyone to read without signing in."""
        return self._change(request, actions.publish_transparency)

    @extend_schema(request=OptionalVersionSerializer, responses=TransparencySerializer)
    @action(detail=False, methods=['post'])
    def unpublish(self, request):
        """Withdraw your body's transparency page: its public address becomes a 404."""
        return self._change(request, actions.unpublish_transparency)


# Review tasks


class OccurrenceSerializer(serializers.Serializer):
    raised_at = serializers.DateTimeField(read_only=True)
    reason = serializers.CharField(read_only=True, help_text='What raised the task this time, in words.')


class ReviewTaskSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:reviewtask-detail')
    occurrences = OccurrenceSerializer(
        source='causes',
        many=True,
        read_only=True,
        help_text='Every cause the task was raised for while open, oldest first; the first is `reason`.',
    )
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    status = serializers.CharField(read_only=True, help_text='open, overdue (past its due date) or done.')
    resolved_by = serializers.StringRelatedField()

    class Meta:
        model = ReviewTask
        fields = ['url', 'id', 'organisation', 'system', 'kind', 'reason', 'raised_at', 'occurrences', 'due', 'status']
        fields += ['resolved_at', 'resolved_by', 'resolution', 'version']
        read_only_fields = fields


class ResolveSerializer(VersionSerializer):
    resolution = serializers.CharField(max_length=2000, help_text='How the task was resolved, in words.')


class ReviewTaskViewSet(ComplianceMixin, viewsets.ReadOnlyModelViewSet):
    """What a body needs to do about its governance, raised by the review triggers; an editor resolves one."""

    model = ReviewTask
    serializer_class = ReviewTaskSerializer
    filterset_class = ReviewTaskFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'resolved_by')

    @extend_schema(request=ResolveSerializer, responses=ReviewTaskSerializer)
    @action(detail=True, methods=['post'])
    def resolve(self, request, pk=None):
        """Mark an open task done, saying how (as the To do page does)."""
        task = self.get_object()
        given = ResolveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with action_errors():
            actions.resolve_task(
                request.user, task, given.validated_data['resolution'], given.validated_data['version']
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)
