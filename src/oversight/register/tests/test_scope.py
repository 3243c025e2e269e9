"""A body sees only its own register, by every surface; the regulator sees every body's."""

import pytest
from django.urls import reverse

from oversight.register import actions
from oversight.register.forms import EquipmentLineForm
from oversight.register.models import EquipmentLine, ImportBatch

from .sheets import row, sheet_bytes


@pytest.fixture
def a_objects(editor_a, body_a, register_a, reference):
    line = actions.create_line(
        editor_a, body_a, site=register_a.site, system=register_a.system, manufacturer_declared='Hikvision',
        model='DS-2CD2143G2-I', quantity=40,
    )  # fmt: skip
    batch = actions.upload_import(
        editor_a, body_a, ImportBatch.Kind.EQUIPMENT, 'kent.csv', sheet_bytes('csv', [row(site='Maidstone HQ')])
    )
    return {'line': line, 'site': register_a.site, 'system': register_a.system, 'batch': batch}


@pytest.fixture
def b_line(editor_b, body_b, register_b):
    return actions.create_line(
        editor_b, body_b, site=register_b.site, system=register_b.system, manufacturer_declared='Axis', quantity=3
    )


def _urls(objects):
    line, site, system, batch = objects['line'], objects['site'], objects['system'], objects['batch']
    return [
        reverse('register:equipment_detail', args=[line.pk]),
        reverse('register:equipment_edit', args=[line.pk]),
        reverse('register:equipment_delete', args=[line.pk]),
        reverse('register:site_detail', args=[site.pk]),
        reverse('register:site_edit', args=[site.pk]),
        reverse('register:site_delete', args=[site.pk]),
        reverse('register:system_detail', args=[system.pk]),
        reverse('register:system_edit', args=[system.pk]),
        reverse('register:system_delete', args=[system.pk]),
        reverse('register:import_preview', args=[batch.pk]),
    ]


def test_another_bodys_objects_are_404_by_every_url(client_for, editor_b, a_objects):
    client = client_for(editor_b)
    for url in _urls(a_objects):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {'version': 1}).status_code in (404, 405), url
    for name in ('import_commit', 'import_discard'):
        assert client.post(reverse(f'register:{name}', args=[a_objects['batch'].pk])).status_code == 404
    assert ImportBatch.objects.get().status == ImportBatch.Status.PENDING
    assert EquipmentLine.objects.filter(pk=a_objects['line'].pk).exists()


def test_lists_counts_and_exports_hold_only_the_bodys_rows(client_for, editor_b, a_objects, b_line):
    client = client_for(editor_b)
    for name in ('equipment_list', 'site_list', 'system_list'):
        page = client.get(reverse(f'register:{name}')).content.decode()
        assert 'Maidstone' not in page and 'Custody CCTV' not in page and 'Hikvision' not in page, name
        for fmt in ('csv', 'xlsx'):
            content = client.get(reverse(f'register:{name}'), {'export': fmt}).content
            assert b'Maidstone' not in content and b'Custody CCTV' not in content, (name, fmt)
    home = client.get(reverse('core:home')).content.decode()
    assert 'data-testid="device-count">3<' in home
    upload = client.get(reverse('register:equipment_import')).content.decode()
    assert 'kent.csv' not in upload


def test_dropdowns_offer_only_the_bodys_sites_and_systems(editor_b, a_objects, register_b):
    form = EquipmentLineForm(user=editor_b)
    assert list(form.fields['site'].queryset) == [register_b.site]
    assert list(form.fields['system'].queryset) == [register_b.system]


def test_a_posted_site_of_another_body_is_refused(client_for, editor_b, a_objects, register_b):
    data = {'site': a_objects['site'].pk, 'system': register_b.system.pk, 'manufacturer_declared': 'Axis'}
    response = client_for(editor_b).post(reverse('register:equipment_create'), data | {'quantity': 1})
    assert response.status_code == 200
    assert 'Select a valid choice' in response.content.decode()
    assert not EquipmentLine.objects.filter(organisation=register_b.site.organisation).exists()


def test_filter_choices_leak_nothing(client_for, editor_b, a_objects, b_line):
    page = client_for(editor_b).get(reverse('register:equipment_list')).content.decode()
    assert 'Hikvision' not in page  # not even as a "made by" choice
    assert 'name="organisation"' not in page


def test_the_regulator_sees_every_body_with_an_organisation_filter_and_column(client_for, regulator, a_objects, b_line):
    client = client_for(regulator)
    page = client.get(reverse('register:equipment_list')).content.decode()
    assert 'Kent Police' in page and 'Essex Police' in page and 'name="organisation"' in page
    only_essex = client.get(reverse('register:equipment_list'), {'organisation': b_line.organisation_id})
    assert 'DS-2CD2143G2-I' not in only_essex.content.decode()
    export = client.get(reverse('register:equipment_list'), {'export': 'csv'}).content.decode()
    assert export.startswith('organisation,id,site,') and 'Kent Police' in export and 'Essex Police' in export
    assert client.get(reverse('register:equipment_detail', args=[a_objects['line'].pk])).status_code == 200
