"""Which ports a scan probes, and how: `--ports 80/http,443/https,554/rtsp,37020/sadp`.

Each port is paired with the protocol spoken to it. TCP protocols: http, https, rtsp, and tcp (the
port is only checked for being open, as for Hikvision's SDK port 8000). UDP discovery protocols:
wsd (ONVIF WS-Discovery), sadp (Hikvision) and dhip (Dahua).
"""

from dataclasses import dataclass

TCP_PROTOCOLS = ('http', 'https', 'rtsp', 'tcp')
UDP_PROTOCOLS = ('wsd', 'sadp', 'dhip')
PROTOCOLS = TCP_PROTOCOLS + UDP_PROTOCOLS

# The ports cameras and recorders answer on out of the box.
DEFAULT_PORTS = '80/http,443/https,554/rtsp,8000/tcp,8080/http,37777/tcp,3702/wsd,37020/sadp,37810/dhip'

# Where a bare port number is written without a protocol.
_USUAL = {
    80: 'http',
    8080: 'http',
    443: 'https',
    8443: 'https',
    554: 'rtsp',
    3702: 'wsd',
    37020: 'sadp',
    37810: 'dhip',
}


@dataclass(frozen=True, order=True)
class PortSpec:
    port: int
    protocol: str

    @property
    def transport(self) -> str:
        return 'udp' if self.protocol in UDP_PROTOCOLS else 'tcp'

    @property
    def label(self) -> str:
        """How results name the probe: "http:80", "sadp:37020"."""
        return f'{self.protocol}:{self.port}'

    def __str__(self) -> str:
        return f'{self.port}/{self.protocol}'


def parse_ports(text: str) -> tuple[PortSpec, ...]:
    """Parse a comma-separated list; raise ValueError naming the first bad entry."""
    specs = []
    for item in (part.strip() for part in text.split(',')):
        if not item:
            continue
        number, _, protocol = item.partition('/')
        try:
            port = int(number)
        except ValueError:
            raise ValueError(f'"{item}" is not a port: write it like 80/http or 37020/sadp.') from None
        if not 1 <= port <= 65535:
            raise ValueError(f'"{item}": {port} is not a port number (1 to 65535).')
        protocol = protocol.lower() or _USUAL.get(port, 'tcp')
        if protocol not in PROTOCOLS:
            raise ValueError(f'"{item}": the protocol must be one of {", ".join(PROTOCOLS)}.')
        specs.append(PortSpec(port, protocol))
    if not specs:
        raise ValueError('No ports: give at least one, like 80/http.')
    unique = tuple(dict.fromkeys(specs))
    clashes = {(s.port, s.transport) for s in unique}
    if len(clashes) != len(unique):
        raise ValueError('A port is listed with two protocols of the same transport: give each port one protocol.')
    return unique


def format_ports(specs) -> str:
    return ','.join(str(s) for s in specs)
