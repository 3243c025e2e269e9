"""MAC addresses from the neighbour (ARP) table, for devices on the same link as the scanner.

Talking to a device fills the kernel's table, so it is read after a host's probes. Linux exposes
IPv4 neighbours in /proc/net/arp; `ip neigh` adds IPv6 ones where the command exists. Devices
behind a router show the router's MAC, so only complete entries for the scanned address count.
"""

import re
import shutil
import subprocess
import time
from pathlib import Path

PROC_ARP = Path('/proc/net/arp')
_INCOMPLETE = '00:00:00:00:00:00'
_MAC = re.compile(r'^([0-9a-f]{2}:){5}[0-9a-f]{2}$', re.IGNORECASE)
# Re-read the table at most this often: cheap, but a scan of thousands of hosts asks for every one.
REFRESH_SECONDS = 1.0


class NeighbourTable:
    def __init__(self, arp_path: Path = PROC_ARP, use_ip_command: bool = False):
        self.arp_path = arp_path
        self.use_ip_command = use_ip_command and shutil.which('ip') is not None
        self._entries: dict[str, str] = {}
        self._read_at = -REFRESH_SECONDS

    def mac_of(self, address: str) -> str:
        """The complete entry for `address`, or '' (not on this link, or never answered)."""
        age = time.monotonic() - self._read_at
        # A missing address may just have been learnt: look again, but not more than ten times a second.
        if age > REFRESH_SECONDS or (address not in self._entries and age > REFRESH_SECONDS / 10):
            self._entries = self.read()
            self._read_at = time.monotonic()
        return self._entries.get(address, '')

    def read(self) -> dict[str, str]:
        try:
            entries = parse_proc_arp(self.arp_path.read_text(encoding='ascii', errors='replace'))
        except OSError:
            entries = {}
        if self.use_ip_command:
            # IPv6 neighbours are only in `ip neigh`; /proc/net/arp wins for IPv4.
            entries = {**parse_ip_neigh(_ip_neigh()), **entries}
        return entries


def _ip_neigh() -> str:
    try:
        return subprocess.run(['ip', 'neigh', 'show'], capture_output=True, text=True, timeout=2, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ''


def parse_proc_arp(text: str) -> dict[str, str]:
    """/proc/net/arp: "IP address  HW type  Flags  HW address  Mask  Device"; flags 0x2 is complete."""
    entries = {}
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 4 and fields[2] != '0x0' and _MAC.match(fields[3]) and fields[3] != _INCOMPLETE:
            entries[fields[0]] = fields[3].upper()
    return entries


def parse_ip_neigh(text: str) -> dict[str, str]:
    """`ip neigh`: "192.168.1.20 dev eth0 lladdr 44:19:b6:01:02:03 REACHABLE"."""
    entries = {}
    for line in text.splitlines():
        fields = line.split()
        if 'lladdr' in fields and fields[-1] not in ('FAILED', 'INCOMPLETE'):
            mac = fields[fields.index('lladdr') + 1] if fields.index('lladdr') + 1 < len(fields) else ''
            if _MAC.match(mac) and mac != _INCOMPLETE:
                entries[fields[0]] = mac.upper()
    return entries
