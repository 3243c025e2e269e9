"""Fuzzing with hostile values (Hypothesis): what schemathesis does not generate, because the schema says no.

Schemathesis sends requests shaped by the OpenAPI schema, so it never nests JSON thousands deep, writes a
number of thousands of digits, a 13th month or NaN. Each of those was a 500 (issue 12): deep JSON on every
JSON endpoint, impossible dates and huge numbers in a scan upload, huge quantities in a return's draft.
Here they are generated, planted in every field the schema declares, and every answer must be a refusal
(4xx) or a success that wrote what it said, never a server error.
"""

import json

import pytest
from django.test import Client, TestCase
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from oversight.discovery.models import Scan
from oversight.jobs.models import Job
from oversight.surveys.models import Return

pytest_plugins = ['api_fixtures']  # the module-scoped `world`

from test_access_matrix import API, expect  # noqa: E402  (every API operation, and who may make it)

fuzz = settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# JSON text Python's parser cannot take as it is: nesting past its recursion limit, integers past its
# 4,300 digits, floats past the largest double, and the constants JSON does not have.
deep = st.integers(1, 60_000).map(lambda depth: '[' * depth + ']' * depth)
long_number = st.integers(1, 6_000).map(lambda digits: '9' * digits)
huge_float = st.integers(300, 5_000).map(lambda exponent: f'1e{exponent}')
constant = st.sampled_from(['NaN', 'Infinity', '-Infinity'])
hostile_value = st.one_of(deep, long_number, huge_float, constant, st.integers().map(str))
# Times as people and programs get them wrong: any digits in the shape of an ISO 8601 date and time.
moment = st.from_regex(r'\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?\Z')


def _json_writes():
    paths = SchemaGenerator().get_schema(request=None, public=True)['paths']
    found = []
    for (path, method), operation in sorted(API.items()):
        body = paths[path][method].get('requestBody', {}).get('content', {}).get('application/json')
        if body is not None and path != '/api/discovery/scans/':
            found.append((path, method, operation))
    return found


def _fields(path: str, method: str) -> list[str]:
    """The properties the schema declares for an operation's JSON body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ref = schema['paths'][path][method]['requestBody']['content']['application/json']['schema'].get('$ref', '')
    component = schema['components']['schemas'].get(ref.rpartition('/')[2], {})
    return sorted(component.get('properties', {})) or ['value']


JSON_WRITES = _json_writes()


@pytest.mark.parametrize(('path', 'method', 'operation'), JSON_WRITES, ids=[f'{m} {p}' for p, m, _ in JSON_WRITES])
def test_hostile_json_in_any_field_is_refused_never_a_server_error(world, db, path, method, operation):
    role = next(role for role, code in expect(operation.codes).items() if code in ('ok', '200'))
    client = APIClient()
    client.force_authenticate({'regulator': world.regulator, 'editor': world.a.editor}[role])
    url = path.format(**operation.params(world))
    fields = _fields(path, method)

    @fuzz
    @given(st.sampled_from(fields), hostile_value, st.booleans())
    def send(field, value, whole_body):
        body = value if whole_body else f'{{"{field}": {value}}}'
        response = getattr(client, method)(url, body, content_type='application/json')
        assert response.status_code < 500, f'{method.upper()} {url} {body[:80]!r}: {response.status_code}'

    send()


@fuzz
@given(
    started=st.one_of(moment, st.text(max_size=30)),
    scanned_at=moment,
    elapsed=st.one_of(long_number, huge_float, constant, st.integers().map(str), st.floats().map(json.dumps)),
    # The digits as they are: Python refuses to make an int of more than 4,300 of them.
    port=st.one_of(st.integers(), long_number),
)
def test_hostile_scan_results_are_refused_whole_never_a_server_error(world, db, started, scanned_at, elapsed, port):
    lines = [
        json.dumps({'scan': {'started': started, 'scope': ['127.0.0.0/29']}}),
        f'{{"address": "127.0.0.1", "scanned_at": {json.dumps(scanned_at)}, "elapsed": {elapsed}, '
        f'"services": [{{"port": {port}}}]}}',
    ]
    before = Scan.objects.count()
    headers = {'HTTP_AUTHORIZATION': f'Bearer {world.a.token_secret}'}
    # The scan line is read by the request; the host's line by the worker, once the request commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            '/discovery/api/scans/', '\n'.join(lines), content_type='application/x-ndjson', **headers
        )
    assert response.status_code in (202, 400), response.status_code
    task = Job.objects.get(pk=response.json()['task']).status if response.status_code == 202 else None
    assert task in (None, Job.Status.DONE, Job.Status.FAILED), task
    assert Scan.objects.count() == before + (task == Job.Status.DONE)


@fuzz
@given(quantity=st.one_of(long_number, st.integers(), st.integers().map(str), st.text(max_size=12)))
def test_a_return_line_of_any_quantity_is_saved_or_refused_naming_it(world, db, quantity):
    invitation = world.a.draft_invitation
    client = APIClient()
    client.force_authenticate(world.a.editor)
    version = Return.objects.get(invitation=invitation).version
    line = {'manufacturer': 'Axis', 'brand': '', 'model': '', 'quantity': quantity}
    answers = {'external_cctv.operates': 'yes', 'external_cctv.manufacturers': [line]}
    response = client.post(
        f'/api/invitations/{invitation.pk}/draft/', {'answers': answers, 'version': version}, format='json'
    )
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert 'quantity' in json.dumps(response.json())
    else:
        saved = Return.objects.get(invitation=invitation).answers['external_cctv.manufacturers'][0]['quantity']
        assert saved is None if not str(quantity).strip() else 1 <= saved <= 1_000_000
