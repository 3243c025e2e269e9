"""Who the emulated devices are: makes, relabels and misbehaving devices, and where they sit.

Each kind answers as the real product line does over HTTP, RTSP, ONVIF (WS-Discovery and the
device service), Hikvision SADP and Dahua DHIP. Identities follow the public record
(shared/research/identification.md): firmware in the makers' own formats (Hikvision
"V5.7.3 build 220112", Dahua "2.420.Honeywell 00.0.R, build: 2014-03-26", Lorex "2.460.LR00.2.R",
Uniview "IPC_G6103-B0008P10D1711C39"), MAC addresses from the makers' OUI blocks, and the
banners and realms their web and RTSP servers show. Relabels keep their ODM's firmware, protocols
and realms and change the name and model, as the real ones do.
"""

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import quote

# The user and password of the emulated devices that ask for ONVIF credentials (demo and tests only).
FLEET_USERNAME = 'admin'
FLEET_PASSWORD = 'emulated-fleet-2022'

HIK_SCOPES = ('location/city/hangzhou',)
DAHUA_SCOPES = ('location/country/china',)


@dataclass(frozen=True)
class Kind:
    key: str
    maker: str | None  # who really made it: the answer a scan should give (None for broken devices)
    manufacturer: str  # what the device calls its maker (ONVIF Manufacturer, WS-Discovery name)
    model: str
    firmware: str
    oui: str
    serial: str  # a format with {n}: each device of the kind gets its own
    http_server: str = ''
    root: str = 'page'  # page: 200 with a title; redirect: to `login_path`; challenge: 401 with `http_realm`
    title: str = ''
    login_path: str = '/doc/page/login.asp'
    http_realm: str = ''  # a WWW-Authenticate value, with {serial} and {mac} filled in
    rtsp_server: str = ''
    rtsp_realm: str = ''
    onvif: bool = True
    onvif_auth: bool = False  # GetDeviceInformation needs credentials
    scopes: tuple[str, ...] = ()
    sadp: bool = False
    dhip: bool = False
    https: bool = False
    sdk_ports: tuple[str, ...] = ()  # names of FleetPorts only ever accepted: 'sdk' (8000), 'dahua' (37777)
    behaviour: str = 'normal'  # normal, malformed, truncated, endless, silent


_DAHUA = {
    'title': 'WEB SERVICE',
    'rtsp_server': 'Dahua Rtsp Server',
    'rtsp_realm': 'Digest realm="Login to {serial}", nonce="{nonce}"',
    'onvif_auth': True,
    'dhip': True,
    'sdk_ports': ('dahua',),
}
_HIKVISION = {
    'root': 'redirect',
    'title': 'Login',
    'rtsp_realm': 'Digest realm="IP Camera({serial_tail})", nonce="{nonce}", stale="FALSE"',
    'sadp': True,
    'https': True,
    'sdk_ports': ('sdk',),
}

KINDS = {
    k.key: k
    for k in (
        Kind(
            'hikvision-camera',
            'Hikvision',
            'HIKVISION',
            'DS-2CD2143G2-I',
            'V5.7.3 build 220112',
            'C0:56:E3',
            'DS-2CD2143G2-I20220315AAWRJ{n:08d}',
            http_server='App-webs/',
            scopes=HIK_SCOPES,
            **_HIKVISION,
        ),
        Kind(
            'hikvision-nvr',
            'Hikvision',
            'HIKVISION',
            'DS-7616NI-K2',
            'V4.30.085 build 200916',
            '44:19:B6',
            'DS-7616NI-K21620200916CCRRF{n:08d}',
            http_server='DNVRS-Webs',
            onvif_auth=True,
            scopes=HIK_SCOPES,
            **_HIKVISION,
        ),
        Kind(
            'lts-camera',
            'Hikvision',
            'LTS',
            'CMIP8242W-28M',
            'V5.5.52 build 190114',
            'C4:2F:90',
            'CMIP8242W-28M20190301AAWRD{n:08d}',
            http_server='App-webs/',
            onvif_auth=True,
            scopes=HIK_SCOPES,
            **_HIKVISION,
        ),
        Kind(
            'dahua-camera',
            'Dahua',
            'Dahua',
            'IPC-HFW2431S-S-S2',
            '2.800.0000000.16.R, build: 2021-06-04',
            'E0:50:8B',
            '6G0{n:05d}PAZ4F2A',
            scopes=DAHUA_SCOPES,
            **_DAHUA,
        ),
        Kind(
            'dahua-nvr',
            'Dahua',
            'Dahua',
            'NVR5216-16P-4KS2E',
            '4.001.0000000.3.R, build: 2020-11-10',
            '90:02:A9',
            '5K0{n:05d}PAW9C1B',
            scopes=DAHUA_SCOPES,
            **_DAHUA,
        ),
        Kind(
            'honeywell-camera',
            'Dahua',
            'Honeywell',
            'HEN28103',
            '2.420.Honeywell 00.0.R, build: 2014-03-26',
            '90:02:A9',
            'HW1{n:05d}ED3C8E1',
            scopes=DAHUA_SCOPES,
            **_DAHUA,
        ),
        Kind(
            'lorex-camera',
            'Dahua',
            'Lorex',
            'LNB4173SB',
            '2.460.LR00.2.R, build: 2016-11-02',
            '00:1F:54',
            'ND0{n:05d}11A7B3',
            scopes=DAHUA_SCOPES,
            **_DAHUA,
        ),
        Kind(
            'amcrest-camera',
            'Dahua',
            'Amcrest',
            'IP2M-841',
            '2.420.AC00.18.R, build: 2017-08-17',
            '9C:8E:CD',
            'AMC0{n:05d}8D2A6E',
            scopes=DAHUA_SCOPES,
            **_DAHUA,
        ),
        Kind(
            'uniview-camera',
            'Uniview',
            'UNIVIEW',
            'IPC2124LB-SF28KM-G',
            'IPC_G6103-B0008P10D1711C39',
            '48:EA:63',
            '210235C3KH3{n:06d}',
            title='Web Client',
            rtsp_server='Rtsp Server/3.0',
            rtsp_realm='Digest realm="{mac_plain}", nonce="{nonce}"',
        ),
        Kind(
            'axis-camera',
            'Axis',
            'AXIS',
            'M3106-L Mk II',
            '10.12.199',
            'AC:CC:8E',
            '{mac_plain}',
            root='challenge',
            http_realm='Digest realm="AXIS_{mac_plain}", nonce="{nonce}", algorithm=MD5, qop="auth"',
            rtsp_realm='Digest realm="AXIS_{mac_plain}", nonce="{nonce}"',
            https=True,
        ),
        Kind(
            'bosch-camera',
            'Bosch',
            'Bosch',
            'FLEXIDOME IP 5100i',
            '7.80.0128',
            '00:07:5F',
            '0440{n:08d}',
            http_server='VCS-VideoJet-Webserver',
            title='FLEXIDOME IP 5100i',
            https=True,
        ),
        Kind(
            'hanwha-camera',
            'Hanwha Vision',
            'Hanwha Vision',
            'XNO-8080R',
            '2.21.02_20230616_R425',
            '00:09:18',
            'ZN7V700{n:05d}K',
            title='Wisenet WEBVIEWER',
            https=True,
        ),
        # Devices that misbehave: each must give per-host errors, never stall the scan.
        Kind(
            'malformed-xml',
            None,
            'Generic',
            'IPC-X1',
            '1.0',
            '02:00:5E',
            'MAL{n:05d}',
            http_server='thttpd/2.25b',
            title='IPCam',
            sadp=True,
            behaviour='malformed',
        ),
        Kind(
            'truncated-http',
            None,
            'Generic',
            'IPC-X2',
            '1.0',
            '02:00:5E',
            'TRU{n:05d}',
            http_server='Boa/0.94.14rc21',
            onvif=False,
            behaviour='truncated',
        ),
        Kind(
            'endless-body',
            None,
            'Generic',
            'IPC-X3',
            '1.0',
            '02:00:5E',
            'END{n:05d}',
            http_server='GoAhead-Webs',
            onvif=False,
            behaviour='endless',
        ),
        Kind(
            'silent',
            None,
            'Generic',
            'IPC-X4',
            '1.0',
            '02:00:5E',
            'SIL{n:05d}',
            sadp=True,
            dhip=True,
            sdk_ports=('sdk',),
            behaviour='silent',
        ),
    )
}


@dataclass(frozen=True)
class Device:
    """One emulated device: a kind at an address, with its own serial number and MAC address."""

    address: str
    kind: Kind
    number: int  # the host number in its network: serials and MACs derive from it

    @property
    def mac(self) -> str:
        n = self.number
        return f'{self.kind.oui}:{(n >> 16) & 0xFF:02X}:{(n >> 8) & 0xFF:02X}:{n & 0xFF:02X}'

    @property
    def serial(self) -> str:
        return self.kind.serial.format(n=self.number, mac_plain=self.mac.replace(':', ''))

    @property
    def scopes(self) -> list[str]:
        base = 'onvif://www.onvif.org/'
        scopes = [
            f'{base}type/video_encoder',
            f'{base}Profile/Streaming',
            f'{base}name/{quote(self.kind.manufacturer)}',
            f'{base}hardware/{quote(self.kind.model)}',
        ]
        return scopes + [base + s for s in self.kind.scopes]

    def fill(self, template: str, nonce: str = '0') -> str:
        return template.format(
            serial=self.serial,
            serial_tail=self.serial[-5:],
            mac_plain=self.mac.replace(':', ''),
            nonce=nonce,
        )


@dataclass(frozen=True)
class DemoDevice:
    """A device of the demo network and how Kent Police's demo register declares it (None: undeclared)."""

    number: int
    kind: str
    declared: dict | None = None


@dataclass(frozen=True)
class DemoLine:
    """A line the demo register declares on the emulated network with no device behind it."""

    number: int
    fields: dict = field(default_factory=dict)


# The demo network: what Kent Police declares, and what is really there. Matches are by MAC,
# serial, address and model in turn; relabels (Honeywell, Lorex, LTS) come out as Dahua- and
# Hikvision-made, and one declared Bosch turns out to be a Dahua camera.
DEMO_DEVICES = (
    DemoDevice(10, 'hikvision-camera', {'manufacturer_declared': 'Hikvision', 'match': 'mac'}),
    DemoDevice(11, 'axis-camera', {'manufacturer_declared': 'Axis Communications', 'match': 'serial'}),
    DemoDevice(12, 'honeywell-camera', {'manufacturer_declared': 'Honeywell', 'match': 'ip'}),
    DemoDevice(13, 'lts-camera', {'manufacturer_declared': 'LTS', 'match': 'model', 'quantity': 2}),
    DemoDevice(14, 'lorex-camera', {'manufacturer_declared': 'Lorex', 'match': 'serial'}),
    DemoDevice(15, 'bosch-camera', {'manufacturer_declared': 'Bosch', 'match': 'ip'}),
    DemoDevice(
        16,
        'dahua-camera',
        {'manufacturer_declared': 'Bosch', 'model': 'DINION IP 3000i', 'firmware': '7.86.0066', 'match': 'ip'},
    ),
    DemoDevice(20, 'hikvision-nvr'),
    DemoDevice(21, 'dahua-camera'),
    DemoDevice(22, 'uniview-camera'),
    DemoDevice(23, 'amcrest-camera'),
    DemoDevice(24, 'hanwha-camera'),
    DemoDevice(30, 'malformed-xml'),
    DemoDevice(31, 'truncated-http'),
    DemoDevice(32, 'endless-body'),
    DemoDevice(33, 'silent'),
)
DEMO_UNSEEN = (
    DemoLine(40, {'manufacturer_declared': 'Hikvision', 'model': 'DS-2CD2T87G2-L', 'firmware': 'V5.7.10 build 221108'}),
    DemoLine(41, {'manufacturer_declared': 'Dahua', 'model': 'NVR5216-16P-4KS2E'}),
)
DEMO_NETWORK = '127.0.1.0/24'

# The benchmark's mix: mostly healthy devices of every kind, with a few misbehaving ones among them.
_BENCHMARK_CYCLE = (
    'hikvision-camera',
    'dahua-camera',
    'honeywell-camera',
    'axis-camera',
    'lts-camera',
    'lorex-camera',
    'hikvision-nvr',
    'bosch-camera',
    'amcrest-camera',
    'uniview-camera',
    'dahua-nvr',
    'hanwha-camera',
)
_BENCHMARK_BROKEN = ('malformed-xml', 'truncated-http', 'endless-body', 'silent')


def address_in(network: str, number: int) -> str:
    return str(ipaddress.ip_network(network)[number])


def demo_fleet(network: str = DEMO_NETWORK) -> list[Device]:
    return [Device(address_in(network, d.number), KINDS[d.kind], d.number) for d in DEMO_DEVICES]


def benchmark_fleet(network: str = DEMO_NETWORK, size: int = 254) -> list[Device]:
    """`size` devices on the network's first host addresses; every 25th one misbehaves."""
    devices = []
    for number in range(1, size + 1):
        if number % 25 == 0:
            key = _BENCHMARK_BROKEN[(number // 25 - 1) % len(_BENCHMARK_BROKEN)]
        else:
            key = _BENCHMARK_CYCLE[number % len(_BENCHMARK_CYCLE)]
        devices.append(Device(address_in(network, number), KINDS[key], number))
    return devices
