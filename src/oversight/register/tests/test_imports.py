import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from oversight.core.models import ObjectChange
from oversight.register import actions
from oversight.register.imports import EquipmentImporter, SiteImporter, read_batch
from oversight.register.models import EquipmentLine, ImportBatch, Site, System

from .sheets import row, sheet_bytes

GOOD = {'site': 'Maidstone HQ', 'system': 'Custody CCTV', 'manufacturer': 'Axis', 'quantity': '1'}


def _upload(editor, body, rows, fmt='csv', headers=None, kind=ImportBatch.Kind.EQUIPMENT):
    return actions.upload_import(editor, body, kind, f'register.{fmt}', sheet_bytes(fmt, rows, headers))


def _state():
    """Everything an import could write."""
    return (
        list(EquipmentLine.objects.values()),
        list(System.objects.values()),
        list(Site.objects.values()),
        ObjectChange.objects.exclude(content_type__model='importbatch').count(),
    )


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_every_problem_is_reported_at_once_by_row_and_column(editor_a, body_a, register_a, register_b, fmt):
    line_b = actions.create_line(
        None, register_b.site.organisation, site=register_b.site, system=register_b.system,
        manufacturer_declared='Axis', quantity=1,
    )  # fmt: skip
    rows = [
        row(**GOOD, category='internal_cctv', installed_on='31/03/2021', network='isolated'),  # 2: fine
        row(**GOOD | {'quantity': '-3'}, installed_on='2021-02-30'),  # 3
        row(**GOOD | {'quantity': '2.5'}, next_upgrade='next year', video='maybe'),  # 4
        row(**GOOD | {'site': 'Nowhere'}, mac_address='zz:zz', ip_address='999.1.1.1'),  # 5
        row(**GOOD, category='satellite', network='wifi'),  # 6
        row(**GOOD | {'manufacturer': ''}, category='anpr'),  # 7: Custody CCTV is internal CCTV
        row(**GOOD, id=line_b.pk),  # 8: another body's line
        row(**GOOD, id=999999),  # 9: no such line
        row(**GOOD | {'system': 'New ANPR'}),  # 10: a new system needs its category
        row(**GOOD, id='abc'),  # 11
        row(**GOOD | {'quantity': '0'}),  # 12
        row(**GOOD, id='²'),  # 13: a digit to str.isdigit, not to int()
        row(**GOOD, id=2**63),  # 14: past any database integer
    ]
    before = _state()
    batch = _upload(editor_a, body_a, rows, fmt)
    errors = read_batch(batch).errors
    assert {(e.row, e.column) for e in errors} == {
        (3, 'installed_on'),
        (3, 'quantity'),
        (4, 'quantity'),
        (4, 'next_upgrade'),
        (4, 'video'),
        (5, 'site'),
        (5, 'mac_address'),
        (5, 'ip_address'),
        (6, 'category'),
        (6, 'network'),
        (7, 'category'),
        (7, 'manufacturer'),
        (8, 'id'),
        (9, 'id'),
        (10, 'category'),
        (11, 'id'),
        (12, 'quantity'),
        (13, 'id'),
        (14, 'id'),
    }
    messages = {(e.row, e.column): e.message for e in errors}
    assert 'negative' in messages[3, 'quantity'] and 'whole number' in messages[4, 'quantity']
    assert 'not a real date' in messages[3, 'installed_on']
    assert 'There is no site "Nowhere"' in messages[5, 'site']
    assert 'is Internal CCTV, not ANPR' in messages[7, 'category']
    # Another body's line reads exactly like a line that does not exist: its existence does not leak.
    assert messages[8, 'id'].replace(str(line_b.pk), 'N') == messages[9, 'id'].replace('999999', 'N')
    with pytest.raises(ValidationError, match='19 problems'):
        actions.commit_import(editor_a, batch)
    assert _state() == before
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING


def test_wrong_missing_unknown_and_duplicated_columns(editor_a, body_a, register_a):
    headers = [c for c in EquipmentImporter.columns if c not in ('quantity', 'notes')] + ['colour', 'brand', '', 'x']
    batch = _upload(editor_a, body_a, [row(**GOOD, colour='red', x='1')], headers=headers)
    errors = {(e.row, e.column) for e in read_batch(batch).errors}
    assert errors == {(1, 'quantity'), (1, 'notes'), (1, 'colour'), (1, 'brand'), (1, 'column U'), (1, 'x')}


def test_headers_are_read_whatever_their_capitals_and_spacing(editor_a, body_a, register_a):
    headers = [c.replace('_', ' ').title() for c in EquipmentImporter.columns]
    cells = row(**GOOD, mac_address='00-1f-54-12-ab-cd')
    values = [{h: cells[c] for h, c in zip(headers, EquipmentImporter.columns, strict=True)}]
    plan = read_batch(_upload(editor_a, body_a, values, headers=headers))
    assert plan.errors == [] and plan.rows[0].obj.mac_address == '00:1F:54:12:AB:CD'


def test_values_beyond_the_last_column_are_an_error(editor_a, body_a, register_a):
    data = sheet_bytes('csv', [row(**GOOD)]).replace(b'\r\n', b',stray\r\n').replace(b',stray\r\n', b'\r\n', 1)
    plan = read_batch(actions.upload_import(editor_a, body_a, 'equipment', 'r.csv', data))
    assert [(e.row, e.column) for e in plan.errors] == [(2, '')]


@pytest.mark.parametrize(
    ('filename', 'content', 'message'),
    [
        ('register.pdf', b'%PDF-1.7 ...', 'Upload a .csv or .xlsx file'),
        ('register.xlsx', b'this is not a workbook', 'not an Excel workbook'),
        ('register.csv', b'id,site\x00\x01\x02', 'binary'),
        ('register.csv', b'', 'empty'),
        ('register.csv', ','.join(EquipmentImporter.columns).encode(), 'no rows of data'),
        ('register.csv', b'\xff\xfe\x00junk', 'UTF-8'),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_kept(editor_a, body_a, filename, content, message):
    with pytest.raises(ValidationError) as refused:
        actions.upload_import(editor_a, body_a, 'equipment', filename, content)
    assert message in refused.value.message_dict['file'][0]
    assert not ImportBatch.objects.exists() and not ObjectChange.objects.exists()


def test_an_oversized_file_is_refused(editor_a, body_a, settings):
    settings.OVERSIGHT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match='the limit is 100 bytes'):
        actions.upload_import(editor_a, body_a, 'equipment', 'big.csv', b'x' * 101)
    assert not ImportBatch.objects.exists()


def test_update_by_id_create_and_unchanged_in_one_commit(editor_a, body_a, register_a, reference):
    fields = {'site': register_a.site, 'system': register_a.system, 'quantity': 2}
    changed = actions.create_line(editor_a, body_a, manufacturer_declared='Axis', **fields)
    same = actions.create_line(editor_a, body_a, manufacturer_declared='Axis', model='P3265', **fields)
    rows = [
        row(**GOOD | {'quantity': '7', 'manufacturer': 'Northgate Vision'}, id=changed.pk, category='Internal CCTV'),
        row(**GOOD | {'quantity': '2'}, id=same.pk, model='P3265', video='yes', network='unknown'),
        row(
            **GOOD | {'system': 'ANPR cameras', 'manufacturer': 'Hikvision'}, category='ANPR', installed_on='2020-01-31'
        ),
        row(**GOOD | {'system': 'anpr CAMERAS', 'manufacturer': 'Hikvision'}),
    ]
    batch = _upload(editor_a, body_a, rows, 'xlsx')
    plan = read_batch(batch)
    assert plan.errors == []
    assert [r.action for r in plan.rows] == ['update', 'unchanged', 'create', 'create']
    assert plan.rows[0].changes == {'manufacturer': ['Axis', 'Northgate Vision'], 'quantity': [2, 7]}
    assert actions.commit_import(editor_a, batch, plan.fingerprint) == {'create': 2, 'update': 1, 'unchanged': 1}
    changed.refresh_from_db()
    assert (changed.quantity, changed.made_by, changed.concern, changed.version) == (7, reference.dahua, True, 2)
    anpr = System.objects.get(organisation=body_a, name='ANPR cameras')
    assert anpr.category == 'anpr' and anpr.equipment.count() == 2
    imported = ObjectChange.objects.filter(message='Imported from register.xlsx').exclude(
        content_type__model='importbatch'
    )
    assert sorted(imported.values_list('action', flat=True)) == ['create', 'create', 'create', 'update']
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.COMMITTED
    with pytest.raises(ValidationError, match='already been imported'):
        actions.commit_import(editor_a, batch)
    with translation.override('cy'), pytest.raises(ValidationError, match='eisoes wedi’i mewnforio'):
        actions.commit_import(editor_a, batch)


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_a_new_systems_category_may_come_from_any_row_of_the_file(editor_a, body_a, register_a, fmt):
    rows = [
        row(**GOOD | {'system': 'Door entry', 'manufacturer': 'Axis'}),  # 2: no category yet
        row(**GOOD | {'system': 'door ENTRY', 'manufacturer': 'Avigilon'}, category='Other'),  # 3 gives it
        row(**GOOD | {'system': 'Door entry', 'manufacturer': 'Bosch'}),  # 4
    ]
    batch = _upload(editor_a, body_a, rows, fmt)
    plan = read_batch(batch)
    assert plan.errors == []
    assert [(system.name, system.category) for system in plan.new_systems] == [('Door entry', 'other')]
    assert actions.commit_import(editor_a, batch, plan.fingerprint)['create'] == 3
    door = System.objects.get(organisation=body_a, name='Door entry')
    assert door.category == 'other' and door.equipment.count() == 3


def test_the_systems_an_import_adds_are_written_together_each_with_its_audit_row(editor_a, body_a, register_a):
    """A first import names hundreds of systems: each saved on its own cost about 5 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def committed(prefix: str, count: int) -> int:
        rows = [
            row(**GOOD | {'system': f'{prefix} {n}', 'model': f'{prefix}{n}'}, category='Other') for n in range(count)
        ]
        batch = _upload(editor_a, body_a, rows)
        with CaptureQueriesContext(connection) as queries:
            actions.commit_import(editor_a, batch, read_batch(batch).fingerprint)
        return len(queries)

    committed('Fence', 1)  # what a process reads once is read
    assert committed('Gate', 2) == committed('Door', 20)
    door = System.objects.get(organisation=body_a, name='Door 7')
    change = ObjectChange.objects.get(content_type__model='system', object_id=str(door.pk))
    assert (change.action, change.after['name'], change.after['category']) == ('create', 'Door 7', 'other')
    assert door.equipment.count() == 1


def test_a_new_system_no_row_categorises_or_two_rows_categorise_differently_is_refused(editor_a, body_a, register_a):
    rows = [
        row(**GOOD | {'system': 'Door entry'}),  # 2
        row(**GOOD | {'system': 'Gate cameras'}),  # 3: never given a category
        row(**GOOD | {'system': 'Door entry'}, category='other'),  # 4
        row(**GOOD | {'system': 'Door entry'}, category='anpr'),  # 5: contradicts row 4
        row(**GOOD | {'quantity': '0'}),  # 6
    ]
    errors = read_batch(_upload(editor_a, body_a, rows)).errors
    assert [(e.row, e.column) for e in errors] == [(3, 'category'), (5, 'category'), (6, 'quantity')]
    assert 'Give the category of the new system "Gate cameras"' in errors[0].message
    assert 'is Other, not ANPR' in errors[1].message
    assert not System.objects.filter(name__in=['Door entry', 'Gate cameras']).exists()


def test_a_failure_midway_leaves_the_register_as_it_was(editor_a, body_a, register_a, monkeypatch):
    monkeypatch.setattr(actions, 'WRITE_BATCH', 2)
    batch = _upload(editor_a, body_a, [row(**GOOD, model=f'M{i}') for i in range(5)])
    before = _state()
    written = []
    real = actions.record_changes

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        written.append(1)
        if len(written) == 2:
            raise RuntimeError('disk full')

    monkeypatch.setattr(actions, 'record_changes', failing)
    with pytest.raises(RuntimeError):
        actions.commit_import(editor_a, batch)
    assert len(written) == 2  # two batches of lines were written before the failure, and rolled back with it
    assert _state() == before
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING


def test_a_register_changed_since_the_preview_is_not_overwritten(editor_a, body_a, register_a):
    line = actions.create_line(
        editor_a, body_a, site=register_a.site, system=register_a.system, manufacturer_declared='Axis', quantity=1
    )
    batch = _upload(editor_a, body_a, [row(**GOOD | {'quantity': '5'}, id=line.pk)])
    previewed = read_batch(batch).fingerprint
    actions.update_line(editor_a, line, 1, quantity=3)
    with pytest.raises(ValidationError, match='changed after you previewed'):
        actions.commit_import(editor_a, batch, previewed)
    assert EquipmentLine.objects.get(pk=line.pk).quantity == 3


def test_each_distinct_identity_is_identified_once_with_one_index(editor_a, body_a, register_a, monkeypatch):
    from oversight.register import identification

    built, identified = [], []
    real_index, real_identification = identification.build_index, identification.identification
    monkeypatch.setattr(identification, 'build_index', lambda: built.append(1) or real_index())
    monkeypatch.setattr(
        identification, 'identification', lambda *args: identified.append(1) or real_identification(*args)
    )
    rows = [row(**GOOD, model=f'M{i % 4}', serial_number=f'S{i}') for i in range(20)]
    actions.commit_import(editor_a, _upload(editor_a, body_a, rows))
    assert len(built) == 1 and len(identified) == 4 and EquipmentLine.objects.count() == 20


def test_only_the_bodys_editors_import(viewer_a, regulator, editor_b, editor_a, body_a, register_a):
    for actor in (viewer_a, regulator, editor_b):
        with pytest.raises(PermissionDenied):
            _upload(actor, body_a, [row(**GOOD)])
    batch = _upload(editor_a, body_a, [row(**GOOD)])
    for actor in (viewer_a, regulator, editor_b):
        with pytest.raises(PermissionDenied):
            actions.commit_import(actor, batch)
    assert not EquipmentLine.objects.exists()


def test_sites_import_through_the_same_flow(editor_a, body_a, register_a):
    rows = [
        {
            'name': 'Ashford Police Station',
            'address': 'Tufton Street',
            'postcode': 'TN23 1BT',
            'kind': 'Police station',
        },
        {'name': 'maidstone hq', 'kind': 'headquarters', 'sensitive': 'yes'},
        {'name': 'Dover custody', 'kind': 'custody', 'sensitive': 'perhaps'},
        {'name': 'Ashford police station', 'kind': 'prison'},
    ]
    batch = _upload(editor_a, body_a, rows, headers=SiteImporter.columns, kind=ImportBatch.Kind.SITES)
    errors = {(e.row, e.column) for e in read_batch(batch).errors}
    assert errors == {(4, 'sensitive'), (5, 'name'), (5, 'kind')}
    rows = rows[:2] + [{'name': 'Dover custody', 'kind': 'custody', 'sensitive': '1'}]
    batch = _upload(editor_a, body_a, rows, 'xlsx', headers=SiteImporter.columns, kind=ImportBatch.Kind.SITES)
    plan = read_batch(batch)
    assert [r.action for r in plan.rows] == ['create', 'update', 'create']
    assert plan.rows[1].changes == {'name': ['Maidstone HQ', 'maidstone hq']}
    actions.commit_import(editor_a, batch)
    assert set(Site.objects.filter(organisation=body_a).values_list('name', 'sensitive')) == {
        ('Ashford Police Station', False),
        ('maidstone hq', True),
        ('Dover custody', True),
    }


@pytest.mark.parametrize('quantity', ['1000001', '1' + '0' * 29, '9' * 5000])
def test_a_quantity_beyond_any_estate_is_refused_naming_row_and_column(editor_a, body_a, register_a, quantity):
    plan = read_batch(_upload(editor_a, body_a, [row(**GOOD), row(**GOOD | {'quantity': quantity})]))
    assert [(e.row, e.column) for e in plan.errors] == [(3, 'quantity')]
    assert 'the most devices one line may hold' in plan.errors[0].message


def test_the_same_file_uploaded_twice_is_flagged_and_cannot_be_committed_twice(
    client_for, editor_a, body_a, register_a
):
    """Both uploads once committed, each adding the file's lines; the second preview said nothing."""
    rows = [row(**GOOD), row(**GOOD | {'quantity': '2'})]
    first, second = _upload(editor_a, body_a, rows), _upload(editor_a, body_a, rows)
    client = client_for(editor_a)
    assert 'data-testid="already-imported"' not in client.get(second.get_absolute_url()).content.decode()
    actions.commit_import(editor_a, first)
    page = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="already-imported"' in page and 'cannot be imported again' in page
    assert reverse('register:import_commit', args=[second.pk]) not in page  # no button to import it
    before = _state()
    with pytest.raises(ValidationError, match='This same file was already imported') as refused:
        actions.commit_import(editor_a, second)
    assert refused.value.code == 'duplicate'
    assert _state() == before
    assert ImportBatch.objects.get(pk=second.pk).status == ImportBatch.Status.PENDING
    # The same file for sites, or another file, is not the same upload.
    other = _upload(editor_a, body_a, [row(**GOOD | {'quantity': '3'})])
    actions.commit_import(editor_a, other)


def test_a_site_file_with_a_quote_left_open_is_refused_naming_its_row(editor_a, body_a):
    """Once read as one long site name, the sensitive site below it silently became not sensitive."""
    data = b'name,address,postcode,kind,sensitive\nDover,1 High St,,custody,no\n"Ashford,2 Road,,custody,yes\n'
    with pytest.raises(ValidationError, match='Row 3 of the CSV file cannot be read'):
        actions.upload_import(editor_a, body_a, ImportBatch.Kind.SITES, 'sites.csv', data)
    assert not ImportBatch.objects.exists()


def test_discarding_from_the_preview_page_discards_and_imports_nothing(client_for, editor_a, body_a, register_a):
    batch = _upload(editor_a, body_a, [row(**GOOD)])
    before = _state()
    client = client_for(editor_a)
    url = reverse('register:import_discard', args=[batch.pk])
    assert f'href="{url}"' in client.get(batch.get_absolute_url()).content.decode()  # not a one-click form
    confirm = client.get(url).content.decode()
    assert 'Discard register.csv?' in confirm and 'cannot be imported' in confirm and 'Cancel' in confirm
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING
    response = client.post(url)
    assert response.status_code == 302 and response['Location'] == reverse('register:equipment_import')
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.DISCARDED
    assert _state() == before
    with pytest.raises(ValidationError, match='already been discarded'):
        actions.commit_import(editor_a, batch)


def test_the_file_is_read_once_from_upload_to_commit(editor_a, body_a, register_a, client_for, monkeypatch):
    from oversight.register import imports

    opened = []
    real = imports.open_upload
    monkeypatch.setattr(imports, 'open_upload', lambda *args: opened.append(1) or real(*args))
    batch = _upload(editor_a, body_a, [row(**GOOD, model=f'M{i}') for i in range(3)])
    preview = client_for(editor_a).get(batch.get_absolute_url()).content.decode()
    fingerprint = preview.split('name="fingerprint" value="')[1].split('"')[0]
    assert actions.commit_import(editor_a, batch, fingerprint) == {'create': 3, 'update': 0, 'unchanged': 0}
    assert len(opened) == 1  # checked at upload; the preview and the commit read the kept plan
    # One audit row per line, written in batches with the lines.
    lines = EquipmentLine.objects.filter(organisation=body_a)
    audited = ObjectChange.objects.filter(content_type__model='equipmentline', action=ObjectChange.Action.CREATE)
    assert sorted(audited.values_list('object_id', flat=True)) == sorted(
        str(pk) for pk in lines.values_list('pk', flat=True)
    )
    assert ImportBatch.objects.get(pk=batch.pk).planned_rows is None  # a finished import keeps only its counts


def test_a_register_changed_since_the_upload_is_checked_again(editor_a, body_a, register_a):
    batch = _upload(editor_a, body_a, [row(**GOOD | {'system': 'Door entry'})])
    assert read_batch(batch).first_errors[0].column == 'category'  # a new system needs its category
    actions.create_system(editor_a, body_a, name='Door entry', category='other')
    assert read_batch(ImportBatch.objects.get(pk=batch.pk)).problem_count == 0
    assert actions.commit_import(editor_a, batch)['create'] == 1


def test_the_preview_shows_a_page_of_rows_and_the_first_problems(editor_a, body_a, register_a, client_for, monkeypatch):
    from oversight.register import views

    monkeypatch.setattr(views.ImportPreviewView, 'per_page', 10)
    client = client_for(editor_a)
    batch = _upload(editor_a, body_a, [row(**GOOD, model=f'M{i:02d}') for i in range(25)])
    last = client.get(batch.get_absolute_url() + '?page=3').content.decode()
    assert 'rows 21 to 25 of 25' in last and 'Page 3 of 3' in last
    assert last.count('<td class="govuk-table__cell">Add</td>') == 5 and 'M24' in last and 'M19' not in last
    bad = _upload(editor_a, body_a, [row(**GOOD | {'quantity': '0'}, model=f'N{i}') for i in range(120)])
    page = client.get(bad.get_absolute_url()).content.decode()
    assert 'There are 120 problems' in page and 'the first 100 of 120' in page
    assert page.count('<td class="govuk-table__cell"><code>quantity</code></td>') == 100


def test_the_command_imports_as_the_page_does(editor_a, body_a, register_a, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / 'register.csv'
    path.write_bytes(sheet_bytes('csv', [row(**GOOD, model='A'), row(**GOOD, model='B')]))
    out = io.StringIO()
    call_command('import-register', body_a.slug, str(path), '--dry-run', stdout=out)
    assert 'would add 2' in out.getvalue() and not EquipmentLine.objects.exists()
    assert not ImportBatch.objects.exists()  # a dry run leaves no upload behind
    call_command('import-register', body_a.slug, str(path), stdout=out)
    assert EquipmentLine.objects.count() == 2
    assert ImportBatch.objects.get().status == ImportBatch.Status.COMMITTED

    bad = tmp_path / 'sites.csv'
    bad.write_text('name,address,postcode,kind,sensitive\nDover,,,nowhere,no\n,,,,\nDeal,,,,maybe\n')
    before, err = _state(), io.StringIO()
    with pytest.raises(CommandError, match='has 2 problems: nothing was imported') as raised:
        call_command('import-register', body_a.slug, str(bad), '--kind', 'sites', stderr=err)
    assert raised.value.returncode == 1
    assert 'row 2, kind:' in err.getvalue() and 'row 4, sensitive:' in err.getvalue()
    assert _state() == before and ImportBatch.objects.count() == 1


def test_the_command_names_an_unknown_body_and_an_unreadable_file(body_a, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match='no organisation with the slug "nobody"'):
        call_command('import-register', 'nobody', str(tmp_path / 'x.csv'))
    with pytest.raises(CommandError, match='Cannot read'):
        call_command('import-register', body_a.slug, str(tmp_path / 'missing.csv'))
    (tmp_path / 'x.pdf').write_bytes(b'%PDF')
    with pytest.raises(CommandError, match='Upload a .csv or .xlsx file'):
        call_command('import-register', body_a.slug, str(tmp_path / 'x.pdf'))
