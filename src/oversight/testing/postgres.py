"""`pytest --postgres`: run the suite against a throwaway PostgreSQL server.

The server is initialised in a fresh temporary directory from the machine's PostgreSQL binaries,
listens only on a unix socket in that directory (no TCP port, so nothing to clash with), and is
stopped and removed when the run ends. It must be up, and DATABASE_URL set, before pytest-django
imports the settings, so this plugin wraps `pytest_load_initial_conftests`, which runs first.

PostgreSQL refuses to run as root; when the tests run as root (containers, CI) the server runs as
the unprivileged `postgres` account that Debian's postgresql package creates.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

DATABASE = 'oversight'
ROLE = 'oversight'
SERVER_ACCOUNTS = ('postgres', 'nobody')


def pytest_addoption(parser):
    group = parser.getgroup('oversight')
    group.addoption(
        '--postgres',
        action='store_true',
        help='Run against a throwaway PostgreSQL server started from the local PostgreSQL binaries.',
    )
    group.addoption(
        '--postgres-bin',
        default=os.environ.get('OVERSIGHT_PG_BIN', ''),
        help='Directory holding initdb and pg_ctl (default: the newest /usr/lib/postgresql/*/bin, else PATH).',
    )


def find_bin_dir(configured: str = '') -> Path:
    if configured:
        candidates = [Path(configured)]
    else:
        # Debian keeps each major version apart; prefer the newest, then whatever is on PATH.
        candidates = sorted(Path('/usr/lib/postgresql').glob('*/bin'), key=_major_version, reverse=True)
        on_path = shutil.which('initdb')
        if on_path:
            candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if (candidate / 'initdb').exists() and (candidate / 'pg_ctl').exists():
            return candidate
    raise pytest.UsageError(
        'PostgreSQL server binaries (initdb, pg_ctl) were not found: install the postgresql package '
        '(`make setup` does on Debian) or pass --postgres-bin DIR.'
    )


def _major_version(bin_dir: Path) -> int:
    version = bin_dir.parent.name
    return int(version) if version.isdigit() else 0


class ThrowawayServer:
    """A PostgreSQL cluster living in a temporary directory for the length of one test run."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix='oversight-pg-'))
        self.data_dir = self.root / 'data'
        self.account = self._server_account()
        if self.account is not None:
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)

    @staticmethod
    def _server_account():
        """None when we may run the server ourselves; otherwise the unprivileged account to run it as."""
        if os.geteuid() != 0:
            return None
        for name in SERVER_ACCOUNTS:
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise pytest.UsageError('Running as root, and no unprivileged account (postgres) exists to run PostgreSQL.')

    def _run(self, *args: str) -> None:
        kwargs = {}
        if self.account is not None:
            kwargs = {'user': self.account.pw_uid, 'group': self.account.pw_gid, 'extra_groups': []}
        env = {**os.environ, 'LC_ALL': 'C.UTF-8', 'LANG': 'C.UTF-8'}
        env.pop('PGDATA', None)
        result = subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]], env=env, cwd=self.root, capture_output=True, text=True, **kwargs
        )
        if result.returncode:
            raise pytest.UsageError(f'{args[0]} failed:\n{result.stdout}{result.stderr}{self._log_tail()}')

    def _log_tail(self) -> str:
        log = self.root / 'server.log'
        return log.read_text(errors='replace')[-2000:] if log.exists() else ''

    def start(self) -> str:
        """Initialise and start the cluster; return its DATABASE_URL."""
        self._run('initdb', '-D', str(self.data_dir), '-U', ROLE, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8')
        # Durability is pointless for a throwaway cluster: trading it away makes the run faster.
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.root}' "
            '-c fsync=off -c synchronous_commit=off -c full_page_writes=off'
        )
        self._run('pg_ctl', 'start', '-w', '-D', str(self.data_dir), '-l', str(self.root / 'server.log'), '-o', options)
        return f'postgresql://{ROLE}@/{DATABASE}?host={quote(str(self.root), safe="")}'

    def stop(self) -> None:
        try:
            if (self.data_dir / 'postmaster.pid').exists():
                self._run('pg_ctl', 'stop', '-w', '-m', 'fast', '-D', str(self.data_dir))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Runs before pytest-django's own implementation of this hook, which imports the settings.
    options = early_config.known_args_namespace
    # pytest-xdist workers inherit DATABASE_URL from the controller that started the server.
    if options.postgres and 'PYTEST_XDIST_WORKER' not in os.environ:
        server = ThrowawayServer(find_bin_dir(options.postgres_bin))
        early_config.add_cleanup(server.stop)
        os.environ['DATABASE_URL'] = server.start()
    return (yield)


def pytest_collection_modifyitems(config, items):
    if config.getoption('postgres'):
        return
    skip = pytest.mark.skip(reason='needs the PostgreSQL run (pytest --postgres)')
    for item in items:
        if item.get_closest_marker('postgres'):
            item.add_marker(skip)
