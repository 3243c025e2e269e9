import functools
import hashlib
import http.server
import io
import json
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from oversight.core.models import ObjectChange
from oversight.policy import catalogue
from oversight.policy.actions import replace_kev_catalogue
from oversight.policy.evaluation import revision
from oversight.policy.models import KevEntry
from oversight.policy.vulnerabilities import current

PACKAGE = Path(catalogue.__file__).resolve().parent.parent
SHIPPED = PACKAGE / 'policy' / 'migrations' / 'initial_data' / 'kev.json'
# The catalogue in use is in the database, loaded there by policy's migration 0002.
pytestmark = pytest.mark.django_db


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


def refresh(source) -> str:
    printed = io.StringIO()
    call_command('refresh-kev', str(source), stdout=printed)
    return printed.getvalue()


def test_refresh_keeps_surveillance_entries_and_carries_secondary_additions(tmp_path):
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
    printed = refresh(source)
    stored = catalogue.stored()
    assert [e['cveID'] for e in stored['vulnerabilities']] == ['CVE-2025-0001', 'CVE-2025-0004', 'CVE-2025-0005']
    assert stored['vulnerabilities'][0] == entry('CVE-2025-0001', 'Hikvision', 'Multiple Products')  # unmodified
    assert stored['count'] == 3 and stored['catalogVersion'] == '2025.09.01'
    assert [a['cveID'] for a in stored['additions']] == ['CVE-2017-7921']
    assert 'Stored 3 entries from catalogue version 2025.09.01' in printed
    assert 'Matched by vendor only' in printed and 'CVE-2025-0001' in printed


def test_each_entry_carries_its_source(tmp_path):
    refresh(catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Multiple Products')]))
    sources = dict(KevEntry.objects.values_list('cve', 'source'))
    assert sources['CVE-2025-0001'].startswith('CISA Known Exploited Vulnerabilities catalogue (https://www.cisa.gov')
    assert sources['CVE-2025-0001'].endswith('; catalogue version 2025.09.01')
    assert sources['CVE-2017-7921'].startswith("Secondary sources, not yet confirmed in CISA's catalogue: https://")


def test_an_addition_confirmed_by_the_catalogue_leaves_the_secondary_list(tmp_path):
    refresh(catalogue_file(tmp_path, [entry('CVE-2017-7921', 'Hikvision', 'Multiple Products')]))
    stored = catalogue.stored()
    assert stored['additions'] == []
    assert stored['vulnerabilities'][0]['cveID'] == 'CVE-2017-7921'
    assert 'provenance' not in stored['vulnerabilities'][0]


def test_refreshing_from_the_shipped_entries_stores_the_shipped_catalogue_again(tmp_path):
    shipped = json.loads(SHIPPED.read_text())
    source = catalogue_file(
        tmp_path,
        shipped['vulnerabilities'],
        catalogVersion=shipped['catalogVersion'],
        dateReleased=shipped['dateReleased'],
    )
    before = catalogue.stored()
    refresh(source)
    assert catalogue.stored() == before == shipped


def test_a_refresh_writes_nothing_in_the_installed_package(tmp_path):
    """The package may be read-only (an image, a shared install): every file in it is as it was."""

    def files():
        return {
            path: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in PACKAGE.rglob('*')
            if path.is_file() and '__pycache__' not in path.parts
        }

    before = files()
    refresh(catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Multiple Products')]))
    assert files() == before


def test_every_process_sees_a_refresh_from_its_next_request(tmp_path):
    """A refresh on another node changes only the database; this process notices by the stored revision."""
    held = current()
    assert current() is held  # built once, then kept
    document = catalogue.prepare(catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Cameras')]))
    replace_kev_catalogue(None, document)  # what `refresh-kev` on another node does: no cache of ours is told
    assert current() is not held
    assert [v.cve for v in current().vulnerabilities] == ['CVE-2025-0001', 'CVE-2017-7921']


def test_a_refresh_is_audited_and_makes_kept_policy_evaluations_stale(tmp_path, body_a):
    before = revision(body_a)
    refresh(catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Cameras')]))
    change = ObjectChange.objects.latest('pk')
    assert change.message == 'Refreshed the KEV catalogue to version 2025.09.01' and change.organisation is None
    assert change.before['entries'] == 19 and change.after['entries'] == 2
    assert revision(body_a) != before


def test_only_regulator_staff_may_replace_the_catalogue(tmp_path, editor_a, regulator):
    document = catalogue.prepare(catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Cameras')]))
    with pytest.raises(PermissionDenied):
        replace_kev_catalogue(editor_a, document)
    assert replace_kev_catalogue(regulator, document).catalogue_version == '2025.09.01'


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_catalogue_can_come_from_an_address(tmp_path):
    """CISA's feed is an https address; here a server on loopback stands in for it (no download in tests)."""
    catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Cameras')])
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    with http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            refresh(f'http://127.0.0.1:{server.server_port}/known_exploited_vulnerabilities.json')
            with pytest.raises(CommandError, match=r'nowhere.json cannot be fetched: the server answered HTTP 404'):
                refresh(f'http://127.0.0.1:{server.server_port}/nowhere.json')
        finally:
            server.shutdown()
    assert catalogue.stored()['catalogVersion'] == '2025.09.01'


def _refused(source, message):
    before = catalogue.stored()
    with pytest.raises(CommandError, match=message):
        refresh(source)
    assert catalogue.stored() == before
    assert not ObjectChange.objects.exists()


def test_a_file_that_is_not_json_changes_nothing(tmp_path):
    source = tmp_path / 'kev.csv'
    source.write_text('cveID,vendorProject\nCVE-2025-0001,Hikvision\n')
    _refused(str(source), r'The file is not JSON: Expecting value at line 1, column 1')


def test_binary_junk_changes_nothing(tmp_path):
    source = tmp_path / 'junk.json'
    source.write_bytes(b'\xff\xfe\x00\x01' * 100)
    _refused(str(source), 'not UTF-8 text')


def test_a_missing_file_is_named(tmp_path):
    _refused(str(tmp_path / 'nowhere.json'), 'nowhere.json cannot be read')


@pytest.mark.parametrize(
    ('document', 'message'),
    [
        ([], 'expected a JSON object with "vulnerabilities"'),
        ({'catalogVersion': '1', 'dateReleased': 'x'}, '"vulnerabilities" is missing or not a list'),
        ({'vulnerabilities': []}, '"catalogVersion" is missing'),
    ],
)
def test_a_document_of_the_wrong_shape_changes_nothing(tmp_path, document, message):
    source = tmp_path / 'wrong.json'
    source.write_text(json.dumps(document))
    _refused(str(source), message)


def test_bad_entries_are_each_named(tmp_path):
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
        refresh(source)
    message = str(raised.value)
    assert 'vulnerabilities[1] (CVE-2025-0002): "dateAdded" \'01/09/2025\' is not a date' in message
    assert 'vulnerabilities[2] (CVE-2025-0003): "product" is missing or not text' in message
    assert 'vulnerabilities[3] is not an object' in message
    assert 'vulnerabilities[4] (CVE-2025-0001): CVE-2025-0001 appears more than once' in message


def test_a_count_that_disagrees_is_refused(tmp_path):
    source = catalogue_file(tmp_path, [entry('CVE-2025-0001', 'Hikvision', 'Cameras')], count=2)
    _refused(source, '"count" says 2 but the file holds 1')
