"""Who made each device, over the API: the contract of `oversight identify` (docs/identification.md).

POST rows as JSON ({"rows": [{"manufacturer": ..., "mac": ...}, ...]}) or the command's CSV as the
body (Content-Type: text/csv); the answer is one result per row, in order, each exactly the JSON
object the command prints. Nothing is stored.
"""

import io
import json

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.core.throttling import IdentifyThrottle, SaysWhatIsLimited
from oversight.identification.engine import Identifier
from oversight.identification.signals import FIELDS, Signals
from oversight.identification.stream import HeaderError, identify_csv

from .base import ApiMixin
from .parsers import BoundedJSONParser, bytes_parser

MAX_ROWS = 10_000


class SignalsSerializer(serializers.Serializer):
    """One device: any of the command's columns, and (the API only) its ONVIF scopes."""

    def get_fields(self):
        text = {'required': False, 'allow_blank': True, 'trim_whitespace': False}
        fields = {name: serializers.CharField(**text) for name in FIELDS}
        fields['onvif_scopes'] = serializers.ListField(
            child=serializers.CharField(allow_blank=True, trim_whitespace=False),
            required=False,
            help_text='The WS-Discovery scopes the device announced.',
        )
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in FIELDS and k != 'onvif_scopes')
            if unknown:
                raise serializers.ValidationError(
                    f'Unknown field(s) {", ".join(unknown)}. The fields are: {", ".join(FIELDS)}, onvif_scopes.'
                )
        return super().to_internal_value(data)


class IdentifyRequestSerializer(serializers.Serializer):
    rows = SignalsSerializer(many=True, max_length=MAX_ROWS, allow_empty=False)
    concern_list = serializers.SlugField(
        required=False, help_text='Count only designations by this concern list (default: any list).'
    )


class DesignationSerializer(serializers.Serializer):
    concern_list = serializers.CharField()
    list_name = serializers.CharField()
    authority = serializers.CharField()
    maker = serializers.CharField()
    designated = serializers.CharField()
    reason = serializers.CharField()


class IdentificationSerializer(serializers.Serializer):
    maker = serializers.CharField(allow_null=True, help_text='Who made it (canonical name); null when unknown.')
    concern = serializers.BooleanField(allow_null=True, help_text='Named by a concern list; null when unknown.')
    designations = DesignationSerializer(many=True)
    confidence = serializers.FloatField(min_value=0, max_value=1)
    evidence = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(required=False, help_text='Why the row could not be read (names the column).')


class IdentifyResponseSerializer(serializers.Serializer):
    results = IdentificationSerializer(many=True)


CONCERN_LIST = OpenApiParameter(
    'concern_list', str, required=False, description='For a CSV body: count only designations by this concern list.'
)


class IdentifyView(SaysWhatIsLimited, ApiMixin, APIView):
    """Identify devices from what is declared about them and what they show on the network."""

    parser_classes = [BoundedJSONParser, *bytes_parser('text/csv')]
    throttle_classes = [IdentifyThrottle]
    # Nothing is written: every signed-in user may identify, with a read-only token too.
    permission_classes = [permissions.IsAuthenticated]
    reads_only = True

    @extend_schema(
        request={'application/json': IdentifyRequestSerializer, 'text/csv': bytes},
        responses={200: IdentifyResponseSerializer},
        parameters=[CONCERN_LIST],
        examples=[
            OpenApiExample(
                'A relabelled camera',
                value={'rows': [{'brand': 'Honeywell', 'firmware': '2.800.0000000.5.R'}]},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        if isinstance(request.data, bytes):
            identifier = self._identifier(request.query_params.get('concern_list'))
            out = []
            try:
                identify_csv(io.BytesIO(request.data), out.append, identifier)
            except HeaderError as exc:
                raise serializers.ValidationError({'header': str(exc)}) from exc
            return Response({'results': [json.loads(line) for chunk in out for line in chunk.splitlines()]})
        body = IdentifyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        identifier = self._identifier(body.validated_data.get('concern_list'))
        results = [identifier.identify(Signals(**row)).as_dict() for row in body.validated_data['rows']]
        return Response({'results': results})

    @staticmethod
    def _identifier(concern_list: str | None) -> Identifier:
        try:
            return Identifier.from_db(concern_list=concern_list or None)
        except LookupError as exc:
            raise serializers.ValidationError({'concern_list': str(exc)}) from exc
