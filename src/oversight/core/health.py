"""Probes and metrics for the machines that run Oversight, not for people.

- `/healthz`: the process answers; nothing else is touched (a liveness probe restarts a wedged process,
  and must not restart every node because the database is down).
- `/readyz`: the database answers, every migration this release ships is applied, and the task queue's
  table is readable (a readiness probe keeps a node out of the load balancer until then).
- `/metrics`: Prometheus's text format, only for a bearer of `OVERSIGHT_METRICS_TOKEN`; without that
  setting, or without the token, it does not exist (404).

Probes come from the orchestrator by the node's own address and over plain HTTP, so
`ProbeMiddleware` answers them ahead of the host check and the HTTPS redirect. None of them reveals a
version, a count of anyone's data or which check failed: the reason goes to the log, not the response.
"""

import functools
import hmac
import logging
import os

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

PROBE_HEADERS = {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
}


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type='text/plain; charset=utf-8', headers=PROBE_HEADERS)


def healthz(request):
    return _plain('ok\n')


@functools.cache
def shipped_migrations() -> frozenset[tuple[str, str]]:
    """The newest migration of each app in this release (read from disk once per process)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def not_ready_because() -> str:
    """'' when the node can serve; else why not, for the log."""
    from django_tasks_db.models import DBTaskResult

    try:
        # One transaction: a failed check leaves no aborted transaction behind on PostgreSQL.
        with transaction.atomic():
            applied = set(MigrationRecorder(connection).applied_migrations())
            if missing := sorted(shipped_migrations() - applied):
                return f'migrations not applied: {", ".join(".".join(m) for m in missing)}'
            DBTaskResult.objects.only('pk').first()
    except DatabaseError as exc:
        return f'database: {exc}'.strip()
    return ''


def readyz(request):
    if reason := not_ready_because():
        logger.warning('Not ready: %s', reason)
        return _plain('not ready\n', status=503)
    return _plain('ready\n')


def metrics(request):
    expected = settings.OVERSIGHT_METRICS_TOKEN
    offered = request.headers.get('Authorization', '').removeprefix('Bearer ').strip()
    if not expected or not hmac.compare_digest(offered.encode(), expected.encode()):
        raise Http404
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

    if os.environ.get('PROMETHEUS_MULTIPROC_DIR'):
        # Several gunicorn workers: each writes its own files, and the scrape adds them up.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Everything(REGISTRY))
    # Gauges read from the database at scrape time, declared by their apps (`metrics` on the AppConfig).
    for config in apps.get_app_configs():
        for collector in getattr(config, 'metrics', []):
            registry.register(import_string(collector)())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST, headers=PROBE_HEADERS)


class _Everything:
    """The process's own registry as one collector, so the task gauges can join it for one scrape only."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


PROBES = {'/healthz': healthz, '/readyz': readyz, '/metrics': metrics}


class ProbeMiddleware:
    """First in MIDDLEWARE: answers the probes before the host check, the HTTPS redirect and the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        try:
            return probe(request)
        except Http404:
            return _plain('Not found\n', status=404)
