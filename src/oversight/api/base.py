"""What every API endpoint shares: scoped querysets, who may write, errors from actions.

Endpoints are thin like the pages: every queryset starts from the model's `for_user()`, so another
body's object is a 404; every write goes through the owning app's `actions`, whose ValidationError
becomes a 400 naming the field (409 when the record changed meanwhile or is still in use).
"""

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from oversight.core import pagination
from oversight.core.text import whole_number

from .authentication import PersonalTokenAuthentication
from .parsers import BoundedJSONParser
from .permissions import ReadOrBodyEditor

# Codes actions give refusals that are about the record's state rather than the request's content
# ('frozen': a self-assessment frozen as a version on record).
CONFLICT_CODES = frozenset({'stale', 'protected', 'frozen'})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = 'The record changed since you read it.'
    default_code = 'stale'


@contextlib.contextmanager
def action_errors():
    """Run an action; its ValidationError becomes the API's 400 (by field) or 409 (stale or in use)."""
    try:
        yield
    except IntegrityError as exc:
        # A database constraint caught what a concurrent request made true after the action's checks.
        raise Conflict('Another change conflicts with this one: read the record again.', code='conflict') from exc
    except DjangoValidationError as exc:
        if getattr(exc, 'code', None) in CONFLICT_CODES:
            raise Conflict(detail=' '.join(exc.messages), code=exc.code) from exc
        if hasattr(exc, 'error_dict'):
            detail = {
                ('non_field_errors' if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {'non_field_errors': exc.messages}
        raise exceptions.ValidationError(detail) from exc


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = 'page_size'
    max_page_size = 500


class KeysetPagination(BasePagination):
    """The register's lists, which grow with the national register: pages by cursor (core.pagination),
    `{"next", "previous", "results"}` without a count, so page 1,000 costs what page 1 does."""

    page_size_query_param = Pagination.page_size_query_param

    def paginate_queryset(self, queryset, request, view=None):
        size = Pagination().get_page_size(request)
        self.request = request
        self.page = pagination.page(queryset, request.query_params.get('cursor'), size)
        return self.page.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), 'cursor', cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                'next': self._link(self.page.next_cursor),
                'previous': self._link(self.page.previous_cursor),
                'results': data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {'type': 'string', 'nullable': True, 'format': 'uri'}
        return {
            'type': 'object',
            'required': ['next', 'previous', 'results'],
            'properties': {'next': link, 'previous': link, 'results': schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                'name': 'cursor',
                'required': False,
                'in': 'query',
                'description': "Where the page starts: the cursor in the previous response's next or previous link.",
                'schema': {'type': 'string'},
            },
            {
                'name': self.page_size_query_param,
                'required': False,
                'in': 'query',
                'description': f'Rows a page, up to {Pagination.max_page_size}.',
                'schema': {'type': 'integer'},
            },
        ]


# The token first, so a request without credentials is answered 401 naming the Token scheme.
AUTHENTICATION = [PersonalTokenAuthentication, SessionAuthentication]


class ApiMixin:
    """What every API view shares: token or session authentication, writes for the body's editors only,
    bounded JSON bodies, pages of 50, and (for a `model`) its rows as the user may see them."""

    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated, ReadOrBodyEditor]
    parser_classes = [BoundedJSONParser]
    pagination_class = Pagination
    model = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


class ScopedChoices:
    """For a related field: objects offered and accepted only from the requesting user's scope."""

    def get_queryset(self):
        return self.queryset.model.objects.for_user(self.context['request'].user)


class ReadOnlyViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    pass


def expected_version(request) -> int:
    """The `version` a delete states it started from (?version=), required so nothing is deleted unseen."""
    version = whole_number(request.query_params.get('version', ''))
    if version is None:
        raise exceptions.ValidationError({'version': 'Give the version you read (?version=N): it is required.'})
    return version
