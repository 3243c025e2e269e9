"""Discovery benchmark: `oversight discover` and `nmap -sV --version-light`, like for like, on an emulated estate.

Starts the emulated fleet (`oversight fleet --size N`) on loopback (127.0.1.0/24; nothing leaves the
machine) and scans the same N addresses with both tools, on the same TCP and UDP ports, with the same
per-host time-out (`--timeout` for oversight, `--host-timeout` for nmap), alternating the two, each a
whole process as a person runs it. It prints the median wall time of each and their ratio, then the
makers each got right on the hosts both tools finished within the time-out (nmap's XML read by
`oversight discover --import`, so both are judged by the same identification engine; nmap's own product
names and CPEs are counted too).

    sudo sh benchmarks/setup-discover.sh                     # Debian's nmap, if missing
    .venv/bin/python benchmarks/discover.py [--size 50] [--runs 3] [--host-timeout 120]

Run it as root: nmap's SYN and UDP scans need raw sockets, and the fleet serves ports 80, 443 and 554.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
OVERSIGHT = str(ROOT / '.venv' / 'bin' / 'oversight')
NETWORK = '127.0.1.0/24'
READY = 'Emulated fleet ready'
MAKERS = ('Hikvision', 'Dahua', 'Uniview', 'Axis', 'Bosch', 'Hanwha Vision')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--size', type=int, default=50, help='emulated devices (default 50, at most 254)')
    parser.add_argument('--runs', type=int, default=3, help='runs of each tool, alternated (default 3)')
    parser.add_argument(
        '--host-timeout', type=int, default=120, help='seconds each tool may spend on one host (default 120)'
    )
    parser.add_argument('--nmap-timing', default='T4', help="nmap's timing template (default T4)")
    parser.add_argument('--keep', help='Keep the result files of the last run in this directory.')
    args = parser.parse_args()
    if os.geteuid() != 0:
        print('Run as root: nmap -sS -sU need raw sockets (and the fleet serves ports 80, 443, 554).')
        return 1
    if not 1 <= args.size <= 254:
        print('--size is from 1 to 254 (one /24 of loopback addresses).')
        return 1
    if shutil.which('nmap') is None:
        subprocess.run(['sh', str(ROOT / 'benchmarks' / 'setup-discover.sh')], check=True)

    work = Path(args.keep or tempfile.mkdtemp(prefix='oversight-bench-'))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, 'OVERSIGHT_VAR_DIR': str(work / 'var'), 'DJANGO_SETTINGS_MODULE': 'oversight.settings.dev'}
    env.pop('DATABASE_URL', None)
    # The identification reference data, in a database of the benchmark's own (not timed).
    subprocess.run([OVERSIGHT, 'migrate', '--skip-checks', '--verbosity', '0'], env=env, check=True, cwd=work)

    targets = f'127.0.1.1-{args.size}'
    lifetime = args.runs * (args.size * args.host_timeout + 600)
    fleet = subprocess.Popen(
        [OVERSIGHT, 'fleet', '--size', str(args.size), '--network', NETWORK, '--seconds', str(lifetime)],
        env=env,
        cwd=work,
        stdout=subprocess.PIPE,
        text=True,
    )
    ours_runs, nmap_runs = [], []
    try:
        ports = _wait_for_fleet(fleet)
        for run in range(args.runs):
            ours_runs.append(_run_ours(env, work, targets, ports, args.host_timeout))
            nmap_runs.append(_run_nmap(env, work, targets, ports, args.host_timeout, args.nmap_timing))
            print(
                f'run {run + 1}: oversight {ours_runs[-1]["seconds"]:.1f} s '
                f'({len(ours_runs[-1]["finished"])} hosts finished), '
                f'nmap {nmap_runs[-1]["seconds"]:.1f} s ({len(nmap_runs[-1]["finished"])} hosts finished)',
                flush=True,
            )
    finally:
        fleet.terminate()
        fleet.wait(30)

    truth = _truth(args.size)
    ours, nmap = ours_runs[-1], nmap_runs[-1]
    common = sorted(ours['finished'] & nmap['finished'] & {address for address, maker in truth.items() if maker})
    ours_time = statistics.median(r['seconds'] for r in ours_runs)
    nmap_time = statistics.median(r['seconds'] for r in nmap_runs)
    right = {
        'ours': _score(ours['identified'], truth, common),
        'nmap': _score(nmap['identified'], truth, common),
        'named': _score(nmap['named'], truth, common),
    }
    print()
    print(
        f'Discovery benchmark: {args.size} emulated devices on loopback ({targets}), {args.runs} runs each, alternated'
    )
    print(f'  product:  {ours["command"]}')
    print(f'  baseline: {nmap["command"]}')
    print()
    _row('', 'oversight', 'nmap', 'ratio')
    _row('wall time, median (s)', f'{ours_time:.1f}', f'{nmap_time:.1f}', _ratio(nmap_time, ours_time))
    _row('hosts finished in the time-out', len(ours['finished']), len(nmap['finished']), '')
    _row(
        f'makers right, {len(common)} common hosts', right['ours'], right['nmap'], _ratio(right['ours'], right['nmap'])
    )
    _row("  by nmap's own names and CPEs", '', right['named'], '')
    print()
    print(f'  {sum(1 for m in truth.values() if m)} devices have a known maker; the others misbehave on purpose.')
    print('  Common hosts: a known maker, and finished by both tools in the last run within the per-host time-out.')
    print('  Wall-time ratio: nmap / oversight (above 1: oversight is faster);')
    print('  makers ratio: oversight / nmap (above 1: oversight gets more makers right).')
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _row(label, ours, nmap, ratio) -> None:
    print(f'  {label:34}{ours:>12}{nmap:>12}{ratio:>10}')


def _wait_for_fleet(process) -> str:
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError('The fleet stopped before it was ready:\n' + ''.join(lines))
        lines.append(line)
        if line.startswith(READY):
            command = process.stdout.readline()
            return command.split('--ports', 1)[1].strip()
    raise RuntimeError('The fleet did not start within two minutes.')


def _truth(size: int) -> dict[str, str | None]:
    sys.path.insert(0, str(ROOT / 'src'))
    from oversight.discovery.fleet import benchmark_fleet

    return {device.address: device.kind.maker for device in benchmark_fleet(NETWORK, size)}


def _run_ours(env, work: Path, targets: str, ports: str, host_timeout: int) -> dict:
    output = work / 'ours.jsonl'
    output.unlink(missing_ok=True)
    command = [
        OVERSIGHT, 'discover', targets, '--ports', ports, '--timeout', str(host_timeout),
        '--output', str(output), '--no-progress',
    ]  # fmt: skip
    seconds = _timed(command, env, work)
    lines = [json.loads(line) for line in output.read_text().splitlines()[1:]]
    stopped = {
        line['address']
        for line in lines
        if any(e['probe'] == 'host' and 'did not finish' in e['message'] for e in line['errors'])
    }
    return {
        'command': ' '.join(['oversight', *command[1:]]),
        'seconds': seconds,
        'finished': {line['address'] for line in lines} - stopped,
        'identified': {line['address']: (line.get('identification') or {}).get('maker') for line in lines},
    }


def _run_nmap(env, work: Path, targets: str, ports: str, host_timeout: int, timing: str) -> dict:
    tcp = [p.split('/')[0] for p in ports.split(',') if p.split('/')[1] in ('http', 'https', 'rtsp', 'tcp')]
    udp = [p.split('/')[0] for p in ports.split(',') if p.split('/')[1] in ('wsd', 'sadp', 'dhip')]
    xml = work / 'nmap.xml'
    command = [
        'nmap', '-sV', '--version-light', '-sS', '-sU', f'-{timing}', '-n',
        '--host-timeout', f'{host_timeout}s',
        '-p', f'T:{",".join(tcp)},U:{",".join(udp)}',
        '-oX', str(xml), targets,
    ]  # fmt: skip
    seconds = _timed(command, env, work)
    # nmap gives up on a host past --host-timeout and marks it timedout="true" in its XML.
    hosts = ElementTree.parse(xml).getroot().iter('host')
    timed_out = {_address(host) for host in hosts if host.get('timedout') == 'true'}
    imported = work / 'nmap.jsonl'
    imported.unlink(missing_ok=True)
    importing = [OVERSIGHT, 'discover', '--import', str(xml), '--output', str(imported)]
    subprocess.run(importing, env=env, cwd=work, check=True, capture_output=True)
    lines = [json.loads(line) for line in imported.read_text().splitlines()[1:]]
    return {
        'command': ' '.join(command),
        'seconds': seconds,
        'finished': {line['address'] for line in lines if line['state'] == 'up'} - timed_out,
        'identified': {line['address']: (line.get('identification') or {}).get('maker') for line in lines},
        'named': {line['address']: _named_maker(line) for line in lines},
    }


def _address(host) -> str:
    return next(a.get('addr') for a in host.findall('address') if a.get('addrtype') in ('ipv4', 'ipv6'))


def _named_maker(line: dict) -> str | None:
    """The maker nmap's own product names and CPEs name, if they name one of the fleet's makers."""
    text = json.dumps(line.get('probes', {}).get('nmap', {}).get('ports', [])).lower()
    for maker in MAKERS:
        if maker.split()[0].lower() in text:
            return maker
    return None


def _timed(command, env, work) -> float:
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=work, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def _score(found: dict, truth: dict, addresses) -> int:
    return sum(1 for address in addresses if found.get(address) == truth[address])


def _ratio(a: float, b: float) -> str:
    return f'{a / b:.2f}' if b else 'inf'


if __name__ == '__main__':
    sys.exit(main())
