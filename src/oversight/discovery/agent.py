"""The discovery agent's side of `oversight discover`: results files, resuming, and uploading to a server.

A results file is JSON lines: a first {"scan": {...}} line (when, what, with what), then one line
per host. Each line is written and flushed as its host finishes, so an interrupted scan loses at
most the line being written; `--resume` keeps every complete line and scans only the rest.
"""

import ipaddress
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from .results import ScanMeta, done_addresses

USER_AGENT = 'oversight-discover/1'
UPLOAD_TIMEOUT = 120


class AgentError(Exception):
    """Something the operator must fix (a file, a URL, the server's answer), said plainly."""


def open_results(path: str, *, resume: bool) -> tuple[object, set[str], bool]:
    """(file open for appending, hosts already done, whether the file already has its scan line).

    Without `resume`, an existing non-empty file is refused rather than overwritten.
    """
    file = Path(path)
    if file.exists() and file.stat().st_size and not resume:
        raise AgentError(f'{path} already has results: give --resume {path} to continue that scan, or another file.')
    done: set[str] = set()
    has_meta = False
    if resume and file.exists():
        text = _complete_lines(file)
        done = done_addresses(text)
        has_meta = any(line.startswith('{"scan"') for line in text.splitlines()[:1])
    try:
        handle = open(file, 'a', encoding='utf-8')  # noqa: SIM115 - kept open for the scan, closed by the caller
    except OSError as exc:
        raise AgentError(f'Cannot write {path}: {exc.strerror or exc}.') from exc
    return handle, done, has_meta


def _complete_lines(file: Path) -> str:
    """The file's text up to its last newline; a line cut short by an interruption is removed."""
    data = file.read_bytes()
    end = data.rfind(b'\n') + 1
    if end < len(data):
        with open(file, 'r+b') as handle:
            handle.truncate(end)
    return data[:end].decode('utf-8', 'replace')


def compact(text: str, meta: ScanMeta) -> bytes:
    """What is uploaded: the scan line, then the hosts that answered (silent hosts are covered by the scope),
    without the agent's identification, which the server works out again."""
    lines = [meta.to_json()]
    for line in text.splitlines():
        if not line.strip() or line.startswith('{"scan"'):
            continue
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get('state') == 'up':
            # The server identifies every device again with its own reference data.
            data.pop('identification', None)
            lines.append(json.dumps(data, ensure_ascii=False, separators=(',', ':')))
    return ('\n'.join(lines) + '\n').encode('utf-8')


def meta_from(text: str) -> ScanMeta:
    """The scan line of a results file (a bare ScanMeta when it has none)."""
    first = text.split('\n', 1)[0]
    try:
        data = json.loads(first).get('scan', {})
    except (ValueError, AttributeError):
        return ScanMeta()
    if not isinstance(data, dict):
        return ScanMeta()
    return ScanMeta(**{k: data[k] for k in ('started', 'finished', 'scope', 'tool', 'organisation') if k in data})


def read_token(path: str) -> str:
    try:
        token = Path(path).read_text(encoding='utf-8').strip()
    except OSError as exc:
        raise AgentError(f'Cannot read the token file {path}: {exc.strerror or exc}.') from exc
    if not token or '\n' in token:
        raise AgentError(f'The token file {path} must hold the scan token alone, on one line.')
    _warn_if_readable(path)
    return token


def read_password(path: str) -> str:
    try:
        lines = Path(path).read_text(encoding='utf-8').splitlines()
    except OSError as exc:
        raise AgentError(f'Cannot read the password file {path}: {exc.strerror or exc}.') from exc
    if not lines or not lines[0]:
        raise AgentError(f'The password file {path} is empty.')
    return lines[0]


def _warn_if_readable(path: str) -> None:
    # Told, not refused: some operators keep tokens in a secrets mount with its own rules.
    if os.stat(path).st_mode & 0o077:
        sys.stderr.write(f'Note: {path} can be read by other users of this computer (chmod 600 it).\n')


def upload(url: str, token: str, body: bytes) -> dict:
    """POST the results; returns the server's JSON answer, or raises AgentError with its message."""
    parts = urlsplit(url)
    if parts.scheme not in ('https', 'http') or not parts.hostname:
        raise AgentError(f'"{url}" is not an http(s) address of an Oversight server.')
    if parts.scheme == 'http' and not _loopback(parts.hostname):
        raise AgentError('Upload over https: plain http would expose the scan token (it is allowed to loopback only).')
    request = urllib.request.Request(
        url,
        data=body,
        method='POST',
        headers={
            'Authorization': f'Bearer {token}',
            'Content-Type': 'application/x-ndjson; charset=utf-8',
            'User-Agent': USER_AGENT,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=UPLOAD_TIMEOUT) as response:
            return json.loads(response.read(1024 * 1024) or b'{}')
    except urllib.error.HTTPError as exc:
        raise AgentError(f'The server refused the upload (HTTP {exc.code}): {_reason(exc)}') from exc
    except urllib.error.URLError as exc:
        raise AgentError(f'Cannot reach {parts.hostname}: {exc.reason}.') from exc
    except ValueError as exc:
        raise AgentError('The server answered, but not with JSON: is this the upload address?') from exc


def _reason(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read(64 * 1024))
    except ValueError:
        return exc.reason
    errors = data.get('errors') or [data.get('error') or exc.reason]
    return '; '.join(str(e) for e in errors[:10])


def _loopback(host: str) -> bool:
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False
