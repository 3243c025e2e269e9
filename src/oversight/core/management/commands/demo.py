"""`oversight demo`: build the demo database from every app's `demo.py`, print the logins, and serve it
with a background worker beside the server.

The database is whichever DATABASE_URL names (by default the SQLite file under var/), so the
demo can be loaded into PostgreSQL as well. Each app's `load(log)` runs in INSTALLED_APPS order in
its own transaction, and must be idempotent: running the demo twice duplicates nothing.
"""

import argparse
import importlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from rich.console import Console
from rich.table import Table


def port_number(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f'"{value}" is not a port number (1 to 65535).')
    return port


def demo_modules():
    """(app config, module) for every Oversight app that ships a `demo.py`, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith('oversight.'):
            continue
        name = f'{config.name}.demo'
        if importlib.util.find_spec(name) is not None:
            yield config, importlib.import_module(name)


class Command(BaseCommand):
    help = 'Create and load the demo database, print the demo logins, and serve the demo on http://127.0.0.1:PORT.'

    def add_arguments(self, parser):
        parser.add_argument('--port', type=port_number, default=8000, help='Port to serve on (default 8000).')
        parser.add_argument('--no-serve', action='store_true', help='Load the demo data, then stop.')
        parser.add_argument(
            '--fleet',
            action='store_true',
            help='Also start the emulated device fleet, for trying a network scan (comes with the discovery app).',
        )

    def handle(self, *args, port, no_serve, fleet, verbosity, **options):
        self.stdout.write(f'Database: {self._database()}')
        call_command('migrate', interactive=False, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        for config, module in demo_modules():
            if hasattr(module, 'load'):
                with transaction.atomic():
                    module.load(lambda message, app=config.verbose_name: self.stdout.write(f'  {app}: {message}'))
        self._print_logins()
        if no_serve:
            return
        stop_fleet = self._start_fleet() if fleet else None
        self._link_emails_to(port)
        worker = self._start_worker()
        try:
            self.stdout.write(self.style.SUCCESS(f'Serving the demo on http://127.0.0.1:{port}/ (Ctrl-C stops it).'))
            # The reloader would run the whole demo again in a child process; static files are
            # served by runserver even when DEBUG is off, which is all the demo needs.
            call_command('runserver', f'127.0.0.1:{port}', use_reloader=False, insecure_serving=True)
        finally:
            worker.terminate()  # the worker finishes the task it is running, then stops
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
            if stop_fleet:
                stop_fleet()

    def _link_emails_to(self, port: int) -> None:
        """Emails (sent here and by the worker) link to the demo on the port it serves, unless
        OVERSIGHT_BASE_URL names another address."""
        if 'OVERSIGHT_BASE_URL' not in os.environ:
            os.environ['OVERSIGHT_BASE_URL'] = settings.OVERSIGHT_BASE_URL = f'http://127.0.0.1:{port}'

    def _start_worker(self) -> subprocess.Popen:
        """A background worker beside the server, so imports, emails and PDFs queued in the demo get done."""
        self.stdout.write('Starting a background worker (oversight worker).')
        command = [sys.executable, '-m', 'oversight.manage', 'worker', '--no-reload', '--no-startup-delay']
        return subprocess.Popen(command, env={**os.environ, 'DJANGO_SETTINGS_MODULE': settings.SETTINGS_MODULE})

    def _database(self) -> str:
        db = settings.DATABASES['default']
        if connection.vendor == 'sqlite':
            return f'SQLite file {db["NAME"]}'
        return f'{connection.display_name} database "{db["NAME"]}" on {db.get("HOST") or "the local socket"}'

    def _print_logins(self) -> None:
        """The logins of the app whose demo.py makes people (`logins()` and its `DEMO_PASSWORD`)."""
        table = Table(title='Demo logins (one shared password)', title_justify='left')
        for header in ('Username', 'Password', 'Organisation', 'Role'):
            table.add_column(header)
        for _config, module in demo_modules():
            for username, organisation, role in getattr(module, 'logins', list)():
                table.add_row(username, module.DEMO_PASSWORD, organisation, role)
        buffer = io.StringIO()
        Console(file=buffer, width=shutil.get_terminal_size().columns, force_terminal=self.stdout.isatty()).print(table)
        self.stdout.write(buffer.getvalue(), ending='')
        if settings.OVERSIGHT_MFA_REQUIRED_ROLES:
            # Said before anyone signs in, so a second-factor page is not a surprise.
            required = ', '.join(settings.OVERSIGHT_MFA_REQUIRED_ROLES)
            self.stdout.write(
                f'Roles that must use a second factor ({required}) are asked to add one at the first sign-in: '
                'have an authenticator app ready, or run the demo with OVERSIGHT_MFA_REQUIRED_ROLES= to try it without.'
            )

    def _start_fleet(self):
        """Start the emulated device fleet if an app provides one (`start_fleet(log)` in its demo.py)."""
        for config, module in demo_modules():
            if hasattr(module, 'start_fleet'):
                return module.start_fleet(
                    lambda message, app=config.verbose_name: self.stdout.write(f'  {app}: {message}')
                )
        self.stderr.write(
            'No emulated device fleet in this build: it comes with the network discovery work (issue 6). '
            'Serving the demo without it.'
        )
        return None
