"""The register over the API: sites, systems and equipment lines, and file imports with their preview.

Reads are scoped by `for_user()`; creates, edits and deletes go through `register.actions`, for the
body's editors only. An edit states the `version` it read and a delete `?version=N`: a stale one is
refused with a 409, so nobody overwrites a change they have not seen.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oversight.jobs.actions import queue_register_import, refuse_while_importing
from oversight.register import actions
from oversight.register.filtersets import EquipmentLineFilterSet, SiteFilterSet, SystemFilterSet
from oversight.register.imports import read_batch
from oversight.register.models import EquipmentLine, ImportBatch, Site, System
from oversight.register.values import BadValue, parse_mac

from .base import ApiMixin, KeysetPagination, ScopedChoices, action_errors, expected_version
from .jobs import JobSerializer, accepted
from .parsers import BoundedJSONParser, BoundedMultiPartParser, refuse_oversize
from .permissions import BodyEditors

VERSION_HELP = 'The version you read; an edit must send it, and is refused (409) when the record changed since.'
DELETE_VERSION = OpenApiParameter(
    'version', OpenApiTypes.INT, required=True, description='The version you read: a changed record is not deleted.'
)


class ScopedPrimaryKey(ScopedChoices, serializers.PrimaryKeyRelatedField):
    """A related register object by id, accepted only from the requesting user's own scope."""


class RegisterSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    class Meta:
        # Names unique within a body, and every other rule, are the action's to check.
        validators = []

    def validate(self, attrs):
        if self.instance is not None and 'version' not in attrs:
            raise serializers.ValidationError({'version': 'Send the version you read: it is required for an edit.'})
        return attrs


COUNT_FIELDS = ['line_count', 'device_count', 'concern_device_count']


class CountsMixin(serializers.Serializer):
    line_count = serializers.IntegerField(read_only=True)
    device_count = serializers.IntegerField(read_only=True)
    concern_device_count = serializers.IntegerField(read_only=True, help_text='Devices from makers of concern.')


class SiteSerializer(CountsMixin, RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:site-detail')

    class Meta(RegisterSerializer.Meta):
        model = Site
        fields = ['url', 'id', 'organisation', 'name', 'address', 'postcode', 'kind', 'sensitive', 'version']
        fields += COUNT_FIELDS


class SystemSerializer(CountsMixin, RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:system-detail')

    class Meta(RegisterSerializer.Meta):
        model = System
        fields = ['url', 'id', 'organisation', 'name', 'category', 'description', 'version', *COUNT_FIELDS]


class EquipmentLineSerializer(RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:equipmentline-detail')
    site = ScopedPrimaryKey(queryset=Site.objects.all())
    system = ScopedPrimaryKey(queryset=System.objects.all())
    manufacturer = serializers.StringRelatedField(help_text='The declared maker, resolved to its canonical name.')
    made_by = serializers.StringRelatedField(help_text='Who really made it, through sub-brands and relabels.')

    class Meta(RegisterSerializer.Meta):
        model = EquipmentLine
        fields = [
            'url',
            'id',
            'organisation',
            'site',
            'system',
            *EquipmentLine.DECLARED_FIELDS,
            'manufacturer',
            'made_by',
            'confidence',
            'concern',
            'evidence',
            'version',
        ]
        read_only_fields = ['confidence', 'concern', 'evidence']
        # Any common MAC spelling is accepted and stored in one (validate_mac_address).
        extra_kwargs = {'mac_address': {'validators': []}}

    def validate_mac_address(self, value):
        try:
            return parse_mac(value.strip())
        except BadValue as exc:
            raise serializers.ValidationError(str(exc)) from exc


@extend_schema_view(destroy=extend_schema(parameters=[DELETE_VERSION]))
class RegisterViewSet(ApiMixin, viewsets.ModelViewSet):
    """List, read, add, change and delete one kind of register object through its actions."""

    pagination_class = KeysetPagination
    # The register's actions for this kind of object, as staticmethods.
    create_action = update_action = delete_action = None

    def get_queryset(self):
        return super().get_queryset().as_listed()

    def perform_create(self, serializer):
        user = self.request.user
        values = {k: v for k, v in serializer.validated_data.items() if k != 'version'}
        with action_errors():
            created = self.create_action(user, user.organisation, **values)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        version = values.pop('version')
        with action_errors():
            self.update_action(self.request.user, serializer.instance, version, **values)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        version = expected_version(self.request)
        with action_errors():
            self.delete_action(self.request.user, instance, version)


class SiteViewSet(RegisterViewSet):
    model = Site
    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet
    create_action = staticmethod(actions.create_site)
    update_action = staticmethod(actions.update_site)
    delete_action = staticmethod(actions.delete_site)


class SystemViewSet(RegisterViewSet):
    model = System
    serializer_class = SystemSerializer
    filterset_class = SystemFilterSet
    create_action = staticmethod(actions.create_system)
    update_action = staticmethod(actions.update_system)
    delete_action = staticmethod(actions.delete_system)


class EquipmentLineViewSet(RegisterViewSet):
    model = EquipmentLine
    serializer_class = EquipmentLineSerializer
    filterset_class = EquipmentLineFilterSet
    create_action = staticmethod(actions.create_line)
    update_action = staticmethod(actions.update_line)
    delete_action = staticmethod(actions.delete_line)


# Imports: upload a file, read its preview (every problem, or what it would write), then commit or discard.


class ImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text='As the file numbers it: the header is row 1.')
    column = serializers.CharField(help_text='Empty when the problem is the row or the file as a whole.')
    message = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer):
    problems = ImportProblemSerializer(many=True, help_text='Every problem in the file; nothing is written while any.')
    counts = serializers.DictField(child=serializers.IntegerField(), help_text='Rows to create, update, leave alone.')
    new_systems = serializers.ListField(child=serializers.CharField(), help_text='Systems the file would add.')
    fingerprint = serializers.CharField(help_text='Send it to commit: the commit is refused if the outcome changed.')
    already_imported = serializers.DateTimeField(
        allow_null=True, help_text='When this same file was imported for the body: committing it again is refused.'
    )


class ImportBatchSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:importbatch-detail')
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    preview = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = ['url', 'id', 'organisation', 'kind', 'filename', 'sha256', 'created', 'status', 'counts', 'preview']

    @extend_schema_field(ImportPreviewSerializer(allow_null=True))
    def get_preview(self, batch):
        """For a pending file: every problem, or what committing would write."""
        if batch.status != ImportBatch.Status.PENDING:
            return None
        plan = read_batch(batch)
        return {
            'problems': [{'row': e.row, 'column': e.column, 'message': e.message} for e in plan.errors],
            'counts': plan.counts,
            'new_systems': [system.name for system in plan.new_systems],
            'fingerprint': plan.fingerprint,
            'already_imported': getattr(ImportBatch.objects.same_file_imported(batch), 'created', None),
        }


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportBatch.Kind.choices)
    file = serializers.FileField(help_text='The register as .csv or .xlsx, in the columns of the import template.')


class ImportCommitSerializer(serializers.Serializer):
    fingerprint = serializers.CharField(
        required=False, max_length=64, help_text="The preview's fingerprint: refused if the outcome has changed."
    )


class ImportBatchViewSet(ApiMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A body's uploaded register files: upload, preview, commit (all rows or none) or discard. Editors only."""

    model = ImportBatch
    serializer_class = ImportBatchSerializer
    permission_classes = [permissions.IsAuthenticated, BodyEditors]
    parser_classes = [BoundedMultiPartParser, BoundedJSONParser]
    filterset_fields = ['kind', 'status']

    def get_queryset(self):
        return super().get_queryset().select_related('organisation')

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportBatchSerializer})
    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data['file']
        refuse_oversize(file.size)
        content = file.read()
        with action_errors():
            refuse_while_importing(request.user.organisation, content)
            batch = actions.upload_import(
                request.user, request.user.organisation, upload.validated_data['kind'], file.name, content
            )
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImportCommitSerializer, responses={202: JobSerializer})
    @action(detail=True, methods=['post'])
    def commit(self, request, pk=None):
        """Queue the import of every row of the file, or nothing: 202 with the task to follow (Location).

        The task fails, naming every problem by row and column, when the file has problems or its outcome changed.
        """
        batch = self.get_object()
        body = ImportCommitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with action_errors():
            job = queue_register_import(request.user, batch, body.validated_data.get('fingerprint'))
        return accepted(request, job)

    @extend_schema(request=None, responses={200: ImportBatchSerializer})
    @action(detail=True, methods=['post'])
    def discard(self, request, pk=None):
        batch = self.get_object()
        with action_errors():
            actions.discard_import(request.user, batch)
        return Response(self.get_serializer(self.get_queryset().get(pk=batch.pk)).data)
