"""Hikvision SADP: an XML inquiry on UDP 37020, sent unicast to the device.

Hikvision devices, and the relabelled ones built on Hikvision firmware, answer with a ProbeMatch
naming their model (DeviceDescription), serial (DeviceSN), MAC and firmware (SoftwareVersion).
The message shapes are as Hikvision's SADP tool uses them (julienblitte/UniversalScanner,
Hikvision.selftest).
"""

import uuid

from defusedxml import ElementTree

from .net import ProbeError, exchange_datagram

# Replies carry many more elements (network settings, activation); these identify the device.
FIELDS = {
    'DeviceDescription': 'model',
    'DeviceSN': 'serial_number',
    'MAC': 'mac',
    'SoftwareVersion': 'firmware',
    'DeviceType': 'device_type',
    'IPv4Address': 'ipv4_address',
}


def inquiry(probe_id: str | None = None) -> bytes:
    probe_id = probe_id or str(uuid.uuid4()).upper()
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>{probe_id}</Uuid><Types>inquiry</Types></Probe>'
    ).encode()


async def probe_sadp(address: str, port: int, timeout: float) -> dict | None:
    data = await exchange_datagram(address, port, inquiry(), timeout)
    if data is None:
        return None
    return parse_probe_match(data)


def parse_probe_match(data: bytes) -> dict:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ProbeError(f'SADP reply is not well-formed XML ({exc})') from exc
    except Exception as exc:  # defusedxml's refusals of entities and DTDs
        raise ProbeError(f'SADP reply refused: {exc.__class__.__name__}') from exc
    if root.tag != 'ProbeMatch':
        raise ProbeError(f'SADP reply is a <{root.tag[:40]}>, not a ProbeMatch')
    found = {}
    for element, key in FIELDS.items():
        value = (root.findtext(element) or '').strip()
        if value:
            found[key] = value[:200]
    return found
