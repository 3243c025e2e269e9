"""A body's editor uploads a network scan, sees what the register lacks, and adds a device to the register."""

import json
import re

import pytest
from playwright.sync_api import expect

from oversight.register.models import Category, EquipmentLine, Site, System

pytestmark = pytest.mark.browser


def scan_file(tmp_path):
    lines = [
        {'scan': {'scope': ['10.20.0.0/24'], 'tool': 'oversight discover'}},
        {
            'schema': 1,
            'address': '10.20.0.6',
            'state': 'up',
            'observed': {
                'manufacturer': 'Honeywell',
                'model': 'HEN28103',
                'firmware': '2.420.Honeywell 00.0.R, build: 2014-03-26',
                'mac': '90:02:A9:00:00:0C',
            },
        },
    ]
    path = tmp_path / 'scan.jsonl'
    path.write_text('\n'.join(json.dumps(line) for line in lines) + '\n', encoding='utf-8')
    return path


def test_an_editor_uploads_a_scan_and_adds_an_undeclared_device_to_the_register(sign_in, editor_a, body_a, tmp_path):
    Site.objects.create(organisation=body_a, name='Canterbury Custody Suite')
    System.objects.create(organisation=body_a, name='Custody CCTV', category=Category.INTERNAL_CCTV)
    page = sign_in(editor_a)

    page.get_by_role('link', name='Discovery').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Network discovery')
    page.get_by_role('link', name='Upload scan results').click()
    page.get_by_label('Scan results').set_input_files(str(scan_file(tmp_path)))
    page.get_by_role('button', name='Upload and compare').click()
    # Compared with the register by a background task, whose page links to the scan once done.
    expect(page.get_by_test_id('job-state')).to_have_text('Done')
    page.get_by_test_id('job-result-link').click()

    expect(page.get_by_test_id('undeclared-count')).to_have_text('1')
    expect(page.locator('#undeclared')).to_contain_text('On the network, not in the register')
    page.get_by_role('link', name='10.20.0.6').first.click()
    expect(page.get_by_test_id('maker')).to_contain_text('Dahua (for Honeywell)')
    expect(page.get_by_test_id('evidence')).to_contain_text('2.420.Honeywell')

    page.get_by_role('link', name='Add to the register').click()
    expect(page.get_by_label('Manufacturer (as declared)')).to_have_value('Honeywell')
    page.get_by_label('Site').select_option(label='Canterbury Custody Suite')
    page.get_by_label('System').select_option(label='Custody CCTV (Internal CCTV)')
    page.get_by_role('button', name='Add to the register').click()
    # How it is connected is the editor's to say: the form chose nothing.
    expect(page.get_by_role('link', name='Select how the device is connected to the network.')).to_be_visible()
    page.get_by_label('Network').select_option(label='Connected to the core network')
    page.get_by_role('button', name='Add to the register').click()

    expect(page).to_have_url(re.compile(r'/register/equipment/\d+/$'))
    expect(page.get_by_test_id('made-by')).to_contain_text('Dahua')
    expect(page.locator('#history').locator('..')).to_contain_text('Accepted from network scan')
    assert EquipmentLine.objects.get(organisation=body_a).mac_address == '90:02:A9:00:00:0C'
