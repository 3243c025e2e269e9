"""Discovery benchmark: `oversight discover` and `nmap -sV` side by side on 254 emulated devices.

Starts the emulated fleet (`oversight fleet --size 254`) on 127.0.1.0/24, scans it with both tools
on the same ports, and prints wall time and the makers each got right (nmap's output read by
`oversight discover --import`, so both are judged by the same identification engine; nmap's own
product names are counted too), with the ratios. Everything stays on loopback.

    sudo sh benchmarks/setup-discover.sh        # Debian's nmap, if missing (run by this script too)
    .venv/bin/python benchmarks/discover.py     # as root: nmap's SYN and UDP scans need it

Options: --size N (devices, default 254), --nmap-timing T4 (nmap's -T template), --keep DIR.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERSIGHT = str(ROOT / '.venv' / 'bin' / 'oversight')
NETWORK = '127.0.1.0/24'
READY = 'Emulated fleet ready'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--size', type=int, default=254)
    parser.add_argument('--nmap-timing', default='T4', help='nmap timing template (T3 is its default; T4 is usual)')
    parser.add_argument(
        '--nmap-limit', type=float, default=2700, help='Stop nmap after this many seconds (default 45 minutes).'
    )
    parser.add_argument('--keep', help='Keep the result files in this directory.')
    args = parser.parse_args()
    if os.geteuid() != 0:
        print('Run as root: nmap -sS -sU need raw sockets (and the fleet serves ports 80, 443, 554).')
        return 1
    if shutil.which('nmap') is None:
        subprocess.run(['sh', str(ROOT / 'benchmarks' / 'setup-discover.sh')], check=True)

    work = Path(args.keep or tempfile.mkdtemp(prefix='oversight-bench-'))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, 'OVERSIGHT_VAR_DIR': str(work / 'var'), 'DJANGO_SETTINGS_MODULE': 'oversight.settings.dev'}
    env.pop('DATABASE_URL', None)
    # The identification reference data, in a database of the benchmark's own (not timed).
    subprocess.run([OVERSIGHT, 'migrate', '--skip-checks', '--verbosity', '0'], env=env, check=True, cwd=work)

    fleet = subprocess.Popen(
        [OVERSIGHT, 'fleet', '--size', str(args.size), '--network', NETWORK, '--seconds', str(args.nmap_limit + 900)],
        env=env,
        cwd=work,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ports = _wait_for_fleet(fleet)
        truth = _truth(args.size)
        ours = _run_ours(env, work, ports, 'ours.jsonl')
        nmap = _run_nmap(env, work, ports, args.nmap_timing, args.nmap_limit)
    finally:
        fleet.terminate()
        fleet.wait(30)

    makers = {name: _score(result['identified'], truth) for name, result in (('ours', ours), ('nmap', nmap))}
    named = _score(nmap['named'], truth)
    with_makers = sum(1 for maker in truth.values() if maker)
    print()
    print(f'Discovery benchmark: {args.size} emulated devices on {NETWORK} ({with_makers} with a known maker)')
    print(f'  oversight discover: {ours["command"]}')
    print(f'  nmap:               {nmap["command"]}')
    print()
    _row('', 'oversight', 'nmap', 'ratio')
    _row('wall time (s)', f'{ours["seconds"]:.1f}', f'{nmap["seconds"]:.1f}', _ratio(nmap['seconds'], ours['seconds']))
    _row('makers right (identification)', makers['ours'], makers['nmap'], _ratio(makers['ours'], makers['nmap']))
    _row('makers right (nmap product names)', '', named, _ratio(makers['ours'], named))
    _row('hosts with per-host errors', ours['errors'], '-', '')
    print()
    if not nmap['finished']:
        reported = {address: truth[address] for address in nmap['identified'] if address in truth}
        print(f'  nmap was stopped at the {args.nmap_limit:.0f} s limit, with {len(reported)} hosts reported:')
        print('  its wall time is a lower bound. On the hosts it had finished, makers right:')
        mine, theirs = _score(ours['identified'], reported), _score(nmap['identified'], reported)
        _row(f'  ({sum(1 for m in reported.values() if m)} with a known maker)', mine, theirs, _ratio(mine, theirs))
    print('  wall-time ratio: nmap / oversight (above 1: oversight is faster);')
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


def _run_ours(env, work: Path, ports: str, name: str) -> dict:
    output = work / name
    output.unlink(missing_ok=True)
    command = [OVERSIGHT, 'discover', NETWORK, '--ports', ports, '--output', str(output), '--no-progress']
    seconds = _timed(command, env, work)
    lines = [json.loads(line) for line in output.read_text().splitlines()[1:]]
    return {
        'command': ' '.join(['oversight', *command[1:]]),
        'seconds': seconds,
        'identified': {line['address']: (line.get('identification') or {}).get('maker') for line in lines},
        'errors': sum(1 for line in lines if line['errors']),
    }


def _run_nmap(env, work: Path, ports: str, timing: str, limit: float) -> dict:
    tcp = [p.split('/')[0] for p in ports.split(',') if p.split('/')[1] in ('http', 'https', 'rtsp', 'tcp')]
    udp = [p.split('/')[0] for p in ports.split(',') if p.split('/')[1] in ('wsd', 'sadp', 'dhip')]
    xml = work / 'nmap.xml'
    command = [
        'nmap', '-sV', '-sS', '-sU', f'-{timing}', '-n',
        '-p', f'T:{",".join(tcp)},U:{",".join(udp)}',
        '-oX', str(xml), NETWORK,
    ]  # fmt: skip
    started = time.monotonic()
    try:
        subprocess.run(command, env=env, cwd=work, check=True, capture_output=True, timeout=limit)
        finished = True
    except subprocess.TimeoutExpired:
        # nmap writes each finished group of hosts to its XML: close the document and count what it did.
        finished = False
        with open(xml, 'a', encoding='utf-8') as handle:
            handle.write('</nmaprun>\n')
    seconds = time.monotonic() - started
    imported = work / 'nmap.jsonl'
    imported.unlink(missing_ok=True)
    importing = [OVERSIGHT, 'discover', '--import', str(xml), '--output', str(imported)]
    subprocess.run(importing, env=env, cwd=work, check=True, capture_output=True)
    lines = [json.loads(line) for line in imported.read_text().splitlines()[1:]]
    return {
        'command': ' '.join(command),
        'seconds': seconds,
        'finished': finished,
        'identified': {line['address']: (line.get('identification') or {}).get('maker') for line in lines},
        'named': {line['address']: _named_maker(line) for line in lines},
    }


def _named_maker(line: dict) -> str | None:
    """The maker nmap's own product names and CPEs name, if they name one of the fleet's makers."""
    text = json.dumps(line.get('probes', {}).get('nmap', {}).get('ports', [])).lower()
    for maker in ('Hikvision', 'Dahua', 'Uniview', 'Axis', 'Bosch', 'Hanwha Vision'):
        if maker.split()[0].lower() in text:
            return maker
    return None


def _timed(command, env, work) -> float:
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=work, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def _score(found: dict, truth: dict) -> int:
    return sum(1 for address, maker in truth.items() if maker and found.get(address) == maker)


def _ratio(a: float, b: float) -> str:
    return f'{a / b:.2f}' if b else 'inf'


if __name__ == '__main__':
    sys.exit(main())
