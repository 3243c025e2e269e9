"""The task queue as Prometheus sees it, read from the task records at each scrape.

Gauges, not counters kept in a process: every node and worker writes the same table, so whichever node
is scraped reports the whole queue, and nothing is lost when a process restarts.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .models import Job


class TaskCollector:
    def collect(self):
        now = timezone.now()
        stale_before = now - timedelta(seconds=settings.OVERSIGHT_TASK_STALE_SECONDS)
        active = Q(status__in=Job.ACTIVE)
        counts = dict(Job.objects.values_list('status').annotate(n=Count('pk')).order_by())
        # As Job.stopped_reason has it, short of asking the backend about each queued task: a queued task waits
        # its turn while any worker shows life, unless it was never handed over.
        moving = Job.objects.workers_seen_since(stale_before)
        stuck = Q(status=Job.Status.RUNNING) | Q(status=Job.Status.QUEUED, task_id='') if moving else active
        stopped = Job.objects.filter(stuck, heartbeat_at__lt=stale_before).count()
        oldest = Job.objects.filter(status=Job.Status.QUEUED).aggregate(at=Min('created'))['at']

        tasks = GaugeMetricFamily(
            'oversight_tasks', 'Task records by status (failed includes every failure kept).', labels=['status']
        )
        for status in Job.Status:
            tasks.add_metric([status.value], counts.get(status.value, 0))
        yield tasks
        yield GaugeMetricFamily(
            'oversight_tasks_stopped',
            'Queued or running tasks that will not finish by themselves: their worker died, none is running, or '
            'the queue never got them.',
            value=stopped,
        )
        yield GaugeMetricFamily(
            'oversight_tasks_oldest_queued_seconds',
            'How long the oldest queued task has waited (0 when none waits).',
            value=(now - oldest).total_seconds() if oldest else 0,
        )
