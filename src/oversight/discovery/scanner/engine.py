"""The scan: every host probed over every configured port, a bounded number at a time, at a bounded rate.

Per host, the port probes and UDP discovery requests run side by side, then ONVIF is asked at the
device service the host advertised (or at its web ports). Every probe has its own time-out and
size limits, and the host as a whole has a deadline, so one device can slow its own result but
never the scan. What a device does wrong is recorded against that host (`errors`), never raised.
"""

import asyncio
import concurrent.futures
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..results import HostResult, merge
from .dhip import probe_dhip
from .http import probe_http
from .neighbours import NeighbourTable
from .net import UNANSWERED, ProbeError, close, connect
from .onvif import Credentials, NeedsCredentials, NotOnvif, probe_onvif, warm_up
from .ports import PortSpec
from .rtsp import probe_rtsp
from .sadp import probe_sadp
from .wsd import device_service_urls, probe_wsd

ONVIF_PATH = '/onvif/device_service'
# ONVIF is asked at no more than this many addresses per host (advertised first, then web ports).
MAX_ONVIF_ATTEMPTS = 2
# Hosts tried again at once, after the scan, when they gave no answer in time the first time.
RETRY_CONCURRENCY = 4
# Requests an ONVIF exchange may take (anonymous, clock, authenticated, interfaces), for the rate limit.
ONVIF_COST = 4


@dataclass
class ScanOptions:
    ports: tuple[PortSpec, ...]
    concurrency: int = 64
    timeout: float = 10.0  # the whole host
    probe_timeout: float = 3.0  # each connection, reply or datagram
    rate: float = 1000.0  # probes per second, across the scan
    credentials: Credentials | None = None
    neighbours: NeighbourTable | None = field(default_factory=NeighbourTable)

    def host_cost(self) -> int:
        """Probes one host can take at most: the rate limiter reserves them before it starts."""
        return len(self.ports) + ONVIF_COST


class RateLimiter:
    """Spaces probes evenly at `rate` a second; a host reserves its probes before it starts."""

    def __init__(self, rate: float):
        self.interval = 1 / rate
        self.next_free = 0.0

    async def acquire(self, count: int) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self.next_free)
        self.next_free = start + count * self.interval
        if start > now:
            await asyncio.sleep(start - now)


def run(addresses: Iterable[str], options: ScanOptions, on_result: Callable[[HostResult], None]) -> int:
    """Run a scan to its end from synchronous code (a command, the demo).

    A thread whose event loop is already running (a browser driver's, in the tests) cannot start
    another, so the scan then gets a thread of its own; `on_result` is called from that thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(scan(addresses, options, on_result))
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix='discovery-scan') as pool:
        return pool.submit(asyncio.run, scan(addresses, options, on_result)).result()


async def scan(addresses: Iterable[str], options: ScanOptions, on_result: Callable[[HostResult], None]) -> int:
    """Scan every address; `on_result` gets each host's result as it finishes. Returns the hosts scanned."""
    limiter = RateLimiter(options.rate)
    pending = iter(addresses)
    if any(spec.protocol in ('http', 'https', 'wsd') for spec in options.ports):
        await warm_up()
    count = 0
    unheard: list[str] = []

    async def worker(addresses, retry: bool):
        nonlocal count
        for address in addresses:
            await limiter.acquire(options.host_cost())
            result = await scan_host(address, options)
            if retry and timed_out(result):
                unheard.append(address)  # its result comes from the second try
                continue
            on_result(result)
            count += 1

    await asyncio.gather(*(worker(pending, True) for _ in range(max(1, options.concurrency))))
    # A host that gave no answer in time is tried again, a few at a time, once the scan no longer loads the
    # machine and the network: every host still ends in the results, found, timed out, or with its errors.
    again = iter(unheard[:])
    await asyncio.gather(*(worker(again, False) for _ in range(min(RETRY_CONCURRENCY, options.concurrency))))
    return count


def timed_out(result: HostResult) -> bool:
    """Nothing answered and something stayed silent: the host may be there, not heard in time."""
    return result.state == 'down' and bool(result.errors)


async def scan_host(address: str, options: ScanOptions) -> HostResult:
    result = HostResult(address=address, scanned_at=datetime.now(UTC).isoformat(timespec='seconds'))
    started = time.monotonic()
    unanswered = []
    UNANSWERED.set(unanswered)
    try:
        async with asyncio.timeout(options.timeout):
            await _probe(result, options)
    except TimeoutError:
        result.error('host', f'did not finish within {options.timeout:g} s: its remaining probes were stopped')
    if options.neighbours is not None:
        mac = options.neighbours.mac_of(address)
        if mac:
            result.probes['neighbours'] = {'mac': mac}
    result.elapsed = round(time.monotonic() - started, 3)
    result.services.sort(key=lambda s: (s['transport'], s['port']))
    merge(result)
    result.state = 'up' if result.services or result.probes else 'down'
    if result.state == 'down' and unanswered:
        ports = ', '.join(str(port) for port in sorted(set(unanswered)))
        result.error(
            'host',
            f'no answer within {options.probe_timeout:g} s on port {ports}: the host may be there but was not '
            'heard in time (a busy scanner or network); scan it again',
        )
    return result


async def _probe(result: HostResult, options: ScanOptions) -> None:
    await asyncio.gather(*(_port(result, spec, options) for spec in options.ports))
    for url in _onvif_urls(result):
        label = 'onvif'
        try:
            found = await asyncio.wait_for(
                probe_onvif(url, options.credentials, options.probe_timeout), options.probe_timeout * ONVIF_COST
            )
        except NeedsCredentials:
            result.note(label, 'GetDeviceInformation needs credentials: give --username and --password-file')
            return
        except NotOnvif as exc:
            # Asked on a hunch at a web port: an HTTP error there only means no ONVIF service.
            if url in _advertised(result):
                result.error(label, f'{exc} ({url})')
            continue
        except (ProbeError, TimeoutError) as exc:
            message = str(exc) if isinstance(exc, ProbeError) else 'no ONVIF reply in time'
            result.error(label, f'{message} ({url})')
            continue
        except Exception as exc:  # whatever a device sends, the scan goes on
            result.error(label, f'unexpected {exc.__class__.__name__}: {str(exc)[:120]} ({url})')
            continue
        found['url'] = url
        result.probes[label] = found
        return


async def _port(result: HostResult, spec: PortSpec, options: ScanOptions) -> None:
    address, timeout = result.address, options.probe_timeout
    try:
        if spec.protocol in ('http', 'https'):
            found = await probe_http(address, spec.port, timeout, tls=spec.protocol == 'https')
        elif spec.protocol == 'rtsp':
            found = await probe_rtsp(address, spec.port, timeout)
        elif spec.protocol == 'tcp':
            found = await _open(address, spec.port, timeout)
        elif spec.protocol == 'wsd':
            found = await probe_wsd(address, spec.port, timeout)
        elif spec.protocol == 'sadp':
            found = await probe_sadp(address, spec.port, timeout)
        else:
            found = await probe_dhip(address, spec.port, timeout)
    except ProbeError as exc:
        # Only a port that answered can misbehave: it is open, and what it did is recorded.
        _service(result, spec)
        result.error(spec.label, str(exc))
        return
    except Exception as exc:  # a device must never stop the scan
        _service(result, spec)
        result.error(spec.label, f'unexpected {exc.__class__.__name__}: {str(exc)[:120]}')
        return
    if found is None:
        return
    _service(result, spec)
    for note in found.pop('notes', []):
        result.note(spec.label, note)
    note = found.pop('note', None)
    if note:
        result.note(spec.label, note)
    if found:
        result.probes[spec.label] = found


async def _open(address: str, port: int, timeout: float) -> dict | None:
    streams = await connect(address, port, timeout=timeout)
    if streams is None:
        return None
    await close(streams[1])
    return {}


def _service(result: HostResult, spec: PortSpec) -> None:
    entry = {'port': spec.port, 'transport': spec.transport, 'protocol': spec.protocol}
    if entry not in result.services:
        result.services.append(entry)


def _advertised(result: HostResult) -> list[str]:
    urls = []
    for label, found in result.probes.items():
        if label.startswith('wsd:'):
            urls += device_service_urls(found.get('xaddrs', []), result.address)
    return urls


def _onvif_urls(result: HostResult) -> list[str]:
    """Where to ask ONVIF: the device service the host advertised, else its answering web ports."""
    urls = _advertised(result)
    host = f'[{result.address}]' if ':' in result.address else result.address
    for label in sorted(result.probes):
        kind, _, port = label.partition(':')
        if kind in ('http', 'https'):
            urls.append(f'{kind}://{host}:{port}{ONVIF_PATH}')
    return list(dict.fromkeys(urls))[:MAX_ONVIF_ATTEMPTS]
