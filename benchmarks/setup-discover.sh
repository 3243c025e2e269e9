#!/bin/sh
# Set-up for benchmarks/discover.py: Debian's nmap, the baseline the discovery scanner is measured against.
# nmap's SYN and UDP scans need root, as the benchmark does.
set -eu
if command -v nmap >/dev/null 2>&1; then
    nmap --version | head -1
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "nmap is not installed: run this as root (it installs Debian's nmap with apt-get)." >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nmap
nmap --version | head -1
