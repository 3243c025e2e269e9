"""The emulated fleet's servers: asyncio listeners on loopback addresses, one set per device.

Linux routes all of 127.0.0.0/8 to the loopback interface, so each device binds its own address
(127.0.1.10, 127.0.1.11...) without any set-up. Everything binds to loopback only: the fleet
refuses any other address. It runs in a thread of its own (`Fleet.start()` / `stop()`), so tests,
the demo and the benchmark can scan it from their own event loop or process.
"""

import asyncio
import contextlib
import ipaddress
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass

from .catalogue import Device
from .messages import dhip_reply, probe_match, sadp_reply, soap_reply

REQUEST_LIMIT = 64 * 1024
# How long an idle client is kept: long enough for any probe, short enough to free sockets.
IDLE_SECONDS = 30


@dataclass(frozen=True)
class FleetPorts:
    """The ports the fleet's devices answer on. Without the right to bind ports below 1024 (not root),
    the web and RTSP ports move up by 10,000 and the scan is told so with --ports."""

    http: int = 80
    https: int = 443
    rtsp: int = 554
    sdk: int = 8000
    dahua: int = 37777
    wsd: int = 3702
    sadp: int = 37020
    dhip: int = 37810

    @classmethod
    def unprivileged(cls) -> 'FleetPorts':
        return cls(http=10080, https=10443, rtsp=10554)

    def scan_option(self) -> str:
        """The `--ports` value that scans exactly these ports."""
        return (
            f'{self.http}/http,{self.https}/https,{self.rtsp}/rtsp,{self.sdk}/tcp,{self.dahua}/tcp,'
            f'{self.wsd}/wsd,{self.sadp}/sadp,{self.dhip}/dhip'
        )


def default_ports() -> FleetPorts:
    """The real ports when this process may bind them, else the unprivileged ones."""
    if os.geteuid() == 0:
        return FleetPorts()
    try:
        with open('/proc/sys/net/ipv4/ip_unprivileged_port_start', encoding='ascii') as handle:
            if int(handle.read().strip() or 1024) <= 80:
                return FleetPorts()
    except (OSError, ValueError):
        pass
    return FleetPorts.unprivileged()


class Fleet:
    """Every device's listeners, served from one event loop in a background thread."""

    def __init__(self, devices: list[Device], ports: FleetPorts | None = None):
        for device in devices:
            if not ipaddress.ip_address(device.address).is_loopback:
                raise ValueError(f'{device.address} is not a loopback address: the fleet only runs on loopback.')
        self.devices = devices
        self.ports = ports or default_ports()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list = []
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._tls: ssl.SSLContext | None = None
        self._tls_dir: tempfile.TemporaryDirectory | None = None

    @property
    def by_address(self) -> dict[str, Device]:
        return {d.address: d for d in self.devices}

    def start(self, timeout: float = 60) -> 'Fleet':
        """Bind every device's ports; raises OSError (e.g. an address already in use) if any cannot be bound."""
        self._tls = self._tls_context()
        self._thread = threading.Thread(target=self._run, name='emulated-fleet', daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError('The emulated fleet did not start in time.')
        if self._failure is not None:
            self._thread.join(5)
            raise self._failure
        return self

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        if self._tls_dir is not None:
            self._tls_dir.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # The event loop thread

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._bind_all())
        except BaseException as exc:  # handed to start(), which raises it in the caller
            self._failure = exc
            self._close(loop)
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._close(loop)

    def _close(self, loop) -> None:
        for server in self._servers:
            server.close()
        tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        # Transports close their sockets on the loop's next turns: let them, so the addresses are free at once.
        loop.run_until_complete(asyncio.sleep(0.05))
        loop.close()

    async def _bind_all(self) -> None:
        loop = asyncio.get_running_loop()
        ports = self.ports
        for device in self.devices:
            kind = device.kind

            async def tcp(handler, port, device=device, tls=None):
                server = await asyncio.start_server(
                    lambda r, w, d=device, h=handler: h(d, r, w),
                    device.address,
                    port,
                    ssl=tls,
                    reuse_address=True,
                    limit=REQUEST_LIMIT,
                )
                self._servers.append(server)

            async def udp(reply, port, device=device):
                transport, _ = await loop.create_datagram_endpoint(
                    lambda d=device, r=reply: _Datagrams(d, r, ports.http), local_addr=(device.address, port)
                )
                self._servers.append(transport)

            await tcp(self._http, ports.http)
            await tcp(_rtsp, ports.rtsp)
            if kind.https and self._tls is not None:
                await tcp(self._http, ports.https, tls=self._tls)
            for name in kind.sdk_ports:
                await tcp(_hold, getattr(ports, name))
            if kind.onvif:
                await udp(probe_match, ports.wsd)
            if kind.sadp:
                await udp(sadp_reply, ports.sadp)
            if kind.dhip:
                await udp(dhip_reply, ports.dhip)

    def _tls_context(self) -> ssl.SSLContext | None:
        """A throw-away self-signed certificate (openssl), as devices ship; no HTTPS without openssl."""
        if shutil.which('openssl') is None:
            return None
        self._tls_dir = tempfile.TemporaryDirectory(prefix='oversight-fleet-')
        key, cert = f'{self._tls_dir.name}/key.pem', f'{self._tls_dir.name}/cert.pem'
        made = subprocess.run(
            [
                'openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
                '-days', '2', '-subj', '/CN=emulated-camera', '-keyout', key, '-out', cert,
            ],
            capture_output=True,
            timeout=30,
            check=False,
        )  # fmt: skip
        if made.returncode != 0:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        return context

    # HTTP

    async def _http(self, device: Device, reader, writer) -> None:
        behaviour = device.kind.behaviour
        try:
            if behaviour == 'silent':
                await _wait_for_close(reader)
                return
            request = await _read_request(reader)
            if request is None:
                return
            method, path, _, body = request
            if behaviour == 'truncated':
                writer.write(b'HTTP/1.1 200 OK\r\nServer: Boa/0.94.14rc21\r\nContent-Ty')
                await writer.drain()
                return
            if behaviour == 'endless':
                await _endless_body(device, writer)
                return
            status, headers, content = self._http_reply(device, method, path, body)
            head = [f'HTTP/1.1 {status}', *headers]
            if device.kind.http_server:
                head.append(f'Server: {device.kind.http_server}')
            head += [f'Content-Length: {len(content)}', 'Connection: close', '', '']
            writer.write('\r\n'.join(head).encode('latin-1') + content)
            await writer.drain()
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        finally:
            writer.close()

    def _http_reply(self, device: Device, method: str, path: str, body: bytes):
        kind = device.kind
        if path.split('?', 1)[0] == '/onvif/device_service' and kind.onvif:
            if method != 'POST':
                return '405 Method Not Allowed', ['Allow: POST'], b''
            status, envelope = soap_reply(device, body)
            reason = 'OK' if status == 200 else 'Bad Request'
            return f'{status} {reason}', ['Content-Type: application/soap+xml; charset=utf-8'], envelope
        page = _page(kind.title or kind.model)
        if path == '/' and kind.root == 'redirect':
            return '302 Found', [f'Location: {kind.login_path}'], b''
        if path == '/' and kind.root == 'challenge':
            realm = device.fill(kind.http_realm, uuid.uuid4().hex)
            return '401 Unauthorized', [f'WWW-Authenticate: {realm}', 'Content-Type: text/html'], _page('401')
        if path in ('/', kind.login_path):
            return '200 OK', ['Content-Type: text/html; charset=utf-8'], page
        return '404 Not Found', ['Content-Type: text/html'], _page('404 Not Found')


def _page(title: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body><div id="login"></div></body></html>'
    ).encode()


async def _read_request(reader) -> tuple[str, str, dict, bytes] | None:
    """(method, path, headers, body) of an HTTP or RTSP request; None when the client went away."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b'\r\n\r\n'), IDLE_SECONDS)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        return None
    lines = head.decode('latin-1').split('\r\n')
    parts = lines[0].split(' ')
    if len(parts) < 3:
        return None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(':')
        headers.setdefault(name.strip().lower(), value.strip())
    length = headers.get('content-length', '')
    length = min(int(length), REQUEST_LIMIT) if length.isdigit() else 0
    body = await asyncio.wait_for(reader.readexactly(length), IDLE_SECONDS) if length else b''
    return parts[0], parts[1], headers, body


async def _endless_body(device: Device, writer) -> None:
    """A 200 whose body never ends (no length, no title), until the client hangs up."""
    writer.write(
        f'HTTP/1.1 200 OK\r\nServer: {device.kind.http_server}\r\nContent-Type: text/html\r\n\r\n<html><body>'.encode()
    )
    filler = b'<p>' + b'x' * 4093
    for _ in range(100_000):  # about 400 MB: far beyond any reader's limit, and still finite
        writer.write(filler)
        await writer.drain()


async def _wait_for_close(reader) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(reader.read(), IDLE_SECONDS)


async def _hold(device: Device, reader, writer) -> None:
    """A binary SDK port (Hikvision 8000, Dahua 37777): the client speaks first, in the maker's own
    protocol; anything else is dropped, as the devices drop it. A silent device never lets go."""
    try:
        if device.kind.behaviour == 'silent':
            await _wait_for_close(reader)
        else:
            await asyncio.wait_for(reader.read(1024), IDLE_SECONDS)
    except (ConnectionError, OSError, TimeoutError):
        pass
    finally:
        writer.close()


# RTSP


async def _rtsp(device: Device, reader, writer) -> None:
    kind = device.kind
    try:
        if kind.behaviour == 'silent':
            await _wait_for_close(reader)
            return
        while True:
            request = await _read_request(reader)
            if request is None:
                return
            method, _, headers, _ = request
            if kind.behaviour == 'truncated':
                writer.write(b'RTSP/1.0 200 OK\r\nCSeq: 1\r\nSer')
                await writer.drain()
                return
            if kind.behaviour == 'endless':
                # Header lines that never end: the reader's header limit must stop it.
                writer.write(b'RTSP/1.0 200 OK\r\n')
                for number in range(100_000):
                    writer.write(f'X-Padding-{number}: {"y" * 200}\r\n'.encode())
                    await writer.drain()
                return
            head = ['RTSP/1.0 200 OK', f'CSeq: {headers.get("cseq", "0")[:10]}']
            if kind.rtsp_server:
                head.append(f'Server: {kind.rtsp_server}')
            if method == 'OPTIONS':
                head.append('Public: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER')
            elif method == 'DESCRIBE':
                realm = device.fill(kind.rtsp_realm, uuid.uuid4().hex) if kind.rtsp_realm else 'Basic realm="/"'
                head[0] = 'RTSP/1.0 401 Unauthorized'
                head.append(f'WWW-Authenticate: {realm}')
            else:
                head[0] = 'RTSP/1.0 405 Method Not Allowed'
            writer.write('\r\n'.join([*head, '', '']).encode('latin-1'))
            await writer.drain()
    except (ConnectionError, OSError, asyncio.IncompleteReadError, TimeoutError):
        pass
    finally:
        writer.close()


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, device: Device, reply, http_port: int):
        self.device, self.reply, self.http_port = device, reply, http_port
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if self.device.kind.behaviour == 'silent':
            return
        answer = self.reply(self.device, data, self.http_port)
        if answer:
            self.transport.sendto(answer, addr)
