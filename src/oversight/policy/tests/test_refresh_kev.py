import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from oversight.policy import catalogue


def entry(cve: str, vendor: str, product: str, name: str = '', **fields) -> dict:
    return {
        'cveID': cve,
        'vendorProject': vendor,
        'product': product,
        'vulnerabilityName': name or f'{vendor} {product} Vulnerability',
        'dateAdded': '2025-09-01',
        'shortDescription': 'Something exploitable.',
        'requiredAction': 'Apply mitigations per vendor instructions.',
        'dueDate': '2025-09-22',
        'knownRansomwareCampaignUse': 'Unknown',
        'notes': '',
        'cwes': ['CWE-78'],
        **fields,
    }


def catalogue_file(tmp_path, entries, **top) -> str:
    document = {
        'title': 'CISA Catalog of Known Exploited Vulnerabilities',
        'catalogVersion': '2025.09.01',
        'dateReleased': '2025-09-01T12:00:00.000Z',
        'count': len(entries),
        'vulnerabilities': entries,
        **top,
    }
    path = tmp_path / 'known_exploited_vulnerabilities.json'
    path.write_text(json.dumps(document), encoding='utf-8')
    return str(path)


@pytest.fixture
def output(tmp_path):
    """A copy of the shipped data file, so the tests never touch the real one."""
    path = tmp_path / 'kev.json'
    shutil.copy(catalogue.KEV_FILE, path)
    return path


def refresh(source, output) -> str:
    printed = io.StringIO()
    call_command('refresh-kev', source, output=str(output), stdout=printed)
    return printed.getvalue()


def test_refresh_keeps_surveillance_entries_and_carries_secondary_additions(tmp_path, output):
    source = catalogue_file(
        tmp_path,
        [
            entry('CVE-2025-0001', 'Hikvision', 'Multiple Products'),
            entry('CVE-2025-0002', 'Microsoft', 'Windows', 'Microsoft Windows Privilege Escalation'),
            entry('CVE-2025-0003', 'D-Link', 'DIR-859 Router'),
            entry('CVE-2025-0004', 'Zyxel', 'NVR Series'),
            entry('CVE-2025-0005', 'D-Link', 'DCS-8000LH Devices'),
        ],
    )
    printed = refresh(source, output)
    written = json.loads(output.read_text())
    assert [e['cveID'] for e in written['vulnerabilities']] == ['CVE-2025-0001', 'CVE-2025-0004', 'CVE-2025-0005']
    assert written['vulnerabilities'][0] == entry('CVE-2025-0001', 'Hikvision', 'Multiple Products')  # unmodified
    assert written['count'] == 3 and written['catalogVersion'] == '2025.09.01'
    assert [a['cveID'] for a in written['additions']] == ['CVE-2017-7921']
    assert 'Wrote 3 entries from catalogue version 2025.09.01' in printed
    assert 'Matched by vendor only' in printed and 'CVE-2025-0001' in printed


def test_an_addition_confirmed_by_the_catalogue_leaves_the_secondary_list(tmp_path, output):
    source = catalogue_file(tmp_path, [entry('CVE-2017-7921', 'Hikvision', 'Multiple Products')])
    refresh(source, output)
    written = json.loads(output.read_text())
    assert written['additions'] == []
    assert written['vulnerabilities'][0]['cveID'] == 'CVE-2017-7921'
    assert 'provenance' not in written['vulnerabilities'][0]


def test_refreshing_from_the_shipped_entries_reproduces_the_shipped_file(tmp_path, output):
    shipped = json.loads(catalogue.KEV_FILE.read_text())
    source = catalogue_file(
        tmp_path,
        shipped['vulnerabilities'],
        catalogVersion=shipped['catalogVersion'],
        dateReleased=shipped['dateReleased'],
    )
    refresh(source, output)
    assert output.read_bytes() == catalogue.KEV_FILE.read_bytes()


def _refused(source, output, message):
    before = output.read_bytes()
    with pytest.raises(CommandError, match=message):
        refresh(source, output)
    assert output.read_bytes() == before
    assert [p.name for p in output.parent.iterdir() if p.name.startswith('.kev-')] == []


def test_a_file_that_is_not_json_changes_nothing(tmp_path, output):
    source = tmp_path / 'kev.csv'
    source.write_text('cveID,vendorProject\nCVE-2025-0001,Hikvision\n')
    _refused(str(source), output, r'The file is not JSON: Expecting value at line 1, column 1')


def test_binary_junk_changes_nothing(tmp_path, output):
    source = tmp_path / 'junk.json'
    source.write_bytes(b'\xff\xfe\x00\x01' * 100)
    _refused(str(source), output, 'not UTF-8 text')


def test_a_missing_file_is_named(tmp_path, output):
    _refused(str(tmp_path / 'nowhere.json'), output, 'nowhere.json cannot be read')


@pytest.mark.parametrize(
    ('document', 'message'),
    [
        ([], 'expected a JSON object with "vulnerabilities"'),
        ({'catalogVersion': '1', 'dateReleased': 'x'}, '"vulnerabilities" is missing or not a list'),
        ({'vulnerabilities': []}, '"catalogVersion" is missing'),
    ],
)
def test_a_document_of_the_wrong_shape_changes_nothing(tmp_path, output, document, message):
    source = tmp_path / 'wrong.json'
    source.write_text(json.dumps(document))
    _refused(str(source), output, message)


def test_bad_entries_are_each_named(tmp_path, output):
    good = entry('CVE-2025-0001', 'Hikvision', 'Cameras')
    source = catalogue_file(
        tmp_path,
        [
            good,
            {**good, 'cveID': 'CVE-2025-0002', 'dateAdded': '01/09/2025'},
            {key: value for key, value in good.items() if key != 'product'} | {'cveID': 'CVE-2025-0003'},
            'not an entry',
            good,
        ],
    )
    with pytest.raises(CommandError) as raised:
        refresh(source, output)
    message = str(raised.value)
    assert 'vulnerabilities[1] (CVE-2025-0002): "dateAdded" \'01/09/2025\' is not a date' in message
    assert 'vulnerabilities[2] (CVE-2025-0003): "product" is missing or not text' in message
    assert 'vulnerabilities[3] is not an object' in message
    assert 'vulnerabilities[4] (CVE-2025-0001): CVE-2025-0001 appears more than once' in message


def test_a_count_that_disagrees_is_refused(tmp_path, output):
    source = catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Cameras')], count=2)
    _refused(source, output, '"count" says 2 but the file holds 1')
