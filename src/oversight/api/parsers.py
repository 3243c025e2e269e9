"""How API bodies are read: within the upload bound, and JSON by core.jsondata.

Apart from the views (api/base.py) because DRF reads DEFAULT_PARSER_CLASSES, which names a parser
here, while its views module is being imported.
"""

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser

from oversight.core.jsondata import JsonError, loads
from oversight.core.text import whole_number

MULTIPART_HEADROOM = 64 * 1024


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = 'too_large'


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f'The upload is larger than {limit:,} bytes, the limit: nothing was saved.')


def refuse_declared_excess(request, headroom: int = 0) -> int:
    """The upload bound; a body declared larger than it is refused with a 413 before any of it is read."""
    limit = settings.OVERSIGHT_MAX_UPLOAD_BYTES
    declared = whole_number(request.META.get('CONTENT_LENGTH') or '0')
    if declared is None or declared > limit + headroom:
        raise _too_large(limit)
    return limit


def refuse_oversize(size: int) -> None:
    limit = settings.OVERSIGHT_MAX_UPLOAD_BYTES
    if size > limit:
        raise _too_large(limit)


class BytesParser(BaseParser):
    """A raw body (a scan file, a CSV) as bytes, never more than the upload bound read into memory."""

    media_type = 'application/octet-stream'

    def parse(self, stream, media_type=None, parser_context=None):
        limit = refuse_declared_excess(parser_context['request'])
        content = stream.read(limit + 1) if stream is not None else b''
        refuse_oversize(len(content))
        return content


def bytes_parser(*media_types: str) -> list[type[BytesParser]]:
    """A BytesParser for each media type an endpoint takes its raw body as."""
    return [type(f'BytesParser[{m}]', (BytesParser,), {'media_type': m}) for m in media_types]


class BoundedJSONParser(JSONParser):
    """JSON bodies within the upload bound (a larger one is refused before it is read), and read by
    core.jsondata: nesting, numbers or constants Python's parser would crash on or store are a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = refuse_declared_excess(parser_context['request'])
        content = stream.read(limit + 1) if stream is not None else b''
        refuse_oversize(len(content))
        encoding = parser_context.get('encoding', settings.DEFAULT_CHARSET)
        try:
            return loads(content.decode(encoding))
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(f'JSON parse error: the body is not {encoding} text.') from exc
        except JsonError as exc:
            raise exceptions.ParseError(f'JSON parse error: {exc}.') from exc


class BoundedMultiPartParser(MultiPartParser):
    """A form upload whose file is within the bound (the headroom is the form's own fields and boundaries)."""

    def parse(self, stream, media_type=None, parser_context=None):
        refuse_declared_excess(parser_context['request'], headroom=MULTIPART_HEADROOM)
        return super().parse(stream, media_type, parser_context)
