"""`oversight discover --import`: nmap -sV XML read into the scanner's result shape and identified the same way."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from oversight.discovery import actions
from oversight.discovery.identify import DeviceIdentifier
from oversight.discovery.models import Scan
from oversight.discovery.nmap import NmapError, read_nmap

FIXTURE = Path(__file__).parent / 'data' / 'nmap-sv.xml'


def test_hosts_ports_macs_and_banners_are_read():
    meta, results = read_nmap(FIXTURE.read_bytes())
    assert meta.tool == 'nmap 7.93' and meta.scope == ['192.168.20.0/29']
    assert meta.started == '2024-03-12T09:14:02+00:00' and meta.finished == '2024-03-12T09:15:01+00:00'
    by_address = {r.address: r for r in results}
    assert by_address['192.168.20.1'].state == 'down'

    hikvision = by_address['192.168.20.2']
    assert hikvision.source == 'nmap' and hikvision.state == 'up'
    assert [s['port'] for s in hikvision.services] == [80, 443, 554, 8000]
    assert hikvision.observed['mac'] == 'C0:56:E3:4A:10:07'
    assert hikvision.observed['http_server'] == 'App-webs/'  # the http-server-header script
    assert hikvision.probes['nmap']['mac_vendor'] == 'Hangzhou Hikvision Digital Technology'
    assert 'model' not in hikvision.observed  # "ip_camera" in a CPE is a description, not a model

    # nmap did not recognise the Dahua services, but its fingerprint kept the device's own banners.
    dahua = by_address['192.168.20.3'].observed
    assert dahua['rtsp_server'] == 'Dahua Rtsp Server'
    assert dahua['www_authenticate'].startswith('Digest realm="Login to 5L03AB1PAZ77C21"')
    assert dahua['html_title'] == 'WEB SERVICE'

    axis = by_address['192.168.20.4'].observed
    assert (axis['manufacturer'], axis['model']) == ('axis', 'P3245-LVE')
    assert 8000 not in [s['port'] for s in by_address['192.168.20.4'].services]  # filtered is not open


def test_imported_hosts_are_identified_like_scanned_ones(db):
    identify = DeviceIdentifier()
    _, results = read_nmap(FIXTURE.read_bytes())
    makers = {r.address: identify(r.observed)['maker'] for r in results if r.state == 'up'}
    assert makers == {'192.168.20.2': 'Hikvision', '192.168.20.3': 'Dahua', '192.168.20.4': 'Axis'}


def test_an_nmap_file_can_be_uploaded_as_a_scan(body_a, editor_a):
    scan = actions.record_scan(editor_a, body_a, FIXTURE.read_bytes(), source=Scan.Source.FILE, filename='n.xml')
    assert scan.counts['hosts'] == 4 and scan.counts['up'] == 3
    assert scan.tool == 'nmap 7.93' and scan.scope == ['192.168.20.0/29']
    assert set(scan.devices.values_list('maker', flat=True)) == {'Hikvision', 'Dahua', 'Axis'}


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        (b'<html><body>not nmap</body></html>', 'not nmap output'),
        (b'<nmaprun><host>', 'not well-formed XML'),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><nmaprun>&b;</nmaprun>',
            'was refused',
        ),
    ],
)
def test_files_that_are_not_nmap_output_are_refused(content, message):
    with pytest.raises(NmapError, match=message):
        read_nmap(content)


def test_an_upload_that_is_not_nmap_says_so(body_a, editor_a):
    with pytest.raises(ValidationError, match='not nmap output'):
        actions.record_scan(editor_a, body_a, b'<svg/>', source=Scan.Source.FILE)


@pytest.mark.parametrize('port', ['http', '0', '70000', '9' * 5000, '²'])
def test_a_port_that_is_not_a_port_number_is_refused_naming_the_host(port):
    content = (
        '<nmaprun><host><address addr="127.0.0.1" addrtype="ipv4"/><ports>'
        f'<port protocol="tcp" portid="{port}"><state state="open"/></port></ports></host></nmaprun>'
    ).encode()
    with pytest.raises(NmapError, match='Host 127.0.0.1: port .* is not a port number'):
        read_nmap(content)
