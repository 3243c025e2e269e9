"""Dahua DHIP discovery: a JSON request in a 32-byte binary frame on UDP 37810, sent unicast to the device.

Dahua devices and Dahua-made relabels (Lorex, Amcrest, Honeywell Performance...) answer with
`client.notifyDevInfo` naming their model (DeviceType), serial (SerialNo), MAC and firmware
(Version). Frame layout as in julienblitte/UniversalScanner's Dahua2.cs: little-endian header
size 0x20, the bytes "DHIP", two reserved words, the body length, a reserved word, the body
length again, a reserved word; then the JSON body.
"""

import json
import struct

from .net import ProbeError, exchange_datagram

HEADER = struct.Struct('<I4sIIIIII')
MAGIC = b'DHIP'
SEARCH = {'method': 'DHDiscover.search', 'params': {'mac': '', 'uni': 1}}

FIELDS = {
    'DeviceType': 'model',
    'SerialNo': 'serial_number',
    'Mac': 'mac',
    'Version': 'firmware',
    'Vendor': 'vendor',
    'DeviceClass': 'device_type',
}


def frame(body: dict) -> bytes:
    payload = json.dumps(body).encode() + b'\r\n'
    return HEADER.pack(HEADER.size, MAGIC, 0, 0, len(payload), 0, len(payload), 0) + payload


def unframe(data: bytes) -> dict:
    """The JSON body of a DHIP frame; ProbeError when it is not one."""
    if len(data) < HEADER.size:
        raise ProbeError(f'DHIP reply of {len(data)} bytes is shorter than its header')
    size, magic, _, _, length, _, length_again, _ = HEADER.unpack_from(data)
    if size != HEADER.size or magic != MAGIC:
        raise ProbeError('DHIP reply does not start with a DHIP header')
    body = data[HEADER.size :]
    if length != length_again or length != len(body):
        raise ProbeError(f'DHIP reply says its body is {length} bytes but carries {len(body)}')
    try:
        decoded = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProbeError('DHIP reply body is not JSON') from exc
    if not isinstance(decoded, dict):
        raise ProbeError('DHIP reply body is not a JSON object')
    return decoded


async def probe_dhip(address: str, port: int, timeout: float) -> dict | None:
    data = await exchange_datagram(address, port, frame(SEARCH), timeout)
    if data is None:
        return None
    return parse_device_info(unframe(data))


def parse_device_info(body: dict) -> dict:
    if body.get('method') != 'client.notifyDevInfo':
        raise ProbeError(f'DHIP reply is {str(body.get("method"))[:40]!r}, not client.notifyDevInfo')
    info = (body.get('params') or {}).get('deviceInfo')
    if not isinstance(info, dict):
        raise ProbeError('DHIP reply has no deviceInfo')
    found = {}
    for name, key in FIELDS.items():
        value = info.get(name)
        if isinstance(value, str | int) and str(value).strip():
            found[key] = str(value).strip()[:200]
    if 'mac' not in found and isinstance(body.get('mac'), str) and body['mac'].strip():
        found['mac'] = body['mac'].strip()[:40]
    return found
