"""Structured logs: one JSON object a line, each carrying the id of the request (or task) it belongs to.

The request id comes from the proxy's `X-Request-ID` when it is a sane token, else it is made here; it is
echoed in the response, handed to any task the request queues, and bound again while the worker runs it,
so one id follows a piece of work from the proxy's log through the web node's to the worker's.
"""

import contextlib
import contextvars
import datetime
import json
import logging
import re
import uuid

HEADER = 'X-Request-ID'
# What a proxy may choose: short, printable, and no characters that could forge a log line or a header.
SANE = re.compile(r'[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}')

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar('request_id', default='')


def current_request_id() -> str:
    return _request_id.get()


@contextlib.contextmanager
def bound_request_id(request_id: str):
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def request_id_from(offered: str | None) -> str:
    """The proxy's id when it is sane, else a new one."""
    if offered and SANE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Binds the request's id for the logs of everything it does, and echoes it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(HEADER))
        with bound_request_id(request.request_id):
            response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the bound request id on every record, so any formatter can show it."""

    def filter(self, record):
        if not getattr(record, 'request_id', ''):
            record.request_id = current_request_id()
        return True


# Attributes every LogRecord has: anything else on a record was passed in `extra` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {'message', 'asctime', 'request_id'}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id, extras, traceback."""

    def format(self, record):
        entry = {
            'time': datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
        }
        if request_id := getattr(record, 'request_id', '') or current_request_id():
            entry['request_id'] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith('_'):
                entry[key] = value
        if record.exc_info:
            entry['exception'] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
