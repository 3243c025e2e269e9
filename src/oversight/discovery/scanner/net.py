"""Bounded network reads shared by the probes: a device can never make a probe wait or read forever.

Every read has a size limit and runs under the probe's time-out; what goes wrong becomes a
`ProbeError` with a message that says what the device did, which the scan reports for that host.
"""

import asyncio
import contextlib
import contextvars
import ssl
from dataclasses import dataclass, field

from oversight.core.text import whole_number

HEADER_LIMIT = 16 * 1024  # a device's status line and headers
BODY_LIMIT = 64 * 1024  # enough for any login page's <title>
DATAGRAM_LIMIT = 64 * 1024


class ProbeError(Exception):
    """What a device did wrong, as the results report it ("closed the connection mid-headers")."""


@dataclass
class Reply:
    """An HTTP or RTSP reply: status, headers (names lower-cased, first value kept) and the body read."""

    protocol: str
    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b''


def tls_context() -> ssl.SSLContext:
    """Devices present self-signed certificates; only their banners are read, and nothing secret is sent."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.set_ciphers('DEFAULT:@SECLEVEL=0')
    return context


_TLS = None


def shared_tls_context() -> ssl.SSLContext:
    global _TLS  # built once: creating contexts is slow and they are immutable here
    if _TLS is None:
        _TLS = tls_context()
    return _TLS


# The ports of the host being scanned whose connection got no answer at all in time (set per host by the
# engine): "nothing there" is refused or unreachable, while silence may be a device the busy scanner or
# network did not hear in time, so the host is tried again rather than reported as nothing.
UNANSWERED: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar('unanswered', default=None)


def _unanswered(port: int) -> None:
    unanswered = UNANSWERED.get()
    if unanswered is not None:
        unanswered.append(port)


async def connect(address: str, port: int, *, timeout: float, tls: bool = False):
    """Open a TCP connection; None when nothing accepts it (closed, filtered or unreachable).

    Once connected, the port is open: what goes wrong after that (a TLS handshake that never
    comes) is the device's doing and raises ProbeError.
    """
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port, limit=HEADER_LIMIT), timeout)
    except TimeoutError:
        _unanswered(port)
        return None
    except OSError:
        return None
    if tls:
        try:
            await asyncio.wait_for(writer.start_tls(shared_tls_context()), timeout)
        except TimeoutError as exc:
            writer.transport.abort()
            raise ProbeError(f'no TLS handshake within {timeout:g} s') from exc
        except (ssl.SSLError, ConnectionError, OSError) as exc:
            writer.transport.abort()
            raise ProbeError(f'TLS handshake failed: {getattr(exc, "reason", None) or exc}') from exc
    return reader, writer


async def read_head(reader: asyncio.StreamReader, protocol: str, timeout: float) -> Reply:
    """Read a status line and headers ("HTTP/1.1 200 OK" or "RTSP/1.0 401 Unauthorized")."""
    try:
        block = await asyncio.wait_for(reader.readuntil(b'\r\n\r\n'), timeout)
    except TimeoutError as exc:
        raise ProbeError(f'no {protocol} reply within {timeout:g} s') from exc
    except asyncio.LimitOverrunError as exc:
        raise ProbeError(f'{protocol} headers longer than {HEADER_LIMIT // 1024} KiB') from exc
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            raise ProbeError(f'closed the connection without a {protocol} reply') from exc
        raise ProbeError(f'closed the connection in the middle of the {protocol} headers') from exc
    except (ConnectionError, OSError) as exc:
        raise ProbeError(f'connection lost: {exc}') from exc
    lines = block.decode('latin-1').split('\r\n')
    status_line = lines[0]
    parts = status_line.split(' ', 2)
    status = whole_number(parts[1]) if len(parts) >= 2 else None
    if status is None or not parts[0].startswith(f'{protocol}/'):
        raise ProbeError(f'not a {protocol} reply: {status_line[:60]!r}')
    reply = Reply(parts[0], status, parts[2] if len(parts) > 2 else '')
    for line in lines[1:]:
        name, sep, value = line.partition(':')
        if sep and name.strip():
            reply.headers.setdefault(name.strip().lower(), value.strip())
    return reply


async def read_body(
    reader: asyncio.StreamReader, reply: Reply, timeout: float, *, stop_at: bytes | None = None
) -> str | None:
    """Read the body up to BODY_LIMIT, or until `stop_at` is seen; returns a note when it was cut short."""
    wanted = whole_number(reply.headers.get('content-length', ''))
    chunks = []
    size = 0
    deadline = asyncio.get_running_loop().time() + timeout
    while size < BODY_LIMIT and (wanted is None or size < wanted):
        left = deadline - asyncio.get_running_loop().time()
        try:
            chunk = await asyncio.wait_for(reader.read(min(8192, BODY_LIMIT - size)), max(left, 0))
        except TimeoutError:
            reply.body = b''.join(chunks)
            return f'body still arriving after {timeout:g} s: stopped reading'
        except (ConnectionError, OSError):
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if stop_at and stop_at in b''.join(chunks[-2:]).lower():
            break
    reply.body = b''.join(chunks)
    if size >= BODY_LIMIT and (wanted is None or wanted > BODY_LIMIT):
        return f'body longer than {BODY_LIMIT // 1024} KiB: stopped reading'
    return None


async def close(writer) -> None:
    writer.close()
    with contextlib.suppress(TimeoutError, ConnectionError, OSError, ssl.SSLError):
        await asyncio.wait_for(writer.wait_closed(), 1)


class DatagramExchange(asyncio.DatagramProtocol):
    """Send one datagram to one address and keep the replies that come from that address only."""

    def __init__(self, address: str):
        self.address = address
        self.replies: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data, addr):
        if addr[0] == self.address:
            self.replies.put_nowait(data[:DATAGRAM_LIMIT])

    def error_received(self, exc):
        # An ICMP port unreachable: nothing listens there.
        self.replies.put_nowait(b'')


async def exchange_datagram(address: str, port: int, payload: bytes, timeout: float) -> bytes | None:
    """Send `payload` to address:port and wait for the first reply; None when nothing answers in time.

    The socket is connected to the target, so the kernel delivers replies from that address only.
    """
    loop = asyncio.get_running_loop()
    try:
        transport, protocol = await loop.create_datagram_endpoint(
            lambda: DatagramExchange(address), remote_addr=(address, port)
        )
    except OSError as exc:
        raise ProbeError(f'cannot send to UDP port {port}: {exc.strerror or exc}') from exc
    try:
        transport.sendto(payload)
        try:
            data = await asyncio.wait_for(protocol.replies.get(), timeout)
        except TimeoutError:
            _unanswered(port)
            return None
        return data or None
    finally:
        transport.close()
