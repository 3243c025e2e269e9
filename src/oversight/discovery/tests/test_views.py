"""The Discovery pages: editors write, viewers read, the regulator reads every body, other bodies get 404."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.core.models import ObjectChange
from oversight.discovery import actions
from oversight.discovery.models import Scan, ScanToken
from oversight.jobs.models import Job
from oversight.register.models import EquipmentLine, Site, System

from .test_upload_api import BODY

NMAP = Path(__file__).parent / 'data' / 'nmap-sv.xml'


@pytest.fixture
def scan_a(body_a, editor_a):
    return actions.record_scan(editor_a, body_a, BODY, source=Scan.Source.FILE, filename='scan.jsonl')


@pytest.fixture
def device_a(scan_a):
    return scan_a.devices.get(address='10.20.0.6')


@pytest.fixture
def where_a(body_a):
    site = Site.objects.create(organisation=body_a, name='Canterbury Custody Suite')
    system = System.objects.create(organisation=body_a, name='Custody CCTV', category='internal_cctv')
    return site, system


def urls(scan, device):
    return {
        'scan': reverse('discovery:scan_detail', args=[scan.pk]),
        'device': reverse('discovery:device_detail', args=[device.pk]),
        'accept': reverse('discovery:device_accept', args=[device.pk]),
        'reconcile': reverse('discovery:scan_reconcile', args=[scan.pk]),
    }


def test_a_viewer_reads_the_scan_and_its_findings(client_for, viewer_a, scan_a, device_a):
    client = client_for(viewer_a)
    listing = client.get(reverse('discovery:scan_list'))
    assert listing.status_code == 200 and 'Discovery' in listing.content.decode()
    assert scan_a.get_absolute_url() in listing.content.decode()
    page = client.get(scan_a.get_absolute_url()).content.decode()
    assert '10.20.0.6' in page and 'Not in the register' in page
    assert 'Compare with the register again' not in page
    device_page = client.get(device_a.get_absolute_url()).content.decode()
    assert '2.420.Honeywell 00.0.R' in device_page and 'Add to the register' not in device_page


def test_a_viewer_cannot_write(client_for, viewer_a, scan_a, device_a):
    client = client_for(viewer_a)
    paths = urls(scan_a, device_a)
    assert client.get(paths['accept']).status_code == 403
    assert client.post(paths['reconcile']).status_code == 403
    for name in ('discovery:scan_upload', 'discovery:token_list', 'discovery:token_create'):
        assert client.get(reverse(name)).status_code == 403


def test_another_body_gets_404s(client_for, editor_b, scan_a, device_a, editor_a, body_a):
    client = client_for(editor_b)
    for path in urls(scan_a, device_a).values():
        method = client.post if path.endswith('reconcile/') else client.get
        assert method(path).status_code == 404, path
    token, _ = actions.create_token(editor_a, body_a, 'Agent A')
    assert client.post(reverse('discovery:token_revoke', args=[token.pk])).status_code == 404
    assert scan_a.get_absolute_url() not in client.get(reverse('discovery:scan_list')).content.decode()


def test_the_regulator_reads_every_body_but_does_not_write(client_for, regulator, scan_a, device_a):
    client = client_for(regulator)
    assert 'Kent Police' in client.get(reverse('discovery:scan_list')).content.decode()
    assert client.get(scan_a.get_absolute_url()).status_code == 200
    assert client.get(urls(scan_a, device_a)['accept']).status_code == 403


def test_an_editor_uploads_scan_files_and_nmap_output(client_for, editor_a, django_capture_on_commit_callbacks):
    client = client_for(editor_a)
    upload = reverse('discovery:scan_upload')
    # Checked in the request; identified and reconciled by a worker once it commits, followed on the task's page.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload, {'file': SimpleUploadedFile('scan.jsonl', BODY)})
    scan = Scan.objects.get(filename='scan.jsonl')
    job = Job.objects.get(kind=Job.Kind.SCAN)
    assert response.status_code == 302 and response['Location'] == job.get_absolute_url()
    assert scan.get_absolute_url() in client.get(response['Location']).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload, {'file': SimpleUploadedFile('nmap.xml', NMAP.read_bytes())})
    assert Scan.objects.get(filename='nmap.xml').counts['up'] == 3

    # A bad line after the first is the worker's to find: the task's page names it, and nothing is kept.
    with django_capture_on_commit_callbacks(execute=True):
        broken = client.post(upload, {'file': SimpleUploadedFile('bad.jsonl', BODY + b'\n{"address": "x"}')})
    failed = Job.objects.latest('pk')
    assert broken.status_code == 302 and broken['Location'] == failed.get_absolute_url()
    assert failed.status == Job.Status.FAILED and failed.errors[0]['row'] == 4
    assert 'line 4: &quot;address&quot;' in client.get(broken['Location']).content.decode()
    assert Scan.objects.count() == 2
    # The first line is read at once: one that is not JSON is refused on the form.
    refused = client.post(upload, {'file': SimpleUploadedFile('bad.jsonl', b'{"scan": \n' + BODY)})
    assert refused.status_code == 200 and 'line 1: not JSON' in refused.content.decode()


def test_an_editor_accepts_a_device_in_one_step(client_for, editor_a, scan_a, device_a, where_a):
    client = client_for(editor_a)
    paths = urls(scan_a, device_a)
    form = client.get(paths['accept']).content.decode()
    assert 'value="Honeywell"' in form and 'value="10.20.0.6"' in form  # starts from what the device showed
    site, system = where_a
    data = {
        'site': site.pk,
        'system': system.pk,
        'manufacturer_declared': 'Honeywell',
        'ip_address': '10.20.0.6',
        'firmware': '2.420.Honeywell 00.0.R',
        'quantity': 1,
        'network': 'core',
    }
    response = client.post(paths['accept'], data)
    line = EquipmentLine.objects.get(ip_address='10.20.0.6')
    assert response.status_code == 302 and response['Location'] == line.get_absolute_url()
    assert line.made_by.name == 'Dahua'
    assert ObjectChange.objects.for_object(line).get().message.startswith(f'Accepted from network scan {scan_a.pk}')
    assert client.get(paths['accept']).status_code == 302  # already in the register: nothing to accept
    assert 'matched by' in client.get(paths['device']).content.decode()


def _selected(form: str, name: str) -> list[str]:
    """The values of the options chosen in the form's select `name`."""
    select = re.search(rf'<select name="{name}".*?</select>', form, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]* selected>', select)


def test_the_accept_form_starts_at_the_scans_site_and_chooses_no_network(client_for, editor_a, body_a, where_a):
    site, system = where_a
    elsewhere = Site.objects.create(organisation=body_a, name='Dover Custody Suite')
    client = client_for(editor_a)

    def accept_form():
        scan = actions.record_scan(editor_a, body_a, BODY, source=Scan.Source.FILE, filename='scan.jsonl')
        return client.get(reverse('discovery:device_accept', args=[scan.devices.get(address='10.20.0.6').pk]))

    form = accept_form().content.decode()
    assert _selected(form, 'site') == [''] and _selected(form, 'network') == ['']  # the scan covered no site yet
    # A line of the register inside the scanned network: the scan covered its site, and only that one.
    EquipmentLine.objects.create(
        organisation=body_a, site=site, system=system, manufacturer_declared='Axis', quantity=1,
        ip_address='10.20.0.99',
    )  # fmt: skip
    EquipmentLine.objects.create(
        organisation=body_a, site=elsewhere, system=system, manufacturer_declared='Axis', quantity=1,
        ip_address='10.30.0.5',
    )  # fmt: skip
    response = accept_form()
    form = response.content.decode()
    assert _selected(form, 'site') == [str(site.pk)] and _selected(form, 'network') == ['']
    data = {'site': site.pk, 'system': system.pk, 'manufacturer_declared': 'Honeywell', 'quantity': 1}
    refused = client.post(response.wsgi_request.path, data).content.decode()
    assert 'Select how the device is connected to the network.' in refused
    assert not EquipmentLine.objects.filter(ip_address='10.20.0.6').exists()
    # Two sites covered: the form cannot tell which, so it chooses neither.
    EquipmentLine.objects.create(
        organisation=body_a, site=elsewhere, system=system, manufacturer_declared='Axis', quantity=1,
        ip_address='10.20.0.98',
    )  # fmt: skip
    assert _selected(accept_form().content.decode(), 'site') == ['']


def test_the_accept_form_offers_only_the_bodys_own_sites(client_for, editor_a, device_a, body_b):
    other = Site.objects.create(organisation=body_b, name='Chelmsford Custody Suite')
    client = client_for(editor_a)
    form = client.get(reverse('discovery:device_accept', args=[device_a.pk])).content.decode()
    assert 'Chelmsford Custody Suite' not in form
    response = client.post(
        reverse('discovery:device_accept', args=[device_a.pk]),
        {'site': other.pk, 'manufacturer_declared': 'Honeywell', 'quantity': 1, 'network': 'core'},
    )
    assert response.status_code == 200 and not EquipmentLine.objects.exists()


def test_compare_again_after_the_register_changes(client_for, editor_a, scan_a, device_a, where_a, body_a):
    site, system = where_a
    EquipmentLine.objects.create(
        organisation=body_a,
        site=site,
        system=system,
        manufacturer_declared='Hikvision',
        ip_address='10.20.0.5',
        quantity=1,
    )
    response = client_for(editor_a).post(urls(scan_a, device_a)['reconcile'])
    assert response.status_code == 302
    assert scan_a.devices.get(address='10.20.0.5').match == 'ip'
    assert ObjectChange.objects.for_object(scan_a).filter(message='Compared with the register').exists()


def test_an_editor_creates_a_token_shown_once_and_revokes_it(client_for, editor_a):
    client = client_for(editor_a)
    response = client.post(reverse('discovery:token_create'), {'name': 'Custody network agent'})
    page = response.content.decode()
    secret = re.search(r'data-testid="token">(ovs_[^<]+)<', page).group(1)
    assert response['Cache-Control'] == 'no-store'
    assert reverse('discovery:upload_api') in page
    token = ScanToken.objects.get()
    assert actions.token_for(secret) == token
    listing = client.get(reverse('discovery:token_list')).content.decode()
    assert 'Custody network agent' in listing and secret not in listing
    assert 'govuk-tag--green" data-testid="status">Active<' in listing
    revoke = reverse('discovery:token_revoke', args=[token.pk])
    assert f'href="{revoke}"' in listing  # a link to the confirmation, not a one-click form
    confirm = client.get(revoke).content.decode()
    assert 'Revoke the scan token Custody network agent' in confirm and 'cannot be used again' in confirm
    assert actions.token_for(secret) == token
    response = client.post(revoke, follow=True)
    assert 'Revoked Custody network agent: uploads with it are refused' in response.content.decode()
    listing = client.get(reverse('discovery:token_list')).content.decode()
    assert 'govuk-tag--grey" data-testid="status">Revoked<' in listing
    assert actions.token_for(secret) is None


def test_the_scan_list_exports_and_filters(client_for, viewer_a, scan_a):
    client = client_for(viewer_a)
    csv = client.get(reverse('discovery:scan_list') + '?export=csv')
    assert csv.status_code == 200 and b'Not in the register' in csv.content
    filtered = client.get(scan_a.get_absolute_url() + '?devices-state=undeclared').content.decode()
    assert '10.20.0.5' in filtered
