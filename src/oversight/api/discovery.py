"""Network discovery over the API: a body's scans and the devices they found, and uploading a scan.

A discovery agent uploads with its body's scan token (`Authorization: Bearer ovs_...`, made on the
Scan tokens page); that token can do nothing else. A body's editors may upload with their own
credentials too. The upload is checked at once and answered 202 with its task; a worker runs
`discovery.actions.record_scan`: all or nothing, identified and compared with the register.
"""

import contextlib
from dataclasses import dataclass
from typing import ClassVar

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import authentication, exceptions, mixins, permissions, serializers, status, viewsets

from oversight.accounts.models import User
from oversight.core.throttling import SaysWhatIsLimited, ScanUploadThrottle, TokenFailures
from oversight.discovery import actions
from oversight.discovery.filtersets import DeviceFilterSet, ScanFilterSet
from oversight.discovery.models import DiscoveredDevice, Scan, ScanToken
from oversight.jobs.actions import queue_scan

from .base import ApiMixin, action_errors
from .jobs import JobSerializer, accepted
from .parsers import bytes_parser
from .permissions import ReadOrBodyEditor

AGENT = Scan.Source.AGENT
UPLOAD_TYPES = (
    'application/x-ndjson',
    'application/jsonl',
    'application/json',
    'application/xml',
    'text/xml',
    'text/plain',
    'application/octet-stream',
)


@dataclass(frozen=True)
class ScanAgent:
    """Who a scan token authenticates: an agent that may upload its body's scans, and read nothing.

    It belongs to no organisation and has no role, so every `for_user()` scope is empty for it and every
    predicate of `core.permissions` refuses it.
    """

    Role: ClassVar = User.Role
    token: ScanToken
    pk: None = None
    organisation_id: None = None
    role: str = ''
    is_active: bool = True
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_superuser: bool = False

    @property
    def username(self) -> str:
        return f'scan token "{self.token.name}"'


class ScanTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <scan token>`; a revoked or unknown token is refused (401)."""

    def authenticate(self, request):
        scheme, _, secret = authentication.get_authorization_header(request).decode('latin-1').partition(' ')
        if scheme.lower() != 'bearer':
            return None
        failures = TokenFailures(request)
        failures.check()
        token = actions.token_for(secret.strip())
        if token is None:
            failures.failed()
            raise exceptions.AuthenticationFailed('The scan token is not valid: it is unknown or has been revoked.')
        return ScanAgent(token), token

    def authenticate_header(self, request):
        return 'Bearer realm="oversight"'


class ScanTokenScheme(OpenApiAuthenticationExtension):
    target_class = ScanTokenAuthentication
    name = 'scanToken'

    def get_security_definition(self, auto_schema):
        return {'type': 'http', 'scheme': 'bearer', 'description': 'A scan token (ovs_...) from the Scan tokens page.'}


class AgentUploadsOrBodyEditor(ReadOrBodyEditor):
    """A scan token uploads its body's scans and may do nothing else; people as everywhere in the API."""

    def has_permission(self, request, view):
        if isinstance(request.auth, ScanToken):
            return view.action == 'create'
        return super().has_permission(request, view)


class ScanSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:scan-detail')
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    devices = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = ['url', 'id', 'organisation', 'source', 'tool', 'filename', 'uploaded', 'started', 'finished']
        fields += ['scope', 'counts', 'reconciled', 'devices']

    def get_devices(self, scan) -> str:
        """The devices the scan found."""
        return self.context['request'].build_absolute_uri(f'{reverse("api:discovereddevice-list")}?scan={scan.pk}')


class DeviceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:discovereddevice-detail')
    scan = serializers.HyperlinkedRelatedField(view_name='api:scan-detail', read_only=True)
    line = serializers.HyperlinkedRelatedField(view_name='api:equipmentline-detail', read_only=True)

    class Meta:
        model = DiscoveredDevice
        fields = ['url', 'id', 'scan', 'address', 'mac_address', 'manufacturer', 'model', 'firmware']
        fields += ['serial_number', 'maker', 'brand', 'confidence', 'concern', 'designations', 'evidence']
        fields += ['services', 'errors', 'line', 'match', 'match_confidence', 'mismatches']


class ApiDeviceFilterSet(DeviceFilterSet):
    """The device page's filters, and the scan they were found by."""

    # A choice from the user's own scans: another body's scan is refused (400), and so is a number too
    # large for the database.
    scan = django_filters.ModelChoiceFilter(queryset=lambda request: Scan.objects.for_user(request.user))

    class Meta(DeviceFilterSet.Meta):
        fields = ['scan', 'maker', 'state']


class DeviceViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    model = DiscoveredDevice
    serializer_class = DeviceSerializer
    filterset_class = ApiDeviceFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related('scan')


FILENAME = OpenApiParameter('filename', str, required=False, description='The name of the file, for the record.')
IDEMPOTENCY_KEY = OpenApiParameter(
    'Idempotency-Key',
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description='Your name for this upload: sending it again returns the task (and scan) the first made. '
    'The same bytes for the same body are never made into a second scan either.',
)


class ScanViewSet(SaysWhatIsLimited, ApiMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A body's network scans; upload one as the JSON lines of `oversight discover`, or nmap XML."""

    model = Scan
    serializer_class = ScanSerializer
    filterset_class = ScanFilterSet
    authentication_classes = [ScanTokenAuthentication, *ApiMixin.authentication_classes]
    permission_classes = [permissions.IsAuthenticated, AgentUploadsOrBodyEditor]
    parser_classes = bytes_parser(*UPLOAD_TYPES)

    def get_throttles(self):
        return [ScanUploadThrottle()] if self.action == 'create' else []

    def get_queryset(self):
        return super().get_queryset().select_related('organisation')

    @extend_schema(
        request=dict.fromkeys(UPLOAD_TYPES, bytes),
        responses={202: JobSerializer, 200: JobSerializer},
        parameters=[FILENAME, IDEMPOTENCY_KEY],
    )
    def create(self, request, *args, **kwargs):
        content = request.data if isinstance(request.data, bytes) else b''
        token = request.auth if isinstance(request.auth, ScanToken) else None
        if token is not None:
            actor, organisation, source = actions.TokenActor(request.user.username), token.organisation, AGENT
        else:
            actor, organisation, source = request.user, request.user.organisation, Scan.Source.FILE
        with action_errors(), reused_key_refused():
            job, new = queue_scan(
                actor,
                organisation,
                content,
                source=source,
                filename=request.query_params.get('filename', '')[:255],
                token=token,
                idempotency_key=request.headers.get('Idempotency-Key', ''),
            )
        # A worker identifies and reconciles it; the task names the scan once done.
        return accepted(request, job) if new else replayed(accepted(request, job))


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = 'key_reused'


@contextlib.contextmanager
def reused_key_refused():
    """An Idempotency-Key already used for other bytes is a 422, apart from the 400s of a bad upload."""
    try:
        yield
    except DjangoValidationError as exc:
        if getattr(exc, 'code', None) == 'key_reused':
            raise KeyReused(exc.messages[0]) from exc
        raise


def replayed(response):
    """An upload made before: 200 with the task that took it, marked as a replay."""
    response.status_code = status.HTTP_200_OK
    response['Idempotent-Replayed'] = 'true'
    return response
