"""`oversight discover TARGETS...`: find the cameras and recorders on a network and who made them.

See docs/discovery.md. Results are JSON lines (stdout or --output); --resume continues a scan;
--import reads `nmap -sV -oX` output instead of scanning; --upload sends the results to the body's
Oversight with its scan token.
"""

import resource
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oversight.discovery.agent import (
    AgentError,
    compact,
    meta_from,
    open_results,
    read_password,
    read_token,
    upload,
)
from oversight.discovery.identify import DeviceIdentifier
from oversight.discovery.nmap import NmapError, read_nmap
from oversight.discovery.results import ScanMeta
from oversight.discovery.scanner.engine import ScanOptions, run, timed_out
from oversight.discovery.scanner.neighbours import NeighbourTable
from oversight.discovery.scanner.onvif import Credentials
from oversight.discovery.scanner.ports import DEFAULT_PORTS, parse_ports
from oversight.discovery.scanner.targets import DEFAULT_MAX_HOSTS, TargetError, parse_targets, read_targets_file

REFUSED = 2
TOOL = 'oversight discover'


def positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise ValueError
        return value

    parse.__name__ = f'positive {kind.__name__}'
    return parse


class Command(BaseCommand):
    # A network tool: the web site's checks (URLs, admin) have nothing to say about it.
    requires_system_checks: list = []
    help = (
        'Scan cameras and recorders on the given networks (ONVIF, HTTP(S), RTSP, Hikvision SADP, Dahua DHIP), '
        'identify who made each, and write one JSON line per host. Only private and loopback ranges are '
        'scanned unless --allow-public; scan only networks you are authorised to scan.'
    )

    def add_arguments(self, parser):
        add = parser.add_argument
        add('targets', nargs='*', help='CIDR ranges (10.20.0.0/24), addresses, ranges (10.20.0.5-40), host names.')
        add('--targets-file', help='A file of targets, one per line (# starts a comment).')
        add('--ports', default=DEFAULT_PORTS, help=f'Ports and protocols (default {DEFAULT_PORTS}).')
        add('--concurrency', type=positive(int), default=64, help='Hosts scanned at once (default 64).')
        add('--timeout', type=positive(float), default=10.0, help='Seconds one host may take (default 10).')
        add('--probe-timeout', type=positive(float), default=3.0, help='Seconds for each connection or reply (3).')
        add('--rate', type=positive(float), default=1000.0, help='Probes per second at most (default 1000).')
        add('--username', help='ONVIF user name, for devices that refuse anonymous requests.')
        add('--password-file', help='A file whose first line is the ONVIF password for --username.')
        add('--output', help='Write results to this file (default: standard output).')
        add('--resume', metavar='FILE', help='Continue the scan in FILE: hosts already in it are skipped.')
        add('--allow-public', action='store_true', help='Allow targets outside private and loopback ranges.')
        add(
            '--max-hosts',
            type=positive(int),
            default=DEFAULT_MAX_HOSTS,
            help=f'Refuse targets of more hosts than this (default {DEFAULT_MAX_HOSTS:,}).',
        )
        add('--import', dest='import_file', metavar='FILE.xml', help='Read `nmap -sV -oX` output; do not scan.')
        add('--send', metavar='FILE', help='Upload an earlier results file (with --upload); do not scan.')
        add('--upload', metavar='URL', help='Upload the results to this Oversight upload address.')
        add('--token-file', help="A file holding the body's scan token, for --upload.")
        add('--organisation', metavar='SLUG', help='The body the scan is for: the server refuses it for any other.')
        add('--no-progress', action='store_true', help='Do not show the progress bar.')

    def handle(self, *args, **options):
        try:
            self._handle(options)
        except (AgentError, TargetError, NmapError) as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc

    def _handle(self, options):
        if options['upload'] and not options['token_file']:
            raise AgentError("--upload needs --token-file, the file holding the body's scan token.")
        token = read_token(options['token_file']) if options['upload'] else None
        if options['send']:
            if not options['upload']:
                raise AgentError('--send uploads a results file: give --upload URL and --token-file too.')
            self._upload(options, token, _read(options['send']))
            return
        identify = self._identifier()
        text = self._import(options, identify) if options['import_file'] else self._scan(options, identify)
        if options['upload']:
            self._upload(options, token, text)

    def _identifier(self) -> DeviceIdentifier:
        try:
            return DeviceIdentifier()
        except DatabaseError as exc:
            raise AgentError(
                'The reference data for identifying makers is not in the database: run `oversight migrate` first.'
            ) from exc

    # Scanning

    def _scan(self, options, identify) -> str:
        if options['output'] and options['resume'] and options['output'] != options['resume']:
            raise AgentError('--resume continues the file it names: give that file alone, without --output.')
        words = list(options['targets'])
        if options['targets_file']:
            words += read_targets_file(options['targets_file'])
        targets = parse_targets(words, allow_public=options['allow_public'], max_hosts=options['max_hosts'])
        try:
            ports = parse_ports(options['ports'])
        except ValueError as exc:
            raise AgentError(f'--ports: {exc}') from exc
        credentials = None
        if options['username'] or options['password_file']:
            if not (options['username'] and options['password_file']):
                raise AgentError('Give both --username and --password-file, or neither.')
            credentials = Credentials(options['username'], read_password(options['password_file']))
        scan_options = ScanOptions(
            ports=ports,
            concurrency=options['concurrency'],
            timeout=options['timeout'],
            probe_timeout=options['probe_timeout'],
            rate=options['rate'],
            credentials=credentials,
            neighbours=NeighbourTable(use_ip_command=any(n.version == 6 for n in targets.networks)),
        )
        path = options['resume'] or options['output']
        if path:
            handle, done, has_meta = open_results(path, resume=bool(options['resume']))
        else:
            handle, done, has_meta = self.stdout, set(), False
        meta = ScanMeta(
            started=_now(),
            scope=targets.scope(),
            tool=TOOL,
            organisation=options['organisation'] or '',
        )
        lines = []

        def write(line: str) -> None:
            lines.append(line)
            handle.write(line + '\n')
            handle.flush()

        if not has_meta:
            write(meta.to_json())
        addresses = [a for a in targets.addresses() if a not in done]
        _raise_file_limit(scan_options.concurrency)
        counts = {'up': 0, 'errors': 0, 'timed_out': 0}
        started = time.monotonic()
        progress = self._progress(options, len(addresses), len(done))
        task = progress.add_task('Scanning', total=len(addresses) + len(done), completed=len(done), status='')

        def on_result(result) -> None:
            if result.state == 'up':
                result.identification = identify(result.observed)
                counts['up'] += 1
                counts['errors'] += bool(result.errors)
            elif timed_out(result):
                counts['timed_out'] += 1
            write(result.to_json())
            progress.update(task, advance=1, status=f'{counts["up"]} up, {counts["timed_out"]} not heard in time')

        with progress:
            run(addresses, scan_options, on_result)
        if path:
            handle.close()
        elapsed = time.monotonic() - started
        skipped = f' ({len(done):,} done before)' if done else ''
        where = f' Results: {path}.' if path else ''
        nothing = len(addresses) - counts['up'] - counts['timed_out']
        self.stderr.write(
            f'Scanned {len(addresses):,} hosts{skipped} in {elapsed:.1f} s: {counts["up"]:,} answered '
            f'({counts["errors"]:,} with errors), {counts["timed_out"]:,} gave no answer in time even when tried '
            f'again (each has its error in the results), {nothing:,} had nothing there.{where}'
        )
        return _read(path) if path else '\n'.join(lines)

    def _progress(self, options, total: int, done: int) -> Progress:
        console = Console(stderr=True)
        return Progress(
            TextColumn('[progress.description]{task.description}'),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn('{task.fields[status]}'),
            TimeElapsedColumn(),
            console=console,
            disable=options['no_progress'] or not console.is_terminal,
        )

    # nmap

    def _import(self, options, identify) -> str:
        try:
            with open(options['import_file'], 'rb') as handle:
                meta, results = read_nmap(handle.read())
        except OSError as exc:
            raise AgentError(f'Cannot read {options["import_file"]}: {exc.strerror or exc}.') from exc
        meta.organisation = options['organisation'] or ''
        lines = [meta.to_json()]
        for result in results:
            if result.state == 'up':
                result.identification = identify(result.observed)
            lines.append(result.to_json())
        text = '\n'.join(lines) + '\n'
        if options['output']:
            handle, _, _ = open_results(options['output'], resume=False)
            with handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending='')
        up = sum(1 for r in results if r.state == 'up')
        self.stderr.write(f'Imported {len(results):,} hosts from nmap ({up:,} up).')
        return text

    # Upload

    def _upload(self, options, token: str, text: str) -> None:
        meta = meta_from(text)
        meta.finished = meta.finished or _now()
        if options['organisation']:
            meta.organisation = options['organisation']
        answer = upload(options['upload'], token, compact(text, meta))
        # The server checks the file at once and compares it with the register in the background.
        self.stderr.write(
            f'Uploaded: the server is comparing it with the register. Follow it at {answer.get("url", "")}'
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec='seconds')


def _read(path: str) -> str:
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read()
    except OSError as exc:
        raise AgentError(f'Cannot read {path}: {exc.strerror or exc}.') from exc
    except UnicodeDecodeError as exc:
        raise AgentError(f'{path} is not a results file (not UTF-8 text).') from exc


def _raise_file_limit(concurrency: int) -> None:
    """Each host holds a handful of sockets at once: make room for them, within the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, concurrency * 16 + 256))
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
