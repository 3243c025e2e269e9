"""ONVIF WS-Discovery, sent unicast to one device on UDP 3702 (never to the multicast group).

The Probe is built with the `wsdiscovery` package; the device's ProbeMatch is parsed here with
defusedxml, as everything a device sends is untrusted. Its Scopes (name, hardware, location) and
XAddrs (where the ONVIF device service is) are what we keep.
"""

from urllib.parse import unquote, urlsplit

from defusedxml import ElementTree
from wsdiscovery.actions.probe import constructProbe
from wsdiscovery.message import createSOAPMessage
from wsdiscovery.qname import QName

from .net import ProbeError, exchange_datagram

ONVIF_NETWORK = 'http://www.onvif.org/ver10/network/wsdl'
DISCOVERY = 'http://schemas.xmlsoap.org/ws/2005/04/discovery'
ADDRESSING = 'http://schemas.xmlsoap.org/ws/2004/08/addressing'
MAX_SCOPES = 64


def probe_message() -> tuple[str, bytes]:
    """(message id, the Probe for ONVIF network video transmitters)."""
    envelope = constructProbe([QName(ONVIF_NETWORK, 'NetworkVideoTransmitter', 'dn')], [])
    return envelope.getMessageId(), createSOAPMessage(envelope).encode('utf-8')


async def probe_wsd(address: str, port: int, timeout: float) -> dict | None:
    """{'scopes': [...], 'xaddrs': [...], 'types': '...'}, or None when nothing answers."""
    message_id, payload = probe_message()
    data = await exchange_datagram(address, port, payload, timeout)
    if data is None:
        return None
    return parse_probe_match(data, message_id)


def parse_probe_match(data: bytes, message_id: str | None = None) -> dict:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ProbeError(f'WS-Discovery reply is not well-formed XML ({exc})') from exc
    except Exception as exc:  # defusedxml refuses entities and DTDs by raising its own errors
        raise ProbeError(f'WS-Discovery reply refused: {exc.__class__.__name__}') from exc
    match = root.find(f'.//{{{DISCOVERY}}}ProbeMatch')
    if match is None:
        raise ProbeError('WS-Discovery reply has no ProbeMatch')
    relates = root.findtext(f'.//{{{ADDRESSING}}}RelatesTo') or ''
    found = {
        'scopes': _words(match.findtext(f'{{{DISCOVERY}}}Scopes'))[:MAX_SCOPES],
        'xaddrs': _words(match.findtext(f'{{{DISCOVERY}}}XAddrs'))[:8],
        'types': ' '.join(_words(match.findtext(f'{{{DISCOVERY}}}Types'))),
    }
    if message_id and relates and relates.strip() != message_id:
        found['note'] = 'the ProbeMatch answers another probe (RelatesTo differs)'
    return found


def scope_values(scopes: list[str], category: str) -> list[str]:
    """The values of one scope category, decoded: scope_values(scopes, 'name') -> ['HIKVISION DS-2CD2143G2-I']."""
    prefix = f'onvif://www.onvif.org/{category}/'
    return [unquote(s[len(prefix) :]) for s in scopes if s.lower().startswith(prefix)]


def device_service_urls(xaddrs: list[str], address: str) -> list[str]:
    """The device-service addresses that point at the probed device itself (others are never contacted)."""
    urls = []
    for xaddr in xaddrs:
        parts = urlsplit(xaddr)
        if parts.scheme in ('http', 'https') and (parts.hostname or '') == address:
            urls.append(xaddr)
    return urls


def _words(text: str | None) -> list[str]:
    return (text or '').split()
