import datetime

import pytest

from oversight.policy import catalogue
from oversight.policy.firmware import build_date, hikvision_version
from oversight.policy.vulnerabilities import Device, Status, current, match
from oversight.vendors.resolution import normalise

# The catalogue in use is in the database (policy migration 0002 loads the shipped one).
pytestmark = pytest.mark.django_db


def device(made_by: str, model: str = '', firmware: str = '', declared: str | None = None) -> Device:
    declared = made_by if declared is None else declared
    return Device(
        declared=frozenset(filter(None, [normalise(declared)])),
        made_by=normalise(made_by),
        made_by_name=made_by,
        label=f'{declared or made_by} {model}'.strip(),
        model=model,
        firmware=firmware,
    )


def status(cve: str, dev: Device):
    found = match(dev, current().get(cve))
    return found.status, found.reason


@pytest.mark.parametrize(
    ('text', 'version'),
    [
        ('V5.4.0 build 160530', (5, 4, 0, 160530)),
        ('v5.5.52 Build 190114', (5, 5, 52, 190114)),
        ('V5.3.0build 150513', (5, 3, 0, 150513)),
        ('2.800.0000000.16.R', None),
        ('', None),
    ],
)
def test_hikvision_versions(text, version):
    assert hikvision_version(text) == version


@pytest.mark.parametrize(
    ('text', 'date'),
    [
        ('2.800.0000000.29.R.210630', datetime.date(2021, 6, 30)),
        ('2.800.0000000.8.R.20241111', datetime.date(2024, 11, 11)),
        ('2.420.Dahua 00.15.R, build: 2016-01-23', datetime.date(2016, 1, 23)),
        ('V5.5.52 build 190114', datetime.date(2019, 1, 14)),
        ('2.800.0000000.29.R.219999', None),  # not a real date
        ('firmware please', None),
    ],
)
def test_build_dates(text, date):
    assert build_date(text) == date


def test_absurd_firmware_strings_are_unknown():
    # Only a bounded prefix is read, so a huge string is cheap and its tail is never taken for a date.
    assert build_date('9' * 5_000_000 + '.R.210630') is None
    assert hikvision_version('V' + '1.' * 2_000_000) is None
    assert build_date('\x00\xff binary junk \ufffd') is None


@pytest.mark.parametrize(
    ('firmware', 'expected'),
    [
        ('V5.2.0 build 140721', Status.AFFECTED),  # the range's first build
        ('V5.3.0 build 150513', Status.AFFECTED),
        ('V5.4.0 build 160530', Status.AFFECTED),  # the range's last build
        ('V5.4.0 build 160531', Status.NOT_AFFECTED),
        ('V5.4.5 build 170123', Status.NOT_AFFECTED),
        ('V5.1.6 build 140412', Status.NOT_AFFECTED),
        ('', Status.POSSIBLY),
        ('custom build', Status.POSSIBLY),
    ],
)
def test_cve_2017_7921_firmware_range(firmware, expected):
    found, reason = status('CVE-2017-7921', device('Hikvision', 'DS-2CD2032F-I', firmware))
    assert found == expected
    assert 'DS-2CD2xx2F-I Series' in reason


def test_cve_2017_7921_models_outside_the_families_and_unknown_models():
    assert (
        status('CVE-2017-7921', device('Hikvision', 'DS-2CD2143G0-I', 'V5.3.0 build 150513'))[0] == Status.NOT_AFFECTED
    )
    found, reason = status('CVE-2017-7921', device('Hikvision', '', 'V5.3.0 build 150513'))
    assert found == Status.POSSIBLY and 'model is not recorded' in reason
    # A different series with its own range: DS-2CD63xx ends at V5.3.5 build 160106.
    assert (
        status('CVE-2017-7921', device('Hikvision', 'DS-2CD6332FWD', 'V5.3.6 build 160201'))[0] == Status.NOT_AFFECTED
    )


def test_cve_2017_7921_is_marked_as_from_secondary_sources():
    vulnerability = current().get('CVE-2017-7921')
    assert vulnerability.secondary and vulnerability.sources
    assert vulnerability.date_added == datetime.date(2026, 3, 5)
    assert not current().get('CVE-2021-36260').secondary


def test_cve_2021_36260_is_honestly_only_possible_for_any_hikvision_camera():
    found, reason = status('CVE-2021-36260', device('Hikvision', 'DS-2CD2143G0-I', 'V5.7.3 build 220112'))
    assert found == Status.POSSIBLY
    assert 'names the affected models or a fixed firmware build' in reason


def test_a_maker_the_entry_does_not_concern_is_not_affected():
    axis = device('Axis', 'P3245-LVE', '10.12.114')
    found, reason = status('CVE-2021-36260', axis)
    assert found == Status.NOT_AFFECTED and 'concerns Hikvision products' in reason
    assert current().matches(axis) == []


@pytest.mark.parametrize(
    ('cve', 'firmware', 'expected'),
    [
        ('CVE-2021-33044', '2.800.0000000.16.R.200820', Status.AFFECTED),  # built Aug 2020, before Jun 2021
        ('CVE-2021-33044', '2.800.0000000.29.R.210630', Status.NOT_AFFECTED),
        ('CVE-2021-33045', '2.800.0000000.16.R.200820', Status.NOT_AFFECTED),  # IPC cut-off is May 2020
        ('CVE-2021-33045', '2.622.0000000.31.R.190417', Status.AFFECTED),
        ('CVE-2021-33044', '2.800.0000000.16.R', Status.POSSIBLY),  # no build date to compare
    ],
)
def test_dahua_families_and_build_dates(cve, firmware, expected):
    assert status(cve, device('Dahua', 'IPC-HFW3241E-AS', firmware))[0] == expected


def test_dahua_family_names_read_as_published():
    assert status('CVE-2021-33044', device('Dahua', 'DH-IPC-HDBW5442R-ASE', '2020-03-01'))[0] == Status.AFFECTED
    assert status('CVE-2021-33044', device('Dahua', 'IPC-HFW1230S', '2020-03-01'))[0] == Status.NOT_AFFECTED
    assert status('CVE-2021-33045', device('Dahua', 'NVR5216-4KS2', '2019-06-01'))[0] == Status.AFFECTED


def test_relabelled_products_match_dahua_entries_only_where_the_data_lists_the_model():
    lorex = device('Dahua', 'LNB4321', '2.800.0000000.16.R.200820', declared='Lorex')
    found, reason = status('CVE-2021-33044', lorex)
    assert found == Status.NOT_AFFECTED
    assert 'only by the model numbers the record lists' in reason
    # A relabel carrying a listed Dahua model number is matched through it.
    honeywell = device('Dahua', 'IPC-HFW3241E-AS', '2.800.0000000.16.R.200820', declared='Honeywell')
    found, reason = status('CVE-2021-33044', honeywell)
    assert found == Status.AFFECTED and 'sold under another name' in reason
    # An entry naming no models says nothing of relabels: not matched, and the reason says so.
    lts = device('Hikvision', 'CMIP8242WB', 'V5.5.0 build 180111', declared='LTS')
    found, reason = status('CVE-2021-36260', lts)
    assert found == Status.NOT_AFFECTED and 'does not say relabelled products are affected' in reason


def test_an_amcrest_entry_concerns_amcrest_lines_not_dahua_ones():
    amcrest = device('Dahua', 'IP2M-841', '', declared='Amcrest')
    assert [m.vulnerability.cve for m in current().matches(amcrest)] == ['CVE-2020-5735']
    assert current().matches(amcrest)[0].status == Status.POSSIBLY
    dahua = device('Dahua', 'IPC-HFW1230S', '')
    assert 'CVE-2020-5735' not in [m.vulnerability.cve for m in current().matches(dahua)]


def test_end_of_life_products_are_affected_in_every_version():
    found, reason = status('CVE-2022-23227', device('Nuuo', 'NVRmini2', '03.11.0000.0005', declared='NUUO'))
    assert found == Status.AFFECTED and 'every version' in reason


def test_entries_without_a_matching_rule_are_matched_by_vendor_only():
    found = current().matches(device('GeoVision', 'GV-EBL2101', '1.0'))
    assert {m.vulnerability.cve for m in found} == {'CVE-2024-11120', 'CVE-2024-6047'}
    assert {m.status for m in found} == {Status.POSSIBLY}


def test_the_stored_catalogue_is_valid_and_every_rule_has_its_entry():
    document = catalogue.stored()
    catalogue.validate(document)
    assert document['count'] == len(document['vulnerabilities'])
    present = {e['cveID'] for e in [*document['vulnerabilities'], *document['additions']]}
    for rule in catalogue.matching_data()['rules']:
        assert rule['cveID'] in present
        assert rule['source_url'].startswith('https://')
    for addition in document['additions']:
        assert addition['provenance'] == 'secondary' and addition['sources']
