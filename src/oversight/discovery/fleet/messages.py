"""What the emulated devices say: ONVIF SOAP replies, WS-Discovery ProbeMatches, SADP and DHIP answers.

Requests are parsed with defusedxml like any untrusted input. Credentials are checked the way a
device checks them (WS-Security UsernameToken digest: Base64(SHA-1(nonce + created + password))).
"""

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from ..scanner import dhip
from .catalogue import FLEET_PASSWORD, FLEET_USERNAME, Device

SOAP_ENV = 'http://www.w3.org/2003/05/soap-envelope'
WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'
WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd'
ADDRESSING = 'http://schemas.xmlsoap.org/ws/2004/08/addressing'
# Operations a device answers without credentials (the ONVIF core specification's PRE_AUTH class).
ANONYMOUS = {'GetSystemDateAndTime'}

_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error">'
    '<env:Body>{body}</env:Body></env:Envelope>'
)


def soap_reply(device: Device, request: bytes) -> tuple[int, bytes]:
    """(HTTP status, SOAP envelope) for a request to the device service."""
    try:
        root = ElementTree.fromstring(request)
    except Exception:  # a bad request gets the SOAP fault any device would send
        return 400, _fault('env:Sender', 'ter:WellFormed', 'The request is not well-formed XML')
    body = root.find(f'{{{SOAP_ENV}}}Body')
    operation = body[0].tag.rsplit('}', 1)[-1] if body is not None and len(body) else ''
    if device.kind.onvif_auth and operation not in ANONYMOUS and not _authorised(root):
        return 400, _fault('env:Sender', 'ter:NotAuthorized', 'Sender not Authorized')
    answer = _OPERATIONS.get(operation)
    if answer is None:
        return 400, _fault('env:Receiver', 'ter:ActionNotSupported', f'{operation or "?"} is not supported')
    envelope = _ENVELOPE.format(body=answer(device)).encode()
    if device.kind.behaviour == 'malformed':
        # Cut mid-element, as a device with a broken XML writer does.
        envelope = envelope[: envelope.index(b'</tds:Manufacturer>') if b'</tds:Manufacturer>' in envelope else 60]
    return 200, envelope


def _authorised(root) -> bool:
    token = root.find(f'.//{{{WSSE}}}UsernameToken')
    if token is None:
        return False
    username = token.findtext(f'{{{WSSE}}}Username') or ''
    password = token.find(f'{{{WSSE}}}Password')
    nonce = token.findtext(f'{{{WSSE}}}Nonce') or ''
    created = token.findtext(f'{{{WSU}}}Created') or ''
    if password is None or username != FLEET_USERNAME:
        return False
    try:
        expected = base64.b64encode(
            hashlib.sha1(
                base64.b64decode(nonce) + created.encode() + FLEET_PASSWORD.encode()
            ).digest()  # the WS-Security profile's digest
        ).decode()
    except ValueError:
        return False
    return hmac.compare_digest(expected, (password.text or '').strip())


def _fault(code: str, subcode: str, reason: str) -> bytes:
    body = (
        f'<env:Fault><env:Code><env:Value>{code}</env:Value><env:Subcode><env:Value>{subcode}</env:Value>'
        f'</env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">{escape(reason)}</env:Text></env:Reason>'
        '</env:Fault>'
    )
    return _ENVELOPE.format(body=body).encode()


def _device_information(device: Device) -> str:
    kind = device.kind
    return (
        '<tds:GetDeviceInformationResponse>'
        f'<tds:Manufacturer>{escape(kind.manufacturer)}</tds:Manufacturer><tds:Model>{escape(kind.model)}</tds:Model>'
        f'<tds:FirmwareVersion>{escape(kind.firmware)}</tds:FirmwareVersion>'
        f'<tds:SerialNumber>{escape(device.serial)}</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId>'
        '</tds:GetDeviceInformationResponse>'
    )


def _date_and_time(device: Device) -> str:
    now = datetime.now(UTC)
    clock = (
        f'<tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}</tt:Minute>'
        f'<tt:Second>{now.second}</tt:Second></tt:Time><tt:Date><tt:Year>{now.year}</tt:Year>'
        f'<tt:Month>{now.month}</tt:Month><tt:Day>{now.day}</tt:Day></tt:Date>'
    )
    return (
        '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>'
        '<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>GMT0</tt:TZ></tt:TimeZone>'
        f'<tt:UTCDateTime>{clock}</tt:UTCDateTime><tt:LocalDateTime>{clock}</tt:LocalDateTime>'
        '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
    )


def _network_interfaces(device: Device) -> str:
    return (
        '<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>'
        f'<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>{device.mac.lower()}</tt:HwAddress><tt:MTU>1500</tt:MTU>'
        '</tt:Info><tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>'
        f'{device.address}</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP>'
        '</tt:Config></tt:IPv4></tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>'
    )


_OPERATIONS = {
    'GetDeviceInformation': _device_information,
    'GetSystemDateAndTime': _date_and_time,
    'GetNetworkInterfaces': _network_interfaces,
}


def probe_match(device: Device, request: bytes, http_port: int) -> bytes | None:
    """The ProbeMatches a device sends back to a WS-Discovery Probe (None: not a Probe)."""
    try:
        root = ElementTree.fromstring(request)
    except Exception:  # devices ignore what they cannot read
        return None
    message_id = root.findtext(f'.//{{{ADDRESSING}}}MessageID') or ''
    if not message_id or root.find('.//{http://schemas.xmlsoap.org/ws/2005/04/discovery}Probe') is None:
        return None
    if device.kind.behaviour == 'malformed':
        return b'<?xml version="1.0"?><env:Envelope><d:ProbeMatches><d:ProbeMatch><d:Scopes>onvif://'
    xaddr = f'http://{device.address}:{http_port}/onvif/device_service'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wsa="{ADDRESSING}" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" '
        'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><env:Header>'
        f'<wsa:MessageID>urn:uuid:{uuid.uuid4()}</wsa:MessageID><wsa:RelatesTo>{escape(message_id)}</wsa:RelatesTo>'
        '<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>'
        '<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></env:Header>'
        '<env:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>'
        f'urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, device.serial)}</wsa:Address></wsa:EndpointReference>'
        '<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>'
        f'<d:Scopes>{escape(" ".join(device.scopes))}</d:Scopes><d:XAddrs>{xaddr}</d:XAddrs>'
        '<d:MetadataVersion>10</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>'
    ).encode()


def sadp_reply(device: Device, request: bytes, http_port: int) -> bytes | None:
    """A Hikvision ProbeMatch for an SADP inquiry (None: not an inquiry)."""
    try:
        root = ElementTree.fromstring(request)
    except Exception:
        return None
    if root.tag != 'Probe' or (root.findtext('Types') or '').strip().lower() != 'inquiry':
        return None
    if device.kind.behaviour == 'malformed':
        return b'<?xml version="1.0" encoding="UTF-8"?><ProbeMatch><DeviceSN>MAL'
    kind = device.kind
    # SADP spells the firmware without the space before "build", and the MAC with dashes.
    software = kind.firmware.replace(' build', 'build')
    fields = {
        'Uuid': escape((root.findtext('Uuid') or '').strip()),
        'Types': 'inquiry',
        'DeviceType': '138',
        'DeviceDescription': escape(kind.model),
        'DeviceSN': escape(device.serial),
        'CommandPort': '8000',
        'HttpPort': str(http_port),
        'MAC': device.mac.lower().replace(':', '-'),
        'IPv4Address': device.address,
        'IPv4SubnetMask': '255.255.255.0',
        'DHCP': 'false',
        'AnalogChannelNum': '0',
        'DigitalChannelNum': '1',
        'SoftwareVersion': escape(software),
        'DSPVersion': 'V7.3 build 220112',
        'Activated': 'true',
        'PasswordResetAbility': 'false',
    }
    inner = ''.join(f'<{k}>{v}</{k}>' for k, v in fields.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><ProbeMatch>{inner}</ProbeMatch>'.encode()


def dhip_reply(device: Device, request: bytes, http_port: int) -> bytes | None:
    """A Dahua client.notifyDevInfo for a DHDiscover.search (None: not a search)."""
    try:
        body = dhip.unframe(request)
    except dhip.ProbeError:
        return None
    if body.get('method') != 'DHDiscover.search':
        return None
    kind = device.kind
    info = {
        'AlarmInputChannels': 1,
        'DeviceClass': 'NVR' if 'NVR' in kind.model else 'IPC',
        'DeviceType': kind.model,
        'HttpPort': http_port,
        'IPv4Address': {
            'DefaultGateway': '',
            'DhcpEnable': False,
            'IPAddress': device.address,
            'SubnetMask': '255.255.255.0',
        },
        'Mac': device.mac.lower(),
        'MachineName': device.serial,
        'Port': 37777,
        'SerialNo': device.serial,
        'Vendor': 'Private' if kind.manufacturer == 'Dahua' else kind.manufacturer,
        'Version': kind.firmware.split(',', 1)[0],
    }
    return dhip.frame({'mac': device.mac.lower(), 'method': 'client.notifyDevInfo', 'params': {'deviceInfo': info}})
