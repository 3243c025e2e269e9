"""Hardening: production settings, login throttling, bounded uploads, crafted spreadsheets, CSRF on the
API, database constraints behind the form rules, and imports that leave nothing half-written.

Every page's Content Security Policy, every form's CSRF token and every export's formula safety are
checked page by page in tests/test_access_matrix.py.
"""

import concurrent.futures
import datetime
import functools
import importlib
import io
import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator
from openpyxl import Workbook
from rest_framework.test import APIClient

from oversight.accounts.models import User
from oversight.api.actions import create_api_token
from oversight.api.tests.world import scan_upload
from oversight.core.models import ObjectChange
from oversight.core.spreadsheets import MAX_ROWS
from oversight.core.tests.test_spreadsheets import declaring
from oversight.discovery import actions as discovery_actions
from oversight.discovery.models import DiscoveredDevice, Scan
from oversight.jobs.actions import retry_job
from oversight.jobs.models import Job
from oversight.organisations.models import Organisation
from oversight.policy import catalogue
from oversight.policy.catalogue import CatalogueError
from oversight.register import actions as register_actions
from oversight.register.imports import read_batch
from oversight.register.models import EquipmentLine, ImportBatch, Site, System
from oversight.surveys.actions.returns import save_draft
from oversight.surveys.models import Campaign, Invitation, Return
from oversight.vendors.models import Brand, CorporateRelation

pytest_plugins = ['api_fixtures']  # the module-scoped `world`

from api_fixtures import client_for, user_for  # noqa: E402
from test_access_matrix import API, expect  # noqa: E402  (every API operation, and who may make it)


def production_env(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.production',
        'OVERSIGHT_SECRET_KEY': secrets.token_urlsafe(64),
        'OVERSIGHT_ALLOWED_HOSTS': 'oversight.example.org',
        'OVERSIGHT_VAR_DIR': str(tmp_path),
        # The PostgreSQL run's DATABASE_URL is inherited; the SQLite run is one node on purpose.
        'OVERSIGHT_SINGLE_NODE': '1',
    }
    env.update(extra)
    # The browser tests' harness sets this in the test process; a deployment never has it.
    env.pop('DJANGO_ALLOW_ASYNC_UNSAFE', None)
    return env


def run_oversight(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, '-m', 'oversight.manage', *args], env=env, capture_output=True, text=True, timeout=120
    )


# Production settings


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_oversight(production_env(tmp_path), 'check', '--deploy', '--fail-level', 'WARNING')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'System check identified no issues' in result.stdout


@pytest.mark.parametrize(
    ('override', 'message'),
    [
        ({'OVERSIGHT_SECRET_KEY': ''}, 'OVERSIGHT_SECRET_KEY must be set'),
        ({'OVERSIGHT_SECRET_KEY': 'short'}, 'at least 50 characters'),
        ({'OVERSIGHT_SECRET_KEY': 'a' * 60}, 'at least 50 characters'),
        ({'OVERSIGHT_ALLOWED_HOSTS': ''}, 'OVERSIGHT_ALLOWED_HOSTS must be set'),
    ],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path, override, message):
    result = run_oversight(production_env(tmp_path, **override), 'check')
    assert result.returncode != 0
    assert message in result.stderr


def test_production_cookies_and_transport_are_secure(tmp_path):
    names = [
        'SESSION_COOKIE_SECURE',
        'SESSION_COOKIE_HTTPONLY',
        'SESSION_COOKIE_NAME',
        'CSRF_COOKIE_SECURE',
        'CSRF_COOKIE_HTTPONLY',
        'CSRF_COOKIE_NAME',
        'SECURE_SSL_REDIRECT',
        'SECURE_HSTS_SECONDS',
        'DEBUG',
    ]
    shown = '{n: getattr(settings, n) for n in names}'
    code = f'import json; from django.conf import settings; names = {names}; print(json.dumps({shown}))'
    result = run_oversight(production_env(tmp_path), 'shell', '-c', code)
    values = json.loads(result.stdout.splitlines()[-1])
    assert values['SESSION_COOKIE_SECURE'] and values['CSRF_COOKIE_SECURE'] and values['SECURE_SSL_REDIRECT']
    assert values['SESSION_COOKIE_HTTPONLY'] and values['CSRF_COOKIE_HTTPONLY']
    assert values['SESSION_COOKIE_NAME'].startswith('__Host-') and values['CSRF_COOKIE_NAME'].startswith('__Host-')
    assert values['SECURE_HSTS_SECONDS'] >= 31536000 and values['DEBUG'] is False


def test_the_throttle_counts_the_client_behind_the_proxy_not_what_it_claims(monkeypatch, rf):
    monkeypatch.setenv('OVERSIGHT_SECRET_KEY', secrets.token_urlsafe(64))
    monkeypatch.setenv('OVERSIGHT_ALLOWED_HOSTS', 'oversight.example.org')
    monkeypatch.setenv('OVERSIGHT_PROXY_COUNT', '1')
    monkeypatch.setenv('OVERSIGHT_SINGLE_NODE', '1')
    sys.modules.pop('oversight.settings.production', None)
    production = importlib.import_module('oversight.settings.production')
    try:
        spoofed = rf.get('/', HTTP_X_FORWARDED_FOR='10.0.0.99, 203.0.113.7', REMOTE_ADDR='10.1.1.1')
        assert production.client_address(spoofed) == '203.0.113.7'
        direct = rf.get('/', REMOTE_ADDR='192.0.2.5')
        assert production.client_address(direct) == '192.0.2.5'
    finally:
        sys.modules.pop('oversight.settings.production', None)


def test_the_content_security_policy_is_strict(client):
    policy = client.get('/accounts/login/')['Content-Security-Policy']
    directives = dict(part.strip().split(' ', 1) for part in policy.split(';'))
    assert directives['default-src'] == "'self'"
    assert directives['script-src'].startswith("'self' 'nonce-")
    assert directives['style-src'] == "'self'"
    assert directives['object-src'] == "'none'" and directives['frame-ancestors'] == "'none'"
    assert 'unsafe' not in policy


# Login throttling (django-axes)


@override_settings(AXES_ENABLED=True)
def test_five_bad_sign_ins_lock_the_account_from_that_address(db, editor_a):
    here, elsewhere = Client(REMOTE_ADDR='198.51.100.7'), Client(REMOTE_ADDR='198.51.100.8')
    for _ in range(4):
        response = here.post('/accounts/login/', {'login': 'editor_a', 'password': 'wrong'})
        assert (
            response.status_code == 200 and 'password you entered do not match an account' in response.content.decode()
        )
    fifth = here.post('/accounts/login/', {'login': 'editor_a', 'password': 'wrong'})
    assert fifth.status_code == 429
    # Locked: even the right password is refused from this address now.
    locked = here.post('/accounts/login/', {'login': 'editor_a', 'password': 'pw-editor_a'})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'Too many failed sign-in attempts' in page and 'editor_a' in page
    assert 'govuk-heading-l' in page  # the service's own page, not a bare message
    assert '_auth_user_id' not in here.session
    # Someone else's address is not locked out of the account.
    assert elsewhere.post('/accounts/login/', {'login': 'editor_a', 'password': 'pw-editor_a'}).status_code == 302


# Uploads are bounded on every surface


LIMIT = 4096


def _oversized(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b'name,address\n' + b'x' * LIMIT, content_type='application/octet-stream')


def _counts():
    return (ImportBatch.objects.count(), Scan.objects.count(), Organisation.objects.count(), Return.objects.count())


PAGE_UPLOADS = [
    ('editor', '/register/import/', 'register.csv'),
    ('editor', '/register/sites/import/', 'sites.csv'),
    ('regulator', '/organisations/import/', 'organisations.csv'),
    ('editor', 'return_upload', 'return.xlsx'),
    ('editor', '/discovery/scans/upload/', 'scan.jsonl'),
]


@override_settings(OVERSIGHT_MAX_UPLOAD_BYTES=LIMIT)
@pytest.mark.parametrize(('role', 'url', 'name'), PAGE_UPLOADS)
def test_an_oversized_upload_is_refused_by_every_form(world, db, role, url, name):
    if url == 'return_upload':
        url = f'/surveys/invitations/{world.a.draft_invitation.pk}/upload/'
    before = _counts()
    response = client_for(world, role).post(url, {'file': _oversized(name)})
    assert response.status_code in (200, 400)
    assert f'the limit is {LIMIT:,} bytes' in response.content.decode()
    assert _counts() == before


@override_settings(OVERSIGHT_MAX_UPLOAD_BYTES=LIMIT)
@pytest.mark.parametrize(
    ('url', 'content_type'),
    [
        ('/api/register/imports/', None),
        ('/api/discovery/scans/', 'application/x-ndjson'),
        ('/api/identify/', 'text/csv'),
        ('/discovery/api/scans/', 'application/x-ndjson'),
    ],
)
def test_an_oversized_body_is_refused_by_every_endpoint(world, db, url, content_type):
    client = Client()
    if url.startswith('/discovery/'):
        headers = {'HTTP_AUTHORIZATION': f'Bearer {world.a.token_secret}'}
    else:
        headers = {'HTTP_AUTHORIZATION': f'Token {create_api_token(None, world.a.editor)[1]}'}
    before = _counts()
    if content_type is None:
        response = client.post(url, {'kind': 'sites', 'file': _oversized('sites.csv')}, **headers)
    else:
        response = client.generic('POST', url, b'x' * (LIMIT + 1), content_type=content_type, **headers)
    assert response.status_code == 413
    assert f'{LIMIT:,} bytes' in response.content.decode()
    assert _counts() == before


# Crafted spreadsheets: openpyxl reads through defusedxml, on every surface that takes a workbook


def crafted_workbook(header: list[str]) -> bytes:
    """A workbook whose sheet declares XML entities (the start of an entity-expansion attack)."""
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(['x'] * len(header))
    clean = io.BytesIO()
    workbook.save(clean)
    crafted = io.BytesIO()
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(crafted, 'w') as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == 'xl/worksheets/sheet1.xml':
                doctype = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                data = data.replace(b'<worksheet', doctype + b'<worksheet', 1)
            target.writestr(item, data)
    return crafted.getvalue()


@pytest.mark.parametrize(('role', 'url'), [(r, u) for r, u, _ in PAGE_UPLOADS if not u.startswith('/discovery')])
def test_a_crafted_workbook_is_refused_by_name(world, db, role, url):
    if url == 'return_upload':
        url = f'/surveys/invitations/{world.a.draft_invitation.pk}/upload/'
    upload = SimpleUploadedFile('crafted.xlsx', crafted_workbook(['name', 'address']))
    before = _counts()
    response = client_for(world, role).post(url, {'file': upload})
    assert 'cannot be read safely' in response.content.decode()
    assert _counts() == before


def _member(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes start: after its local header, name and extra field."""
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], 'little')
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], 'little')
    return info.header_offset + 30 + name_length + extra_length


def damaged_workbooks() -> dict[str, bytes]:
    """Workbooks broken the ways files arrive broken: a sheet that will not inflate, an unknown compression."""
    workbook = Workbook()
    workbook.active.append(['name', 'address'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    good = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = archive.getinfo('xl/worksheets/sheet1.xml')
    deflate = bytearray(good)
    start = _member(good, sheet)
    deflate[start : start + sheet.compress_size] = b'\xff' * sheet.compress_size  # an invalid deflate block type
    method = bytearray(good)
    entry = method.index(b'PK\x01\x02')  # the central directory, which zipfile believes
    while method[entry + 46 : entry + 46 + len(sheet.filename)] != sheet.filename.encode():
        entry = method.index(b'PK\x01\x02', entry + 4)
    method[entry + 10 : entry + 12] = (99).to_bytes(2, 'little')  # a compression method nobody implements
    return {'corrupt deflate stream': bytes(deflate), 'unknown compression': bytes(method)}


@pytest.mark.parametrize('damage', ['corrupt deflate stream', 'unknown compression'])
@pytest.mark.parametrize(('role', 'url'), [(r, u) for r, u, _ in PAGE_UPLOADS if not u.startswith('/discovery')])
def test_a_damaged_workbook_is_refused_with_a_message(world, db, role, url, damage):
    if url == 'return_upload':
        url = f'/surveys/invitations/{world.a.draft_invitation.pk}/upload/'
    upload = SimpleUploadedFile('damaged.xlsx', damaged_workbooks()[damage])
    before = _counts()
    response = client_for(world, role, raise_request_exception=False).post(url, {'file': upload})
    assert response.status_code in (200, 400), f'{url}: {response.status_code} for a damaged workbook'
    assert 'Excel workbook' in response.content.decode() or 'cannot be read' in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize(('role', 'url'), [(r, u) for r, u, _ in PAGE_UPLOADS if not u.startswith('/discovery')])
def test_a_workbook_claiming_every_row_and_column_is_refused_at_once(world, db, role, url):
    """A few KB declaring A1:XFD1048576 once held a worker for minutes, and again on every preview."""
    if url == 'return_upload':
        url = f'/surveys/invitations/{world.a.draft_invitation.pk}/upload/'
    huge = declaring({(1, 1): 'name', (1, 2): 'address', (1_048_576, 1): 'Dover'}, 'A1:XFD1048576')
    upload = SimpleUploadedFile('huge.xlsx', huge)
    before = _counts()
    started = time.process_time()  # CPU time: the same however busy the machine is
    response = client_for(world, role).post(url, {'file': upload})
    assert time.process_time() - started < 5
    assert f'the limit is {MAX_ROWS:,}' in response.content.decode()
    assert _counts() == before


def test_every_export_survives_control_characters_saved_before_they_were_refused(world, db):
    """A vertical tab pasted into a name before such characters were refused must not stop an export."""
    Site.objects.create(organisation=world.a.organisation, name='KENTMARK Pasted\x0bName')
    invitation = world.a.draft_invitation
    draft = Return.objects.get(invitation=invitation)
    draft.answers = {**draft.answers, 'governance.sro_name': 'Pasted\x0bName'}
    draft.save(update_fields=['answers'])
    client = client_for(world, 'editor', raise_request_exception=False)
    urls = ['/register/sites/?export=xlsx', '/register/sites/?export=csv', '/api/register/sites/']
    for url in [*urls, f'/surveys/invitations/{invitation.pk}/workbook/']:
        response = client.get(url)
        assert response.status_code == 200, f'{url}: {response.status_code}'


SPOOFED = 'KENTMARK Depot\u202egpj.exe'  # shown as "KENTMARK Depotexe.jpg"


def test_hidden_characters_in_names_are_refused_naming_the_field_on_every_surface(world, db):
    """Once accepted: a right-to-left override or a BEL in a name can spoof it in tables and exports."""
    before = (Site.objects.count(), Organisation.objects.count(), ObjectChange.objects.count())
    editor = client_for(world, 'editor')
    page = editor.post('/register/sites/new/', {'name': SPOOFED, 'kind': 'custody'})
    assert page.status_code == 200 and 'U+202E' in str(page.context['form'].errors['name'])
    api = editor.post('/api/register/sites/', {'name': 'Depot\x07'}, content_type='application/json')
    assert api.status_code == 400 and 'U+0007' in api.json()['name'][0]
    system = editor.post(
        '/api/register/systems/', {'name': SPOOFED, 'category': 'internal_cctv'}, content_type='application/json'
    )
    assert system.status_code == 400 and 'U+202E' in system.json()['name'][0]
    batch = register_actions.upload_import(
        world.a.editor,
        world.a.organisation,
        'sites',
        'sites.csv',
        f'name,address,postcode,kind,sensitive\n{SPOOFED},,,custody,no\n'.encode(),
    )
    assert [(e.row, e.column) for e in read_batch(batch).errors] == [(2, 'name')]
    organisations = client_for(world, 'regulator').post(
        '/organisations/import/',
        {'file': SimpleUploadedFile('organisations.csv', f'name,kind\n{SPOOFED},police\n'.encode())},
    )
    assert 'U+202E' in organisations.content.decode()
    assert (Site.objects.count(), Organisation.objects.count()) == before[:2]
    # A file's name is shown in the lists of imports and scans.
    with pytest.raises(ValidationError, match='U\\+202E'):
        register_actions.upload_import(world.a.editor, world.a.organisation, 'sites', 'gpj\u202e.csv', b'name\nx\n')
    with pytest.raises(ValidationError, match='U\\+202E'):
        discovery_actions.record_scan(
            world.a.editor, world.a.organisation, scan_upload(world.a), source='file', filename='scan\u202e.jsonl'
        )


def test_hidden_characters_in_return_answers_are_refused_naming_the_field(world, db):
    invitation = world.a.draft_invitation
    version = Return.objects.get(invitation=invitation).version
    line = {'manufacturer': '\u202eAxis', 'brand': '', 'model': '', 'quantity': 1}
    answers = {'governance.sro_name': 'A. Chief\x07', 'external_cctv.operates': 'yes'}
    answers['external_cctv.manufacturers'] = [line]
    with pytest.raises(ValidationError) as refused:
        save_draft(world.a.editor, invitation, answers, expected_version=version)
    messages = str(refused.value)
    assert 'U+0007' in messages and 'U+202E' in messages and 'manufacturer' in messages


# CSRF on the API: a browser session must send the token; a program with an API token need not


def test_the_api_refuses_a_session_post_without_the_csrf_token(world, db):
    client = client_for(world, 'editor', enforce_csrf_checks=True)
    response = client.post('/api/register/sites/', {'name': 'KENTMARK Forged'}, content_type='application/json')
    assert response.status_code == 403 and 'CSRF' in response.json()['detail']
    key = create_api_token(None, world.a.editor)[1]
    with_token = Client(enforce_csrf_checks=True).post(
        '/api/register/sites/',
        {'name': 'KENTMARK Programmatic'},
        content_type='application/json',
        HTTP_AUTHORIZATION=f'Token {key}',
    )
    assert with_token.status_code == 201
    assert not Site.objects.filter(name='KENTMARK Forged').exists()


# Nothing lost: the database refuses what the forms refuse, even when the forms are bypassed


def refused_by_database(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_database_constraints_back_up_the_form_rules(world, db):
    line = world.a.lines[0]
    lines = EquipmentLine.objects.filter(pk=line.pk)
    assert refused_by_database(lambda: lines.update(quantity=0))
    assert refused_by_database(lambda: lines.update(confidence=1.5))
    assert refused_by_database(
        lambda: Site.objects.create(organisation=world.a.organisation, name=world.a.sites[0].name)
    )
    campaign = Campaign.objects.filter(pk=world.campaign.pk)
    assert refused_by_database(lambda: campaign.update(opens_at=world.campaign.deadline + datetime.timedelta(days=1)))
    assert refused_by_database(
        lambda: campaign.update(late_cutoff=world.campaign.deadline - datetime.timedelta(days=1))
    )
    unsubmitted = Return.objects.filter(pk=world.a.survey_return.pk)
    assert refused_by_database(lambda: unsubmitted.update(submitted_at=None))
    assert refused_by_database(
        lambda: Invitation.objects.create(campaign=world.campaign, organisation=world.a.organisation)
    )
    assert refused_by_database(lambda: User.objects.create(username='nobody-of-anywhere'))
    device = world.a.device
    assert refused_by_database(lambda: DiscoveredDevice.objects.create(scan=device.scan, address=device.address))
    # And what the database holds is as it was.
    assert EquipmentLine.objects.get(pk=line.pk).quantity == line.quantity


def test_database_constraints_back_up_the_rules_forms_check_across_rows_and_tables(world, db):
    a, b = world.a, world.b
    # Names are unique in a body whatever their capitals, as imports match them.
    assert refused_by_database(lambda: Site.objects.create(organisation=a.organisation, name=a.sites[0].name.upper()))
    assert refused_by_database(
        lambda: System.objects.create(organisation=a.organisation, name=a.systems[0].name.lower(), category='anpr')
    )
    lines = EquipmentLine.objects.filter(pk=a.lines[0].pk)
    # MACs are kept in one spelling, so the reconciliation can match them.
    assert refused_by_database(lambda: lines.update(mac_address='c0-56-e3-00-00-01'))
    assert not refused_by_database(lambda: lines.update(mac_address='C0:56:E3:00:00:01'))
    # A line's site and system are its own body's (rules across tables: triggers, core/rules.py).
    assert refused_by_database(lambda: lines.update(site=b.sites[0]))
    assert refused_by_database(lambda: lines.update(system=b.systems[0]))
    assert refused_by_database(lambda: lines.update(organisation=b.organisation))
    assert refused_by_database(
        lambda: EquipmentLine.objects.create(
            organisation=a.organisation, site=a.sites[0], system=b.systems[0], manufacturer_declared='Axis', quantity=1
        )
    )
    assert EquipmentLine.objects.get(pk=a.lines[0].pk).site_id == a.lines[0].site_id
    campaign = Campaign.objects.filter(pk=world.campaign.pk)
    assert refused_by_database(lambda: campaign.update(reminder_interval_days=0))
    # The role follows the organisation: the regulator's users are regulator staff, bodies' are not.
    assert refused_by_database(lambda: User.objects.filter(pk=a.editor.pk).update(role=User.Role.REGULATOR))
    regulator = user_for(world, 'regulator')
    assert refused_by_database(lambda: User.objects.filter(pk=regulator.pk).update(role=User.Role.EDITOR))
    assert refused_by_database(lambda: User.objects.filter(pk=a.editor.pk).update(organisation=regulator.organisation))
    assert not refused_by_database(lambda: User.objects.filter(pk=a.editor.pk).update(role=User.Role.VIEWER))
    # Reference data: a maker's own brand is owned and made by that maker; a relabel is made by another;
    # a corporate relation ends after it starts.
    own, relabel = Brand.objects.filter(kind='own').first(), Brand.objects.filter(kind='relabel').first()
    assert refused_by_database(lambda: Brand.objects.filter(pk=own.pk).update(owner=None))
    assert refused_by_database(lambda: Brand.objects.filter(pk=relabel.pk).update(owner=relabel.made_by))
    relation = CorporateRelation.objects.filter(pk=CorporateRelation.objects.first().pk)
    since = datetime.date(2020, 1, 1)
    assert refused_by_database(lambda: relation.update(since=since, until=since - datetime.timedelta(days=1)))


# Nothing lost: a crash in the middle of an import leaves the database as it was


def _register_state(organisation):
    return (
        sorted(Site.objects.filter(organisation=organisation).values_list('name', 'address', 'version')),
        sorted(EquipmentLine.objects.filter(organisation=organisation).values_list('pk', 'model', 'version')),
        # The task's own record (started, queued again) is history too, but not the register's.
        ObjectChange.objects.exclude(content_type__app_label='jobs').count(),
    )


@pytest.mark.parametrize('surface', ['page', 'api'])
def test_a_crash_midway_through_an_import_writes_nothing(
    world, db, monkeypatch, surface, django_capture_on_commit_callbacks
):
    editor, organisation = world.a.editor, world.a.organisation
    rows = ''.join(f'KENTMARK Depot {n},{n} Dock Road,,other,no\n' for n in range(4))
    csv = f'name,address,postcode,kind,sensitive\nKENTMARK Roadside,Moved,,roadside,no\n{rows}'.encode()
    batch = register_actions.upload_import(editor, organisation, ImportBatch.Kind.SITES, 'sites.csv', csv)
    before = _register_state(organisation)
    written = []
    real = register_actions.record_changes
    monkeypatch.setattr(register_actions, 'WRITE_BATCH', 2)  # rows are written in batches: several, here

    def failing_on_the_second_batch(*args, **kwargs):
        real(*args, **kwargs)
        written.append(1)
        if len(written) == 2:
            raise RuntimeError('the database server went away')

    monkeypatch.setattr(register_actions, 'record_changes', failing_on_the_second_batch)
    client = client_for(world, 'editor', raise_request_exception=False)
    fingerprint = read_batch(batch).fingerprint  # what the person saw in the preview
    with django_capture_on_commit_callbacks(execute=True):  # the import runs in the task once the request commits
        if surface == 'page':
            response = client.post(f'/register/imports/{batch.pk}/commit/', {'fingerprint': fingerprint})
        else:
            url = f'/api/register/imports/{batch.pk}/commit/'
            response = client.post(url, {'fingerprint': fingerprint}, content_type='application/json')
    assert response.status_code == (302 if surface == 'page' else 202)
    job = Job.objects.filter(organisation=organisation).latest('pk')
    assert job.status == Job.Status.FAILED and 'nothing it was doing was kept' in job.errors[0]['message']
    assert len(written) == 2  # two batches of rows were written before the crash, and rolled back with it
    assert _register_state(organisation) == before
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING
    # Once the fault is gone the same task, queued again, imports the file whole.
    monkeypatch.setattr(register_actions, 'record_changes', real)
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(editor, job)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {'create': 4, 'update': 1, 'unchanged': 0}
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.COMMITTED


# Hostile JSON: nesting, numbers and dates Python would crash on are a 400 naming the reason

DEEP = '[' * 50_000 + ']' * 50_000


def json_writes() -> list[tuple[str, str]]:
    """Every API operation whose schema says it takes a JSON body (the scan upload's JSON lines: below)."""
    paths = SchemaGenerator().get_schema(request=None, public=True)['paths']
    return [
        (path, method)
        for path, method in sorted(API)
        if 'application/json' in paths[path][method].get('requestBody', {}).get('content', {})
        and path != '/api/discovery/scans/'
    ]


@pytest.mark.parametrize(('path', 'method'), json_writes())
def test_json_nested_deeply_is_a_400_on_every_endpoint_taking_json(world, db, path, method):
    """50,000 levels of nesting once raised RecursionError: a 500, also under production settings."""
    operation = API[(path, method)]
    role = next(role for role, code in expect(operation.codes).items() if code in ('ok', '200'))
    client = APIClient()
    client.force_authenticate(user_for(world, role))
    url = path.format(**operation.params(world))  # first: some make what they act on (a plan's action)
    before = ObjectChange.objects.count()
    response = getattr(client, method)(url, DEEP, content_type='application/json')
    assert response.status_code == 400, f'{method.upper()} {path}: {response.status_code}'
    assert 'nested more than' in response.json()['detail']
    assert ObjectChange.objects.count() == before


@pytest.mark.parametrize('url', ['/api/discovery/scans/', '/discovery/api/scans/'])
@pytest.mark.parametrize(
    ('line', 'reason'),
    [
        ('{"address": "127.0.0.1", "probes": ' + DEEP + '}', 'nested more than'),
        ('{"address": "127.0.0.1", "elapsed": ' + '9' * 5000 + '}', 'a number of 5,000 digits'),
        ('{"address": "127.0.0.1", "elapsed": NaN}', 'NaN is not a number'),
    ],
    ids=['deep', 'long number', 'NaN'],
)
def test_a_scan_upload_with_hostile_json_is_a_400_naming_the_line(world, db, url, line, reason):
    headers = {'HTTP_AUTHORIZATION': f'Bearer {world.a.token_secret}'}
    before = _counts()
    response = Client().generic('POST', url, line.encode(), content_type='application/x-ndjson', **headers)
    assert response.status_code == 400, response.status_code
    assert f'line 1: not JSON ({reason}' in response.content.decode()
    assert _counts() == before


def test_a_kev_catalogue_nested_deeply_is_refused_with_a_reason():
    with pytest.raises(CatalogueError, match='nested more than'):
        catalogue.parse(DEEP.encode())


# Races on SQLite: a lost race is a 409, as on PostgreSQL, never a 500 "database is locked"

RACE_SETUP = """
import json
from oversight.accounts.models import User
from oversight.api.actions import create_api_token
from oversight.api.tests.world import _campaign
from oversight.organisations.models import Organisation
from oversight.register import actions
from oversight.register.models import Category
kent = Organisation.objects.get(name='Kent Police')
editor = User.objects.create_user(username='editor', password='x', organisation=kent, role=User.Role.EDITOR)
site = actions.create_site(editor, kent, name='HQ')
system = actions.create_system(editor, kent, name='CCTV', category=Category.INTERNAL_CCTV)
line = actions.create_line(editor, kent, site=site, system=system, manufacturer_declared='Axis', quantity=1)
regulator = User.objects.create_user(
    username='regulator', password='x', organisation=Organisation.objects.get(slug='obscc'), role=User.Role.REGULATOR
)
invitation = _campaign(regulator, 'race', 'Race', [kent], open_now=True).invitations.get(organisation=kent)
print(json.dumps({'token': create_api_token(None, editor)[1], 'line': line.pk, 'invitation': invitation.pk}))
"""


@pytest.fixture
def sqlite_server(tmp_path):
    """Oversight under gunicorn (three worker processes) on an SQLite file, as a small deployment runs it."""
    env = {
        **os.environ,
        'DJANGO_SETTINGS_MODULE': 'oversight.settings.test',
        'DATABASE_URL': f'sqlite:///{tmp_path / "oversight.sqlite3"}',
    }
    migrated = run_oversight(env, 'migrate', '-v0')
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    made = run_oversight(env, 'shell', '-c', RACE_SETUP)
    world = json.loads(made.stdout.splitlines()[-1])
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    gunicorn = pathlib.Path(sys.executable).with_name('gunicorn')
    server = subprocess.Popen(
        [gunicorn, 'oversight.wsgi', '-b', f'127.0.0.1:{port}', '-w', '3', '--log-level', 'warning'],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f'http://127.0.0.1:{port}'
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f'{base}/accounts/login/', timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base, world
    finally:
        server.terminate()
        server.wait(timeout=10)


def _api(base: str, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f'{base}{path}',
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={'Authorization': f'Token {token}', 'Content-Type': 'application/json'},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _at_once(calls) -> list[int]:
    """Run the calls in threads released together; their statuses."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()[0]

    with concurrent.futures.ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_simultaneous_edits_on_sqlite_are_one_saved_and_the_rest_409(sqlite_server):
    """Three edits of one line, or three saves of one draft, at once gave the losers a 500 "database is locked"."""
    base, world = sqlite_server
    path = f'/api/register/equipment/{world["line"]}/'
    for round_ in range(5):
        version = _api(base, world['token'], 'GET', path)[1]['version']
        edits = [
            functools.partial(
                _api, base, world['token'], 'PATCH', path, {'quantity': 10 * round_ + n, 'version': version}
            )
            for n in range(1, 4)
        ]
        statuses = _at_once(edits)
        assert sorted(statuses) == [200, 409, 409], statuses
    creates = [
        functools.partial(_api, base, world['token'], 'POST', '/api/register/sites/', {'name': f'Depot {n}'})
        for n in range(3)
    ]
    assert _at_once(creates) == [201, 201, 201]
    draft = f'/api/invitations/{world["invitation"]}/draft/'
    for version in range(0, 3):
        saves = [
            functools.partial(
                _api,
                base,
                world['token'],
                'POST',
                draft,
                {'answers': {'governance.sro_name': f'SRO {n}'}, 'version': version},
            )
            for n in range(3)
        ]
        statuses = _at_once(saves)
        assert sorted(statuses) == [200, 409, 409], statuses


def test_a_write_that_waited_past_the_busy_timeout_is_a_409_on_pages_and_the_api(world, db, monkeypatch):
    """The rare loser left after transactions wait their turn: told to try again, never a 500."""

    def locked(*args, **kwargs):
        raise OperationalError('database is locked')

    monkeypatch.setattr(Site, 'save', locked)
    before = ObjectChange.objects.count()
    api = client_for(world, 'editor', raise_request_exception=False)
    response = api.post('/api/register/sites/', {'name': 'Depot'}, content_type='application/json')
    assert response.status_code == 409 and 'nothing you sent was saved' in response.json()['detail']
    page = client_for(world, 'editor', raise_request_exception=False).post(
        '/register/sites/new/', {'name': 'Depot', 'kind': 'custody'}
    )
    assert page.status_code == 409 and 'nothing you sent was saved' in page.content.decode()
    assert ObjectChange.objects.count() == before


# "²" is a digit to str.isdigit but not to int(); 2**63 is past any database integer. Each was a 500.
NOT_WHOLE_NUMBERS = ['²', '٣', str(2**63)]


@pytest.mark.parametrize('number', NOT_WHOLE_NUMBERS)
def test_numbers_int_refuses_or_no_database_holds_are_refused_not_a_500(world, db, number):
    editor = client_for(world, 'editor', raise_request_exception=False)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.a.editor)
    site = world.a.sites[0]
    answers = {
        f'/api/policy/obligations/{number}.uk-wms-2022.no-core-network/': api.get,
        f'/api/register/sites/{site.pk}/?version={number}': api.delete,
        f'/register/?site={number}': editor.get,
        f'/register/?organisation={number}': client_for(world, 'regulator', raise_request_exception=False).get,
    }
    for url, method in answers.items():
        assert method(url).status_code in (200, 400, 404), url
    assert Site.objects.filter(pk=site.pk).exists()
    body = world.a.organisation
    response = editor.post(
        f'/policy/{body.slug}/settings/',
        {'review_by_day': number, 'review_by_month': '3', 'review_by_year': '2027', 'version': ''},
    )
    assert response.status_code == 200 and 'The date must be a real date' in response.content.decode()
