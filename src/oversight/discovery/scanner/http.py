"""HTTP(S) banners: the Server header, the authentication realm and the page title of a device's web server.

One GET of the root page, following at most two redirects on the same address and port (a redirect
elsewhere is never followed: the scan only talks to its targets). No credentials are ever sent.
"""

import html
import re
from urllib.parse import urlsplit

from .net import ProbeError, close, connect, read_body, read_head

USER_AGENT = 'Oversight-discovery/1 (register verification)'
MAX_REDIRECTS = 2
_TITLE = re.compile(rb'<title[^>]*>(.*?)</title', re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r'\s+')


async def probe_http(address: str, port: int, timeout: float, *, tls: bool = False) -> dict | None:
    """What the web server shows, or None when the port is closed.

    Returns {'status', 'server', 'www_authenticate', 'title', 'notes'}; raises ProbeError for a reply
    that is not HTTP.
    """
    path = '/'
    found: dict = {'notes': []}
    for _ in range(MAX_REDIRECTS + 1):
        reply, note = await _get(address, port, path, tls, timeout)
        if reply is None:
            if 'status' in found:
                break  # the redirect target went away: the first reply still counts
            return None
        if note:
            found['notes'].append(note)
        found.setdefault('status', reply.status)
        if reply.headers.get('server'):
            found.setdefault('server', reply.headers['server'])
        if reply.headers.get('www-authenticate'):
            found.setdefault('www_authenticate', reply.headers['www-authenticate'])
        title = _title(reply.body)
        if title:
            found.setdefault('title', title)
        location = reply.headers.get('location', '')
        if reply.status not in (301, 302, 303, 307, 308) or not location:
            break
        path = _same_origin_path(location, address, port)
        if path is None:
            found['notes'].append(f'redirects to another address ({location[:80]}), not followed')
            break
    if not found['notes']:
        del found['notes']
    return found if 'status' in found else None


async def _get(address: str, port: int, path: str, tls: bool, timeout: float):
    streams = await connect(address, port, timeout=timeout, tls=tls)
    if streams is None:
        return None, None
    reader, writer = streams
    try:
        host = f'[{address}]' if ':' in address else address
        request = (
            f'GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: {USER_AGENT}\r\n'
            'Accept: text/html,*/*\r\nConnection: close\r\n\r\n'
        )
        writer.write(request.encode('latin-1'))
        await writer.drain()
        reply = await read_head(reader, 'HTTP', timeout)
        note = None
        if reply.status != 304 and not 100 <= reply.status < 200:
            note = await read_body(reader, reply, timeout, stop_at=b'</title')
        return reply, note
    except (ConnectionError, OSError) as exc:
        raise ProbeError(f'connection lost: {exc}') from exc
    finally:
        await close(writer)


def _title(body: bytes) -> str:
    match = _TITLE.search(body)
    if not match:
        return ''
    text = match.group(1).decode('utf-8', 'replace')
    return _SPACE.sub(' ', html.unescape(text)).strip()[:200]


def _same_origin_path(location: str, address: str, port: int) -> str | None:
    parts = urlsplit(location)
    if parts.scheme and parts.scheme not in ('http', 'https'):
        return None
    if parts.netloc:
        host = (parts.hostname or '').strip('[]')
        if host != address or (parts.port or (443 if parts.scheme == 'https' else 80)) != port:
            return None
    path = parts.path or '/'
    if not path.startswith('/'):
        path = '/' + path
    return path + (f'?{parts.query}' if parts.query else '')
