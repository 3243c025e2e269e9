"""gunicorn's settings for an Oversight web node: `gunicorn -c gunicorn.conf.py` (the container's command).

Each value can be changed through the environment (docs/operations.md lists them with their defaults).
Migrations are not run here: the release step (`oversight migrate`) runs them once, before nodes start.
"""

import os
import shutil
import tempfile


def _number(name: str, default: int) -> int:
    text = os.environ.get(name, '').strip()
    try:
        return int(text) if text else default
    except ValueError:
        raise SystemExit(f'{name} must be a whole number, not {text!r}.') from None


wsgi_app = 'oversight.wsgi:application'
bind = os.environ.get('OVERSIGHT_BIND', '0.0.0.0:8000')

# Processes for the CPU the node is given, threads for requests that wait on the database.
_cores = len(os.sched_getaffinity(0))
workers = _number('WEB_CONCURRENCY', min(2 * _cores + 1, 8))
worker_class = 'gthread'
threads = _number('OVERSIGHT_WEB_THREADS', 4)
# A draft report's PDF is rendered while its reader waits: a few seconds; anything past a minute is stuck.
timeout = _number('OVERSIGHT_WEB_TIMEOUT', 60)
graceful_timeout = _number('OVERSIGHT_WEB_GRACEFUL_TIMEOUT', 30)
keepalive = 5  # longer than nothing, shorter than a load balancer's idle time-out (typically 60 s)
# A worker is replaced after this many requests (jittered so they do not all restart together).
max_requests = _number('OVERSIGHT_WEB_MAX_REQUESTS', 2000)
max_requests_jitter = max_requests // 10
# Workers' heartbeat files in memory: a container's disk may be slow or read-only.
worker_tmp_dir = '/dev/shm' if os.path.isdir('/dev/shm') else None

# X-Forwarded-Proto and X-Forwarded-For are believed only from these addresses (the reverse proxy).
forwarded_allow_ips = os.environ.get('OVERSIGHT_TRUSTED_PROXIES', '127.0.0.1,::1')

# Logs: JSON lines on standard error, access log included, each line with the request id.
accesslog = '-'
errorlog = '-'
loglevel = os.environ.get('OVERSIGHT_LOG_LEVEL', 'info').lower()
logger_class = 'oversight.core.accesslog.AccessLogger'

# Prometheus counters from every worker process, summed at each scrape (core/health.py). The directory
# belongs to this master: emptied at start, and a dead worker's gauges are dropped. One made here is removed
# as the master stops, so restarts leave nothing behind in the temporary directory. Which one it made is kept in
# the environment: a reload (HUP) reads this file again with the directory set.
if not os.environ.get('PROMETHEUS_MULTIPROC_DIR'):
    os.environ['PROMETHEUS_MULTIPROC_DIR'] = tempfile.mkdtemp(prefix='oversight-metrics-')
    os.environ['OVERSIGHT_MADE_METRICS_DIR'] = os.environ['PROMETHEUS_MULTIPROC_DIR']


def on_starting(server):
    directory = os.environ['PROMETHEUS_MULTIPROC_DIR']
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    made = os.environ.get('OVERSIGHT_MADE_METRICS_DIR')
    # A master that started its successor (USR2, an upgrade in place) leaves the directory to it.
    if made and made == os.environ['PROMETHEUS_MULTIPROC_DIR'] and not server.reexec_pid:
        shutil.rmtree(made, ignore_errors=True)
