"""`oversight demo`: every app's demo data loads, twice without duplicating anything."""

import io
import os

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from oversight.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from oversight.accounts.models import User
from oversight.core.management.commands import demo


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count() for m in apps.get_models() if m.__module__.startswith('oversight.')
    }


def run_demo(*args, **options) -> str:
    out = io.StringIO()
    call_command('demo', *args, stdout=out, stderr=out, **options)
    return out.getvalue()


def test_demo_loads_once_and_a_second_run_duplicates_nothing(db):
    output = run_demo('--no-serve')
    for username, *_ in DEMO_USERS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
        assert username in output
    assert DEMO_PASSWORD in output and 'Kent Police' in output and 'Regulator staff' in output
    first = row_counts()
    output = run_demo('--no-serve')
    assert 'Demo accounts: 0 created, 6 already present.' in output
    assert row_counts() == first


def test_demo_serves_on_the_chosen_port_without_the_reloader(db, monkeypatch):
    served = []
    real_call_command = demo.call_command

    def fake_call_command(name, *args, **options):
        if name == 'runserver':
            served.append((args, options))
            return None
        return real_call_command(name, *args, **options)

    stopped = []

    class FakeWorker:
        def terminate(self):
            stopped.append(True)

        def wait(self, timeout):
            return 0

    monkeypatch.setattr(demo, 'call_command', fake_call_command)
    monkeypatch.setattr(demo.Command, '_start_worker', lambda self: FakeWorker())
    output = run_demo('--port', '8123', '--fleet')
    assert served == [(('127.0.0.1:8123',), {'use_reloader': False, 'insecure_serving': True})]
    assert stopped == [True]  # the worker started beside the server is stopped with it
    assert 'http://127.0.0.1:8123/' in output
    # --fleet starts the discovery app's emulated fleet beside the server (or says why it could not), and
    # says how to scan it.
    assert 'No emulated device fleet in this build' not in output
    started = 'Emulated fleet: ' in output and 'oversight discover 127.0.1.0/24 --ports ' in output
    assert started or 'The emulated fleet could not start' in output, output


def test_emails_link_to_the_port_the_demo_serves(db, monkeypatch, settings):
    """The invitation emails once linked to port 8000 whatever port the demo served."""
    from oversight.surveys.emails import base_url

    monkeypatch.setenv('OVERSIGHT_BASE_URL', 'unset')
    monkeypatch.delenv('OVERSIGHT_BASE_URL')  # restored to what it was (unset here) after the test
    started = []
    monkeypatch.setattr(demo, 'call_command', lambda name, *a, **o: None)
    monkeypatch.setattr(demo.Command, '_start_worker', lambda self: started.append(dict(os.environ)) or FakeWorker())
    run_demo('--port', '8123')
    assert base_url() == 'http://127.0.0.1:8123'
    assert started[0]['OVERSIGHT_BASE_URL'] == 'http://127.0.0.1:8123'  # the worker sends most emails
    monkeypatch.setenv('OVERSIGHT_BASE_URL', 'https://oversight.example')
    settings.OVERSIGHT_BASE_URL = 'https://oversight.example'
    run_demo('--port', '8124')
    assert base_url() == 'https://oversight.example'  # an address given on purpose is kept


class FakeWorker:
    def terminate(self):
        pass

    def wait(self, timeout):
        return 0


@pytest.mark.parametrize('port', ['0', '70000', 'eighty'])
def test_demo_refuses_a_bad_port(port):
    with pytest.raises(CommandError, match='is not a port number'):
        call_command('demo', '--port', port, '--no-serve')


def test_the_demo_worker_is_oversight_worker_on_the_same_settings(monkeypatch):
    started = []
    monkeypatch.setattr(demo.subprocess, 'Popen', lambda command, env: started.append((command, env)))
    demo.Command(stdout=io.StringIO())._start_worker()
    [(command, env)] = started
    assert command[1:] == ['-m', 'oversight.manage', 'worker', '--no-reload', '--no-startup-delay']
    assert env['DJANGO_SETTINGS_MODULE'] == 'oversight.settings.test'
