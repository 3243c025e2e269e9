import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.core.audit import STALE_MESSAGE
from oversight.jobs.models import Job
from oversight.register import actions
from oversight.register.imports import read_batch
from oversight.register.models import EquipmentLine, ImportBatch, Site, System

from .sheets import row, sheet_bytes


@pytest.fixture
def line_a(editor_a, body_a, register_a, reference):
    return actions.create_line(
        editor_a, body_a, site=register_a.site, system=register_a.system, manufacturer_declared='Northgate Vision',
        model='NV-2000', quantity=6,
    )  # fmt: skip


def _write_urls(line, site, system):
    return [
        reverse('register:equipment_create'),
        reverse('register:equipment_edit', args=[line.pk]),
        reverse('register:equipment_delete', args=[line.pk]),
        reverse('register:site_create'),
        reverse('register:site_edit', args=[site.pk]),
        reverse('register:site_delete', args=[site.pk]),
        reverse('register:system_create'),
        reverse('register:system_edit', args=[system.pk]),
        reverse('register:system_delete', args=[system.pk]),
        reverse('register:equipment_import'),
        reverse('register:site_import'),
    ]


@pytest.mark.parametrize('who', ['viewer_a', 'regulator'])
def test_viewers_and_the_regulator_see_no_edit_buttons_and_get_403_on_writes(
    client_for, request, who, line_a, register_a
):
    client = client_for(request.getfixturevalue(who))
    detail = client.get(line_a.get_absolute_url()).content.decode()
    assert 'Northgate Vision' in detail and '/edit/' not in detail and '/delete/' not in detail
    listing = client.get(reverse('register:equipment_list')).content.decode()
    assert 'equipment/new/' not in listing and 'Import from a spreadsheet' not in listing
    for url in _write_urls(line_a, register_a.site, register_a.system):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {'name': 'x', 'version': 1}).status_code == 403, url
    assert EquipmentLine.objects.get(pk=line_a.pk).version == 1


def test_anonymous_users_are_sent_to_sign_in(client, line_a, register_a):
    for url in [line_a.get_absolute_url(), *_write_urls(line_a, register_a.site, register_a.system)]:
        response = client.get(url)
        assert response.status_code == 302 and reverse('account_login') in response['Location'], url


def test_an_editor_adds_edits_and_deletes_a_line_through_the_pages(client_for, editor_a, register_a, reference):
    client = client_for(editor_a)
    form = client.get(reverse('register:equipment_create')).content.decode()
    assert 'Maidstone HQ' in form and 'name="version"' in form
    data = {
        'site': register_a.site.pk,
        'system': register_a.system.pk,
        'manufacturer_declared': 'Zhejiang Dahua Technology Co., Ltd.',
        'model': 'IPC-HFW2431S',
        'mac_address': '90-02-a9-01-02-03',
        'quantity': 4,
        'network': 'isolated',
        'video': 'on',
    }
    response = client.post(reverse('register:equipment_create'), data)
    line = EquipmentLine.objects.get()
    assert response.status_code == 302 and response['Location'] == line.get_absolute_url()
    assert (line.mac_address, line.made_by, line.concern) == ('90:02:A9:01:02:03', reference.dahua, True)
    detail = client.get(line.get_absolute_url()).content.decode()
    assert 'Register test list' in detail and 'History' in detail
    edit = client.get(reverse('register:equipment_edit', args=[line.pk])).content.decode()
    assert 'name="version" value="1"' in edit
    client.post(reverse('register:equipment_edit', args=[line.pk]), data | {'quantity': 5, 'version': 1})
    stale = client.post(reverse('register:equipment_edit', args=[line.pk]), data | {'quantity': 9, 'version': 1})
    assert stale.status_code == 200 and STALE_MESSAGE.split(':')[0] in stale.content.decode()
    assert EquipmentLine.objects.get().quantity == 5
    client.post(reverse('register:equipment_delete', args=[line.pk]), {'version': 2})
    assert not EquipmentLine.objects.exists()


def test_form_errors_name_the_field(client_for, editor_a, register_a):
    data = {'site': register_a.site.pk, 'system': register_a.system.pk, 'manufacturer_declared': 'Axis'}
    page = client_for(editor_a).post(reverse('register:equipment_create'), data | {'quantity': 0, 'mac_address': 'x'})
    text = page.content.decode()
    assert page.status_code == 200 and 'not a MAC address' in text and 'govuk-error-summary' in text
    taken = client_for(editor_a).post(reverse('register:site_create'), {'name': 'maidstone HQ', 'kind': 'other'})
    assert 'already has a site named' in taken.content.decode()
    assert Site.objects.count() == 1


def test_list_filters_sorting_and_htmx_partial(client_for, editor_a, body_a, register_a, line_a):
    other_site = actions.create_site(editor_a, body_a, name='Ashford Police Station')
    actions.create_line(
        editor_a, body_a, site=other_site, system=register_a.system, manufacturer_declared='Axis', model='P1455-LE',
        quantity=1,
    )  # fmt: skip
    client = client_for(editor_a)
    url = reverse('register:equipment_list')

    def models(**query):
        page = client.get(url, query).content.decode()
        return [model for model in ('NV-2000', 'P1455-LE') if model in page]

    assert models(concern='yes') == ['NV-2000']
    assert models(concern='no') == ['P1455-LE']
    assert models(sensitive='yes') == ['NV-2000']
    assert models(q='northgate nv') == ['NV-2000']
    assert models(site=other_site.pk) == ['P1455-LE']
    assert models(made_by=line_a.made_by_id) == ['NV-2000']
    partial = client.get(url, {'concern': 'yes'}, headers={'HX-Request': 'true'}).content.decode()
    assert '<html' not in partial and 'NV-2000' in partial
    ordered = client.get(url, {'sort': '-quantity'}).content.decode()
    assert ordered.index('NV-2000') < ordered.index('P1455-LE')
    ordered = client.get(url, {'sort': 'quantity'}).content.decode()
    assert ordered.index('P1455-LE') < ordered.index('NV-2000')
    assert 'govuk-tag--red' in client.get(url).content.decode()


def test_site_and_system_pages_count_devices(client_for, editor_a, register_a, line_a):
    client = client_for(editor_a)
    site = client.get(register_a.site.get_absolute_url()).content.decode()
    assert 'data-testid="device-count">6<' in site and 'data-testid="concern-device-count">6<' in site
    assert 'Sensitive site' in site and 'NV-2000' in site
    system = client.get(register_a.system.get_absolute_url()).content.decode()
    assert 'data-testid="device-count">6<' in system
    listing = client.get(reverse('register:site_list')).content.decode()
    assert 'Maidstone HQ' in listing


def test_upload_preview_and_commit_through_the_pages(
    client_for, editor_a, register_a, django_capture_on_commit_callbacks
):
    client = client_for(editor_a)
    bad = sheet_bytes('xlsx', [row(site='Nowhere', system='Custody CCTV', manufacturer='Axis', quantity='-1')])
    response = client.post(reverse('register:equipment_import'), {'file': SimpleUploadedFile('bad.xlsx', bad)})
    batch = ImportBatch.objects.get()
    assert response['Location'] == batch.get_absolute_url()
    preview = client.get(batch.get_absolute_url()).content.decode()
    assert 'There are 2 problems' in preview and 'There is no site' in preview and 'negative' in preview
    good = sheet_bytes('csv', [row(site='Maidstone HQ', system='Custody CCTV', manufacturer='Hikvision', quantity=3)])
    client.post(reverse('register:equipment_import'), {'file': SimpleUploadedFile('good.csv', good)})
    batch = ImportBatch.objects.get(filename='good.csv')
    preview = client.get(batch.get_absolute_url()).content.decode()
    assert 'Import 1 line' in preview
    # The import runs as a background task once the request has committed; its page follows it.
    with django_capture_on_commit_callbacks(execute=True):
        stale = client.post(reverse('register:import_commit', args=[batch.pk]), {'fingerprint': 'not-the-preview'})
    assert stale.status_code == 302 and not EquipmentLine.objects.exists()
    assert 'The register changed after you previewed' in client.get(stale['Location']).content.decode()
    fingerprint = preview.split('name="fingerprint" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse('register:import_commit', args=[batch.pk]), {'fingerprint': fingerprint})
    assert done['Location'] == Job.objects.get(status=Job.Status.DONE).get_absolute_url()
    assert EquipmentLine.objects.get().made_by.name == 'Hikvision'
    page = client.get(done['Location']).content.decode()
    assert 'Importing good.csv' in page and 'Done' in page and reverse('register:equipment_list') in page
    uploads = client.get(reverse('register:equipment_import')).content.decode()  # each file with its status's tag
    assert 'govuk-tag--green" data-testid="status">Imported<' in uploads
    assert 'govuk-tag--yellow" data-testid="status">Awaiting review<' in uploads  # bad.xlsx
    imported = client.get(batch.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Imported</strong> 1 added' in imported


def test_an_unreadable_upload_is_refused_on_the_form(client_for, editor_a, settings):
    client = client_for(editor_a)
    page = client.post(reverse('register:equipment_import'), {'file': SimpleUploadedFile('r.pdf', b'%PDF-1.4')})
    assert 'Upload a .csv or .xlsx file' in page.content.decode()
    settings.OVERSIGHT_MAX_UPLOAD_BYTES = 10
    page = client.post(reverse('register:equipment_import'), {'file': SimpleUploadedFile('r.csv', b'x' * 11)})
    assert 'the limit is 10 bytes' in page.content.decode()
    page = client.post(reverse('register:equipment_import'), {'file': SimpleUploadedFile('r.csv', b'')})
    assert 'empty' in page.content.decode()
    assert not ImportBatch.objects.exists()


def test_staff_can_read_the_register_in_the_admin_but_not_change_it(client, line_a, django_user_model, body_a):
    django_user_model.objects.create_superuser('staff', 'staff@example.org', 'pw', organisation=body_a)
    client.login(username='staff', password='pw')
    assert client.get(reverse('admin:register_equipmentline_changelist')).status_code == 200
    assert client.get(reverse('admin:register_equipmentline_change', args=[line_a.pk])).status_code == 200
    assert client.get(reverse('admin:register_equipmentline_add')).status_code == 403
    assert (
        client.post(reverse('admin:register_equipmentline_delete', args=[line_a.pk]), {'post': 'yes'}).status_code
        == 403
    )
    assert EquipmentLine.objects.filter(pk=line_a.pk).exists()


def test_a_lines_history_names_what_changed_in_peoples_words(client_for, editor_a, viewer_a, body_a, register_a):
    line = actions.create_line(
        editor_a, body_a, site=register_a.site, system=register_a.system, manufacturer_declared='Axis', quantity=2
    )
    depot = actions.create_site(editor_a, body_a, name='Ashford depot')
    actions.update_line(editor_a, line, line.version, site=depot, network='isolated', audio=True, quantity=3)
    page = client_for(viewer_a).get(line.get_absolute_url()).content.decode()
    history = page[page.index('id="history"') :]
    assert '<strong>Site</strong>: <del>Maidstone HQ</del> → <ins>Ashford depot</ins>' in history
    assert '<strong>Network</strong>: <del>Unknown</del> → <ins>Isolated</ins>' in history
    assert '<strong>Audio</strong>: <del>no</del> → <ins>yes</ins>' in history
    assert '<strong>Quantity</strong>: <del>2</del> → <ins>3</ins>' in history
    assert f'<ins>{register_a.site.pk}</ins>' not in history
    assert '<strong>Brand</strong>' not in history  # blank when created: nothing to show


def test_a_filter_outside_the_bodys_scope_is_refused_with_a_message(client_for, editor_a, register_a, register_b):
    page = client_for(editor_a).get(reverse('register:equipment_list'), {'site': register_b.site.pk})
    text = page.content.decode()
    assert 'There is a problem with the filters' in text and 'Site: Select a valid choice' in text
    assert 'Chelmsford HQ' not in text


@pytest.mark.parametrize(
    ('kind', 'model', 'data'),
    [
        ('site', Site, {'name': 'Dover Port', 'kind': 'custody', 'address': '1 Dock Road'}),
        ('system', System, {'name': 'Port ANPR', 'category': 'anpr'}),
    ],
)
def test_an_editor_adds_edits_and_deletes_sites_and_systems_through_the_pages(
    client_for, editor_a, body_a, kind, model, data
):
    client = client_for(editor_a)
    assert client.post(reverse(f'register:{kind}_create'), data).status_code == 302
    made = model.objects.get(organisation=body_a, name=data['name'])
    edited = client.post(reverse(f'register:{kind}_edit', args=[made.pk]), data | {'name': 'Renamed', 'version': 1})
    assert edited.status_code == 302 and model.objects.get(pk=made.pk).name == 'Renamed'
    assert client.post(reverse(f'register:{kind}_delete', args=[made.pk]), {'version': 2}).status_code == 302
    assert not model.objects.filter(pk=made.pk).exists()


def test_an_editor_imports_sites_through_the_pages(client_for, editor_a, body_a, django_capture_on_commit_callbacks):
    client = client_for(editor_a)
    csv = SimpleUploadedFile(
        'sites.csv', b'name,address,postcode,kind,sensitive\nDover Port,1 Dock Road,,custody,yes\n'
    )
    preview = client.post(reverse('register:site_import'), {'file': csv})
    batch = ImportBatch.objects.get(organisation=body_a)
    assert preview.status_code == 302 and preview['Location'] == batch.get_absolute_url()
    fingerprint = read_batch(batch).fingerprint
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse('register:import_commit', args=[batch.pk]), {'fingerprint': fingerprint})
    assert Site.objects.get(organisation=body_a, name='Dover Port').sensitive is True


def test_an_editor_imports_systems_through_the_pages(
    client_for, editor_a, body_a, register_a, django_capture_on_commit_callbacks
):
    client = client_for(editor_a)
    assert 'Import systems from a spreadsheet' in client.get(reverse('register:system_list')).content.decode()
    csv = SimpleUploadedFile(
        'systems.csv', b'name,category,description\nANPR ring,ANPR,Main roads\ncustody cctv,internal_cctv,Cells\n'
    )
    preview = client.post(reverse('register:system_import'), {'file': csv})
    batch = ImportBatch.objects.get(organisation=body_a)
    assert preview['Location'] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'Import 2 systems' in page and 'ANPR' in page
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):  # the import runs as a task once the request commits
        done = client.post(reverse('register:import_commit', args=[batch.pk]), {'fingerprint': fingerprint})
    assert done['Location'].startswith('/tasks/')  # the task's page follows it
    assert System.objects.get(organisation=body_a, name='ANPR ring').category == 'anpr'
    renamed = System.objects.get(pk=register_a.system.pk)
    assert (renamed.name, renamed.description, renamed.version) == ('custody cctv', 'Cells', 2)
    blank = SimpleUploadedFile('bad.csv', b'name,category,description\nDrones,,\n')
    client.post(reverse('register:system_import'), {'file': blank})
    page = client.get(ImportBatch.objects.get(filename='bad.csv').get_absolute_url()).content.decode()
    assert 'There is 1 problem' in page and 'Choose one of' in page


def test_the_service_navigation_is_worked_out_once_for_a_page_of_lines(client_for, editor_a, register_a, monkeypatch):
    """Each line's maker is a template cell rendered with the request, which runs the context processors again."""
    from oversight.core import context_processors

    for model in ('P3265', 'Q6075-E', 'M3106'):
        actions.create_line(
            None, register_a.site.organisation, site=register_a.site, system=register_a.system,
            manufacturer_declared='Axis', model=model, quantity=1,
        )  # fmt: skip
    worked_out = []
    monkeypatch.setattr(
        context_processors,
        '_navigation',
        lambda request, real=context_processors._navigation: worked_out.append(1) or real(request),
    )

    page = client_for(editor_a).get(reverse('register:equipment_list'))

    assert page.content.decode().count('P3265') + page.content.decode().count('M3106') >= 2
    assert 'Register' in [item['label'] for item in page.context['nav_items']]
    assert len(worked_out) == 1
