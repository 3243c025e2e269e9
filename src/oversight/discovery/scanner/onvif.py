"""ONVIF GetDeviceInformation (and GetNetworkInterfaces for the MAC) through onvif-zeep-async.

Anonymous first: many devices answer without credentials. When a device refuses, and only when the
operator gave credentials for this scan (--username, --password-file), the same requests are sent
again with a WS-Security digest, its clock offset taken from an anonymous GetSystemDateAndTime.
Credentials are never guessed and never tried more than once per device.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import onvif
import zeep.exceptions
from defusedxml import ElementTree
from onvif.client import AsyncTransportProtocolErrorHandler, ONVIFService
from onvif.exceptions import ONVIFError

from .net import BODY_LIMIT, ProbeError

DEVICE_WSDL = str(Path(onvif.__file__).parent / 'wsdl' / 'devicemgmt.wsdl')
DEVICE_BINDING = '{http://www.onvif.org/ver10/device/wsdl}DeviceBinding'
INFORMATION = {
    'Manufacturer': 'manufacturer',
    'Model': 'model',
    'FirmwareVersion': 'firmware',
    'SerialNumber': 'serial_number',
    'HardwareId': 'hardware_id',
}


@dataclass(frozen=True)
class Credentials:
    """What the operator supplied for this scan; the password is read from a file, never the command line."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f'Credentials(username={self.username!r}, password=<hidden>)'


class NeedsCredentials(Exception):
    pass


class NotOnvif(ProbeError):
    """The address answered HTTP, but with an error status: there is no ONVIF device service there."""


class _BoundedTransport(AsyncTransportProtocolErrorHandler):
    """The library's transport, reading at most BODY_LIMIT bytes: a device cannot stream a reply forever."""

    async def _post_internal(self, address, message, headers):
        headers = headers or {}
        headers.setdefault('Content-Type', 'application/soap+xml; charset=utf-8')
        data = message.encode('utf-8') if isinstance(message, str) else message
        response = await self.session.post(address, data=data, headers=headers, timeout=self._client_timeout)
        chunks, size = [], 0
        while True:
            chunk = await response.content.read(8192)
            if not chunk:
                break
            size += len(chunk)
            if size > BODY_LIMIT:
                response.close()
                raise ProbeError(f'ONVIF reply longer than {BODY_LIMIT // 1024} KiB')
            chunks.append(chunk)
        content = b''.join(chunks)
        if content:
            # zeep's parser recovers from broken XML; a device that sends it should be reported, not half-read.
            try:
                ElementTree.fromstring(content)
            except ElementTree.ParseError as exc:
                raise ProbeError(f'ONVIF reply is not well-formed XML ({exc})') from exc
            except Exception as exc:  # defusedxml's refusals of entities and DTDs
                raise ProbeError(f'ONVIF reply refused: {exc.__class__.__name__}') from exc
        return response, content


class _DeviceService(ONVIFService):
    def __init__(self, url: str, credentials: Credentials | None, dt_diff, timeout: float):
        super().__init__(
            url,
            credentials.username if credentials else None,
            credentials.password if credentials else None,
            DEVICE_WSDL,
            no_cache=True,
            dt_diff=dt_diff,
            binding_name=DEVICE_BINDING,
            read_timeout=max(1, int(timeout)),
        )
        # The library builds its session in __init__; only the reading of replies is replaced.
        self.transport = _BoundedTransport(session=self._session, verify_ssl=False, cache=None)


async def probe_onvif(url: str, credentials: Credentials | None, timeout: float) -> dict:
    """{'manufacturer', 'model', 'firmware', 'serial_number', 'hardware_id', 'mac', 'authenticated'}.

    Raises NeedsCredentials when the device refuses anonymous requests and none were given, and
    ProbeError when its replies cannot be read.
    """
    service = _DeviceService(url, None, None, timeout)
    authenticated = None
    try:
        await service.setup()
        try:
            info = await service.authless_GetDeviceInformation()
        except Exception as exc:
            if not _refused(exc):
                raise
            if credentials is None:
                raise NeedsCredentials from exc
            clock = await service.authless_GetSystemDateAndTime()
            authenticated = _DeviceService(url, credentials, _clock_offset(clock), timeout)
            await authenticated.setup()
            try:
                info = await authenticated.GetDeviceInformation()
            except Exception as retry_exc:
                if _refused(retry_exc):
                    raise ProbeError('the credentials given for this scan were refused') from retry_exc
                raise
        found = {key: str(getattr(info, name, '') or '').strip()[:200] for name, key in INFORMATION.items()}
        found = {key: value for key, value in found.items() if value}
        found['authenticated'] = authenticated is not None
        mac = await _mac(authenticated or service, authenticated is not None)
        if mac:
            found['mac'] = mac
        return found
    except (NeedsCredentials, ProbeError):
        raise
    except zeep.exceptions.TransportError as exc:
        if exc.status_code and 'invalid XML' not in str(exc):
            raise NotOnvif(f'ONVIF device service answered HTTP {exc.status_code}') from exc
        raise ProbeError(_transport_message(exc)) from exc
    except zeep.exceptions.Fault as exc:
        raise ProbeError(f'ONVIF fault: {str(exc.message)[:120]}') from exc
    except (zeep.exceptions.Error, ONVIFError) as exc:
        raise ProbeError(f'ONVIF reply could not be read: {str(exc)[:120]}') from exc
    except aiohttp.ClientError as exc:
        raise ProbeError(f'ONVIF request failed: {str(exc)[:120] or exc.__class__.__name__}') from exc
    except (ValueError, AttributeError, TypeError) as exc:
        raise ProbeError(f'ONVIF reply is not what the standard describes: {str(exc)[:120]}') from exc
    finally:
        await service.close()
        if authenticated is not None:
            await authenticated.close()


async def _mac(service: _DeviceService, authenticated: bool) -> str:
    """The first interface's hardware address; devices that will not say are not an error."""
    try:
        call = service.GetNetworkInterfaces if authenticated else service.authless_GetNetworkInterfaces
        interfaces = await call()
    except Exception:  # the MAC is a bonus; the device information stands without it
        return ''
    for interface in interfaces or []:
        info = getattr(interface, 'Info', None)
        address = str(getattr(info, 'HwAddress', '') or '').strip()
        if address:
            return address[:40]
    return ''


def _refused(exc: Exception) -> bool:
    if isinstance(exc, zeep.exceptions.Fault):
        text = ' '.join(str(x) for x in (exc.message, exc.code, exc.subcodes)).lower()
        return 'notauthorized' in text.replace(' ', '') or 'not authorized' in text or 'unauthorized' in text
    if isinstance(exc, zeep.exceptions.TransportError):
        return exc.status_code in (401, 403)
    return False


def _clock_offset(clock) -> dt.timedelta | None:
    try:
        utc = clock.UTCDateTime
        device_time = dt.datetime(
            utc.Date.Year, utc.Date.Month, utc.Date.Day, utc.Time.Hour, utc.Time.Minute, utc.Time.Second
        )
    except (AttributeError, TypeError, ValueError):
        return None
    return device_time - dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _transport_message(exc: zeep.exceptions.TransportError) -> str:
    if 'invalid XML' in str(exc):
        return 'ONVIF reply is not well-formed XML'
    return f'ONVIF request failed: {str(exc)[:120]}'


async def warm_up() -> None:
    """Load the device service's WSDL once, before any host's clock starts (it takes a second or two)."""
    service = _DeviceService('http://127.0.0.1/onvif/device_service', None, None, 1)
    try:
        await service.setup()
    finally:
        await service.close()
