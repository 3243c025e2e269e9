"""What may be scanned: targets expanded to addresses, refused when public, multicast or too many.

A scan sends only to the addresses its targets expand to. Networks are expanded to their usable
host addresses (never the network or broadcast address of an IPv4 network), and nothing is ever
sent to a multicast, broadcast or unspecified address, whatever the options.
"""

import ipaddress
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# A /16: a large site network. Larger scans need --max-hosts, so a typo (/8 for /24) is caught.
DEFAULT_MAX_HOSTS = 65_536

# Ranges scanned without --allow-public: private (RFC 1918, RFC 4193), loopback and link-local.
PRIVATE_RANGES = tuple(
    ipaddress.ip_network(text)
    for text in (
        '10.0.0.0/8',
        '172.16.0.0/12',
        '192.168.0.0/16',
        '127.0.0.0/8',
        '169.254.0.0/16',
        'fc00::/7',
        'fe80::/10',
        '::1/128',
    )
)
PRIVATE_RANGES_TEXT = ', '.join(str(n) for n in PRIVATE_RANGES)


class TargetError(ValueError):
    """A target that cannot be scanned, with the reason a person can act on."""


@dataclass(frozen=True)
class Targets:
    """Parsed targets: the networks, how many host addresses they hold, and their addresses."""

    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    host_count: int

    def addresses(self) -> Iterator[str]:
        """Every host address once, in the order given (overlapping targets are not scanned twice)."""
        seen: set[int] = set()
        for network in self.networks:
            for address in _hosts(network):
                key = int(address) if address.version == 4 else int(address) + (1 << 32)
                if key not in seen:
                    seen.add(key)
                    yield str(address)

    def scope(self) -> list[str]:
        """The networks as CIDR text, merged: what the scan covered, for reconciliation."""
        v4 = [n for n in self.networks if n.version == 4]
        v6 = [n for n in self.networks if n.version == 6]
        return [str(n) for group in (v4, v6) for n in ipaddress.collapse_addresses(group)]


def parse_targets(
    texts: Iterable[str], *, allow_public: bool = False, max_hosts: int = DEFAULT_MAX_HOSTS, resolve=None
) -> Targets:
    """Parse CIDR ranges, addresses, last-octet ranges (192.168.1.10-20) and host names.

    Raises TargetError naming the first target that is refused, and why.
    """
    resolve = resolve or _resolve
    networks = []
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        for network in _parse_one(text, resolve):
            _check_allowed(text, network, allow_public)
            networks.append(network)
    if not networks:
        raise TargetError('No targets: give CIDR ranges, addresses or host names, or --targets-file.')
    count = sum(_host_count(n) for n in networks)
    if count > max_hosts:
        raise TargetError(
            f'The targets expand to {count:,} host addresses, more than the limit of {max_hosts:,}: '
            f'check the ranges, or give --max-hosts {count} to scan them all.'
        )
    return Targets(tuple(networks), count)


def networks_in(words) -> list[str]:
    """The addresses, ranges and networks among `words` (a command line), as CIDR text; other words are skipped."""
    networks = []
    for word in words:
        if word.startswith('-'):
            continue
        try:
            networks += [str(n) for n in _parse_one(word, lambda name: [])]
        except TargetError:
            continue
    return networks


def read_targets_file(path: str) -> list[str]:
    """One target per line; blank lines and text after # are ignored."""
    try:
        with open(path, encoding='utf-8') as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise TargetError(f'Cannot read the targets file {path}: {exc.strerror or exc}.') from exc
    except UnicodeDecodeError as exc:
        raise TargetError(f'The targets file {path} is not UTF-8 text.') from exc
    return [word for line in lines for word in line.split('#', 1)[0].split()]


def _parse_one(text: str, resolve) -> list:
    if '/' in text:
        try:
            return [ipaddress.ip_network(text, strict=False)]
        except ValueError as exc:
            raise TargetError(f'"{text}" is not a network: write it like 192.168.10.0/24.') from exc
    if '-' in text and _looks_like_range(text):
        return _octet_range(text)
    try:
        return [ipaddress.ip_network(text)]
    except ValueError:
        pass
    addresses = resolve(text)
    if not addresses:
        raise TargetError(f'"{text}" is not an address, a network or a host name that resolves.')
    return [ipaddress.ip_network(a) for a in addresses]


def _looks_like_range(text: str) -> bool:
    head, _, tail = text.rpartition('-')
    return tail.isdigit() and head.count('.') == 3


def _octet_range(text: str) -> list:
    head, _, last = text.rpartition('-')
    try:
        first = ipaddress.IPv4Address(head)
    except ValueError as exc:
        raise TargetError(f'"{text}" is not a range: write it like 192.168.10.20-40.') from exc
    end_octet = int(last)
    start_octet = int(str(first).rsplit('.', 1)[1])
    if not start_octet <= end_octet <= 255:
        raise TargetError(f'"{text}" is not a range: the last number must be from {start_octet} to 255.')
    base = int(first) - start_octet
    # One network per address: summarised into CIDR blocks, each block would lose its own first and last
    # address (10-25 would skip 12, 15, 16 and 23). The .0 and .255 of a /24 are left out as a /24 leaves them.
    return [
        ipaddress.ip_network(ipaddress.IPv4Address(base + octet))
        for octet in range(start_octet, end_octet + 1)
        if octet not in (0, 255)
    ]


def _check_allowed(text: str, network, allow_public: bool) -> None:
    if network.is_multicast:
        raise TargetError(f'{text} is a multicast range: discovery only ever sends to single devices.')
    if network.is_unspecified or (network.version == 4 and network.broadcast_address == _LIMITED_BROADCAST):
        raise TargetError(f'{text} is not a device address.')
    if network.version == 4 and network.subnet_of(_RESERVED_V4):
        raise TargetError(f'{text} is in the reserved range 240.0.0.0/4: no device can have that address.')
    if allow_public:
        return
    if not any(network.version == r.version and network.subnet_of(r) for r in PRIVATE_RANGES):
        raise TargetError(
            f'{text} is not within a private or loopback range ({PRIVATE_RANGES_TEXT}). '
            'Scan only networks you are authorised to scan; give --allow-public to scan a public range.'
        )


_LIMITED_BROADCAST = ipaddress.IPv4Address('255.255.255.255')
_RESERVED_V4 = ipaddress.IPv4Network('240.0.0.0/4')


def _hosts(network):
    # hosts() leaves out an IPv4 network's own and broadcast addresses; /31 and /32 have none.
    if network.num_addresses <= 2:
        return iter(network)
    return network.hosts()


def _host_count(network) -> int:
    if network.num_addresses <= 2:
        return network.num_addresses
    return network.num_addresses - (2 if network.version == 4 else 1)


def _resolve(name: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({info[4][0] for info in infos})
