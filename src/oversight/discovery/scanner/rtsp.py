"""RTSP banners: OPTIONS for the Server header, then an anonymous DESCRIBE for the digest realm.

Most devices answer OPTIONS freely and DESCRIBE with 401 and their realm ("Login to <serial>" on
Dahua-made devices). The challenge is read, never answered.
"""

from oversight.core.text import whole_number

from .http import USER_AGENT
from .net import ProbeError, close, connect, read_head


async def probe_rtsp(address: str, port: int, timeout: float) -> dict | None:
    """{'server', 'www_authenticate', 'public'}, or None when the port is closed."""
    streams = await connect(address, port, timeout=timeout)
    if streams is None:
        return None
    reader, writer = streams
    host = f'[{address}]' if ':' in address else address
    url = f'rtsp://{host}:{port}/'
    found: dict = {}
    try:
        for sequence, method in enumerate(('OPTIONS', 'DESCRIBE'), start=1):
            extra = 'Accept: application/sdp\r\n' if method == 'DESCRIBE' else ''
            request = f'{method} {url} RTSP/1.0\r\nCSeq: {sequence}\r\nUser-Agent: {USER_AGENT}\r\n{extra}\r\n'
            writer.write(request.encode())
            await writer.drain()
            reply = await read_head(reader, 'RTSP', timeout)
            if reply.headers.get('server'):
                found.setdefault('server', reply.headers['server'])
            if reply.headers.get('public'):
                found.setdefault('public', reply.headers['public'])
            if reply.headers.get('www-authenticate'):
                found.setdefault('www_authenticate', reply.headers['www-authenticate'])
            if whole_number(reply.headers.get('content-length', '')):
                # A stream description: not needed, and the connection ends here.
                break
    except (ConnectionError, OSError) as exc:
        raise ProbeError(f'connection lost: {exc}') from exc
    except ProbeError:
        if not found:
            raise
        # OPTIONS answered; a device that hangs up on DESCRIBE still told us what it is.
    finally:
        await close(writer)
    return found
