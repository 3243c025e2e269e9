"""`oversight discover`: output, resume, refusals, nmap import and upload, as an operator runs it."""

import contextlib
import io
import json
import urllib.error
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from oversight.discovery import actions, agent
from oversight.discovery.fleet.catalogue import address_in
from oversight.discovery.models import Scan
from oversight.jobs.models import Job

FIXTURE = Path(__file__).parent / 'data' / 'nmap-sv.xml'


def discover(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command('discover', *args, '--no-progress', stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fleet_args(fleet, *numbers):
    hosts = [address_in(fleet.network, n) for n in numbers]
    return [*hosts, '--ports', fleet.ports.scan_option(), '--probe-timeout', '1', '--timeout', '8']


def lines_of(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.django_db
def test_results_are_json_lines_with_a_scan_line_and_identified_hosts(fleet):
    out, err = discover(*fleet_args(fleet, 10, 12, 40))
    lines = lines_of(out)
    assert lines[0]['scan']['scope'] == [
        f'{address_in(fleet.network, 10)}/32',
        f'{address_in(fleet.network, 12)}/32',
        f'{address_in(fleet.network, 40)}/32',
    ]
    hosts = {line['address']: line for line in lines[1:]}
    assert hosts[address_in(fleet.network, 10)]['identification']['maker'] == 'Hikvision'
    assert hosts[address_in(fleet.network, 12)]['identification']['maker'] == 'Dahua'
    assert hosts[address_in(fleet.network, 40)]['state'] == 'down'
    assert 'Scanned 3 hosts' in err and '2 answered' in err
    # Every host is counted: answered, not heard in time, or nothing there.
    assert '0 gave no answer in time' in err and '1 had nothing there' in err


@pytest.mark.django_db
def test_a_scan_resumes_from_its_results_file(fleet, tmp_path):
    results = tmp_path / 'scan.jsonl'
    discover(*fleet_args(fleet, 10, 11), '--output', str(results))
    first = results.read_text()
    # An interrupted run leaves a cut-off last line; resuming removes it and scans only what is missing.
    results.write_text(first + '{"schema":1,"address":"' + address_in(fleet.network, 15) + '","sta')
    _, err = discover(*fleet_args(fleet, 10, 11, 15), '--resume', str(results))
    assert 'Scanned 1 hosts (2 done before)' in err
    lines = lines_of(results.read_text())
    assert sum(1 for line in lines if 'scan' in line) == 1
    assert sorted(line['address'] for line in lines[1:]) == sorted(address_in(fleet.network, n) for n in (10, 11, 15))
    _, err = discover(*fleet_args(fleet, 10, 11, 15), '--resume', str(results))
    assert 'Scanned 0 hosts (3 done before)' in err


@pytest.mark.django_db
def test_an_existing_results_file_is_not_overwritten(fleet, tmp_path):
    results = tmp_path / 'scan.jsonl'
    results.write_text('{"scan": {}}\n')
    with pytest.raises(CommandError, match='--resume') as refused:
        discover(*fleet_args(fleet, 10), '--output', str(results))
    assert refused.value.returncode == 2
    assert results.read_text() == '{"scan": {}}\n'


@pytest.mark.django_db
@pytest.mark.parametrize(
    ('args', 'message'),
    [
        (['8.8.8.8'], 'not within a private or loopback range'),
        (['10.0.0.0/8'], 'more than the limit'),
        (['10.0.0.1', '--ports', '80/gopher'], 'the protocol must be one of'),
        (['10.0.0.1', '--username', 'admin'], 'both --username and --password-file'),
        (['10.0.0.1', '--upload', 'https://oversight.example/discovery/api/scans/'], '--token-file'),
    ],
)
def test_refusals_name_the_problem_and_send_nothing(args, message):
    with pytest.raises(CommandError, match=message) as refused:
        discover(*args)
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_nmap_output_is_imported_into_the_same_lines(tmp_path):
    output = tmp_path / 'nmap.jsonl'
    _, err = discover('--import', str(FIXTURE), '--output', str(output))
    lines = lines_of(output.read_text())
    assert lines[0]['scan']['tool'] == 'nmap 7.93'
    makers = {line['address']: (line['identification'] or {}).get('maker') for line in lines[1:]}
    assert makers == {
        '192.168.20.1': None,
        '192.168.20.2': 'Hikvision',
        '192.168.20.3': 'Dahua',
        '192.168.20.4': 'Axis',
    }
    assert 'Imported 4 hosts from nmap (3 up)' in err


@pytest.fixture
def server(monkeypatch, client):
    """The agent's HTTP requests answered by this test's Oversight, in process (urllib's transport is the
    only part left out: the request the agent builds, and the server's answer, are the real ones)."""
    sent = []

    def urlopen(request, timeout):
        sent.append(request)
        headers = {f'HTTP_{k.upper().replace("-", "_")}': v for k, v in request.header_items()}
        headers.pop('HTTP_CONTENT_TYPE', None)
        with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's part, once the upload commits
            response = client.post(
                request.full_url, request.data, content_type=request.get_header('Content-type'), **headers
            )
        if response.status_code >= 400:
            raise urllib.error.HTTPError(
                request.full_url, response.status_code, 'refused', {}, io.BytesIO(response.content)
            )
        return contextlib.closing(io.BytesIO(response.content))

    monkeypatch.setattr(agent.urllib.request, 'urlopen', urlopen)
    return sent


def test_results_are_uploaded_with_the_bodys_scan_token(fleet, tmp_path, server, body_a, editor_a):
    _, secret = actions.create_token(editor_a, body_a, 'Custody network agent')
    token_file = tmp_path / 'token.txt'
    token_file.write_text(secret + '\n')
    token_file.chmod(0o600)
    url = 'https://oversight.example/discovery/api/scans/'
    _, err = discover(*fleet_args(fleet, 10, 21, 41), '--upload', url, '--token-file', str(token_file))
    scan = Scan.objects.get()
    assert (
        scan.organisation == body_a and scan.source == Scan.Source.AGENT and scan.token.name == 'Custody network agent'
    )
    assert scan.counts['hosts'] == 2 and scan.counts['up'] == 2  # silent hosts are left out, covered by the scope
    assert len(scan.scope) == 3
    job = Job.objects.get()
    assert 'Uploaded: the server is comparing it' in err and job.get_absolute_url() in err
    assert job.result_url == scan.get_absolute_url()
    assert server[0].get_header('Authorization') == f'Bearer {secret}'
    assert b'"identification"' not in server[0].data  # the server identifies again

    # An earlier results file can be sent on its own; a token the server does not know is refused.
    results = tmp_path / 'earlier.jsonl'
    discover(*fleet_args(fleet, 15), '--output', str(results))
    token_file.write_text('ovs_not-a-real-token')
    with pytest.raises(CommandError, match='HTTP 401'):
        discover('--send', str(results), '--upload', url, '--token-file', str(token_file))
    assert Scan.objects.count() == 1


def test_tokens_are_only_sent_over_https_except_to_loopback():
    with pytest.raises(agent.AgentError, match='Upload over https'):
        agent.upload('http://oversight.example/discovery/api/scans/', 'ovs_x', b'')
    with pytest.raises(agent.AgentError, match='not an http'):
        agent.upload('ftp://oversight.example/', 'ovs_x', b'')
