"""`oversight discover --import FILE.xml`: results of `nmap -sV -oX` in the scanner's own result shape.

Per host: its state, MAC address and vendor, open ports with nmap's service name, product, version,
extra information and CPEs, and script output where present (http-title, http-server-header). For
services nmap did not recognise, the replies it recorded (the service fingerprint) still carry the
device's own banners: the Server and WWW-Authenticate headers and the page title are read from them.
"""

import ipaddress
import re
from datetime import UTC, datetime

from defusedxml import ElementTree

from .results import HostResult, ScanMeta, merge
from .scanner.targets import networks_in

MAX_PORTS = 64
_REPLY = re.compile(r'%r\(([A-Za-z0-9_-]+),[0-9A-F]+,"((?:[^"\\]|\\.)*)"\)')
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]{2}|.)', re.DOTALL)
_TITLE = re.compile(r'<title[^>]*>(.*?)</title', re.IGNORECASE | re.DOTALL)
_NO_TITLE = "Site doesn't have a title"


class NmapError(ValueError):
    """The file is not nmap XML output, with what was wrong."""


def read_nmap(content: bytes) -> tuple[ScanMeta, list[HostResult]]:
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise NmapError(f'The file is not well-formed XML ({exc}).') from exc
    except Exception as exc:  # defusedxml refuses entity declarations and external references
        raise NmapError(f'The file was refused: {exc.__class__.__name__} (nmap output never has these).') from exc
    if root.tag != 'nmaprun':
        raise NmapError(f'The file is <{root.tag[:40]}> XML, not nmap output (<nmaprun>): run nmap with -oX.')
    finished = root.find('runstats/finished')
    meta = ScanMeta(
        started=_time(root.get('start')),
        finished=_time(finished.get('time') if finished is not None else None),
        scope=networks_in(root.get('args', '').split()[1:]),
        tool=f'nmap {root.get("version", "")}'.strip(),
    )
    results = [result for host in root.iter('host') if (result := _host(host)) is not None]
    return meta, results


def _host(host) -> HostResult | None:
    address = mac = vendor = ''
    for element in host.findall('address'):
        kind = element.get('addrtype')
        if kind in ('ipv4', 'ipv6') and not address:
            address = element.get('addr', '')
        elif kind == 'mac':
            mac, vendor = element.get('addr', ''), element.get('vendor', '')
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        return None
    status = host.find('status')
    result = HostResult(
        address=address,
        source='nmap',
        state='up' if status is None or status.get('state') == 'up' else 'down',
        scanned_at=_time(host.get('starttime')),
    )
    found: dict = {}
    ports = []
    for port in host.findall('ports/port')[:MAX_PORTS]:
        state = port.find('state')
        if state is None or state.get('state') != 'open':
            continue
        protocol, number = port.get('protocol', 'tcp'), _port_number(port.get('portid', ''), address)
        service = port.find('service')
        summary = {'port': number, 'transport': protocol}
        if service is not None:
            for name in ('name', 'product', 'version', 'extrainfo', 'devicetype'):
                if service.get(name):
                    summary[name] = service.get(name)[:120]
            cpes = [c.text for c in service.findall('cpe') if c.text]
            if cpes:
                summary['cpe'] = cpes[:4]
        scripts = {s.get('id', ''): s.get('output', '') for s in port.findall('script')}
        if scripts:
            summary['scripts'] = {k: v[:300] for k, v in scripts.items()}
        ports.append(summary)
        result.services.append({'port': number, 'transport': protocol, 'protocol': summary.get('name', '')})
        _read_service(found, summary, scripts, service)
    if mac:
        found['mac'] = mac
    if vendor:
        found['mac_vendor'] = vendor[:120]
    found['ports'] = ports
    result.probes['nmap'] = found
    merge(result)
    return result


def _read_service(found: dict, summary: dict, scripts: dict, service) -> None:
    name = summary.get('name', '')
    replies = _replies(service.get('servicefp', '') if service is not None else '')
    if name.startswith('http') or name in ('https', 'ssl/http'):
        server = scripts.get('http-server-header') or replies.get('server') or _product(summary)
        _first(found, 'http_server', server)
        title = scripts.get('http-title', '')
        if title and not title.startswith(_NO_TITLE):
            _first(found, 'html_title', title.strip())
        _first(found, 'html_title', replies.get('title', ''))
        _first(found, 'www_authenticate', replies.get('www-authenticate', ''))
    elif name == 'rtsp':
        _first(found, 'rtsp_server', replies.get('server') or _product(summary))
        _first(found, 'www_authenticate', replies.get('www-authenticate', ''))
    for cpe in summary.get('cpe', []):
        parts = cpe.split(':')
        # cpe:/h:<vendor>:<product> names the device's maker; cpe:/a: names software (httpd, OpenSSH).
        if len(parts) > 3 and parts[1] == '/h':
            _first(found, 'manufacturer', parts[2].replace('_', ' '))
            # A model number (p3245-lve), not a description (ip_camera, 7513_poe).
            if '_' not in parts[3] and any(c.isdigit() for c in parts[3]):
                _first(found, 'model', parts[3].upper())


def _first(found: dict, key: str, value: str) -> None:
    if value and key not in found:
        found[key] = value[:300]


def _product(summary: dict) -> str:
    return ' '.join(summary[k] for k in ('product', 'version') if summary.get(k))


def _replies(fingerprint: str) -> dict:
    """Server, WWW-Authenticate and title from the first reply in nmap's service fingerprint that has them."""
    found: dict = {}
    for _, escaped in _REPLY.findall(fingerprint):
        text = _ESCAPE.sub(_unescape, escaped)
        head, _, body = text.partition('\r\n\r\n')
        for line in head.split('\r\n')[1:]:
            header, sep, value = line.partition(':')
            key = header.strip().lower()
            if sep and key in ('server', 'www-authenticate') and key not in found:
                found[key] = value.strip()
        title = _TITLE.search(body)
        if title and 'title' not in found and head.split(' ', 2)[1:2] != ['404']:
            found['title'] = ' '.join(title.group(1).split())
    return found


def _unescape(match) -> str:
    code = match.group(1)
    if code.startswith('x') and len(code) == 3:
        return chr(int(code[1:], 16))
    return {'r': '\r', 'n': '\n', 't': '\t', '0': '\0'}.get(code, code)


def _port_number(text: str, address: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 5 and 0 < int(text) < 65536):
        raise NmapError(f'Host {address}: port {text[:20]!r} is not a port number (1 to 65535).')
    return int(text)


def _time(epoch) -> str:
    try:
        return datetime.fromtimestamp(int(epoch), UTC).isoformat(timespec='seconds')
    except (TypeError, ValueError, OverflowError, OSError):
        return ''
