import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from oversight.core.exports import FORMULA_PREFIXES
from oversight.register import actions
from oversight.register.imports import EquipmentImporter, SiteImporter, read_batch
from oversight.register.models import EquipmentLine, ImportBatch

from .sheets import read_xlsx


@pytest.fixture
def lines_a(editor_a, body_a, register_a):
    common = {'site': register_a.site, 'system': register_a.system}
    return [
        actions.create_line(
            editor_a,
            body_a,
            **common,
            manufacturer_declared='Honeywell',
            brand='Performance',
            model='=HYPERLINK("http://evil.example","click")',
            firmware='2.420.Honeywell 00.0.R',
            serial_number='000123',
            mac_address='90:02:A9:01:02:03',
            ip_address='2001:db8::1',
            quantity=12,
            installed_on=datetime.date(2019, 5, 1),
            next_upgrade=datetime.date(2027, 3, 31),
            audio=True,
            thermal=True,
            network=EquipmentLine.Network.CORE,
            notes='Replaced in 2021, after a fault;\n"see" ticket 42, and 43',
        ),
        actions.create_line(
            editor_a, body_a, **common, manufacturer_declared='-Unknown maker', model='+44 unit', quantity=1
        ),
        actions.create_line(
            editor_a, body_a, **common, manufacturer_declared='Axis', model='@risk', ip_address='10.0.0.7', quantity=3
        ),
    ]


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_an_export_reimports_with_no_changes(client_for, editor_a, body_a, lines_a, fmt):
    response = client_for(editor_a).get(reverse('register:equipment_list'), {'export': fmt})
    assert response.status_code == 200
    batch = actions.upload_import(editor_a, body_a, ImportBatch.Kind.EQUIPMENT, f'export.{fmt}', response.content)
    plan = read_batch(batch)
    assert plan.errors == []
    assert [(r.action, r.changes) for r in plan.rows] == [('unchanged', {})] * 3
    assert plan.to_write == 0


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_the_export_has_exactly_the_import_columns_and_is_formula_safe(client_for, editor_a, lines_a, fmt):
    content = client_for(editor_a).get(reverse('register:equipment_list'), {'export': fmt}).content
    if fmt == 'xlsx':
        rows = read_xlsx(content)
    else:
        import csv
        import io

        rows = list(csv.reader(io.StringIO(content.decode())))
    assert tuple(rows[0]) == EquipmentImporter.columns
    cells = [str(cell) for data in rows[1:] for cell in data if cell is not None]
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells


def test_sites_export_reimports_with_no_changes(client_for, editor_a, body_a, register_a):
    actions.create_site(editor_a, body_a, name='=Dover, east', address='1 Sea Road,\nDover', sensitive=False)
    response = client_for(editor_a).get(reverse('register:site_list'), {'export': 'xlsx'})
    assert tuple(read_xlsx(response.content)[0]) == SiteImporter.columns
    batch = actions.upload_import(editor_a, body_a, ImportBatch.Kind.SITES, 'sites.xlsx', response.content)
    plan = read_batch(batch)
    assert plan.errors == [] and plan.counts == {'create': 0, 'update': 0, 'unchanged': 2}


@pytest.mark.parametrize(('kind', 'importer'), [('equipment', EquipmentImporter), ('site', SiteImporter)])
@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_blank_templates_have_exactly_the_import_columns(client_for, viewer_a, kind, importer, fmt):
    response = client_for(viewer_a).get(reverse(f'register:{kind}_import_template', args=[fmt]))
    assert response.status_code == 200
    header = read_xlsx(response.content)[0] if fmt == 'xlsx' else response.content.decode().strip().split(',')
    assert tuple(header) == importer.columns


@pytest.mark.parametrize('who', ['editor_a', 'regulator'])
def test_an_export_feeds_oversight_identify_unchanged(request, client_for, lines_a, tmp_path, who):
    """The register's own columns (mac_address, site, quantity …) are what `identify` reads or reads past."""
    content = client_for(request.getfixturevalue(who)).get(reverse('register:equipment_list'), {'export': 'csv'})
    path = tmp_path / 'register.csv'
    path.write_bytes(content.content)
    out = io.StringIO()
    call_command('identify', str(path), stdout=out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    by_maker = {a['maker']: a for a in answers}
    assert len(answers) == 3 and {m: a['concern'] for m, a in by_maker.items()} == {
        'Dahua': True,
        None: None,
        'Axis': False,
    }
    assert any('MAC address is in block 90:02:A9' in line for line in by_maker['Dahua']['evidence'])
