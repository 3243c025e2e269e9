"""The scanner against the emulated fleet: every protocol, relabels, misbehaving devices, credentials, limits."""

import asyncio
import concurrent.futures
import json

import pytest

from oversight.discovery.fleet import FLEET_PASSWORD, FLEET_USERNAME
from oversight.discovery.fleet.catalogue import address_in
from oversight.discovery.identify import DeviceIdentifier
from oversight.discovery.scanner import engine
from oversight.discovery.scanner.engine import ScanOptions
from oversight.discovery.scanner.http import _same_origin_path
from oversight.discovery.scanner.neighbours import parse_ip_neigh, parse_proc_arp
from oversight.discovery.scanner.onvif import Credentials
from oversight.discovery.scanner.ports import parse_ports
from oversight.discovery.scanner.wsd import device_service_urls


@pytest.fixture(scope='module')
def results(fleet_scan):
    lines = [json.loads(line) for line in fleet_scan.splitlines()]
    return {line['address']: line for line in lines if 'address' in line}


def host(results, fleet, number):
    return results[address_in(fleet.network, number)]


def run(fleet, addresses, **options):
    found = []
    settings = {
        'ports': parse_ports(fleet.ports.scan_option()),
        'probe_timeout': 1.0,
        'timeout': 8.0,
        'neighbours': None,
    }
    engine.run(addresses, ScanOptions(**{**settings, **options}), found.append)
    return {r.address: r for r in found}


def test_every_protocol_shows_part_of_a_hikvision_camera(results, fleet):
    camera = host(results, fleet, 10)
    assert camera['state'] == 'up' and camera['errors'] == []
    observed = camera['observed']
    assert observed['manufacturer'] == 'HIKVISION' and observed['model'] == 'DS-2CD2143G2-I'
    assert observed['firmware'] == 'V5.7.3 build 220112'
    assert observed['http_server'] == 'App-webs/'  # after following the redirect to the login page
    assert observed['html_title'] == 'Login'
    assert observed['www_authenticate'].startswith('Digest realm="IP Camera(')  # from RTSP DESCRIBE
    assert observed['mac'] == 'C0:56:E3:00:00:0A'
    assert any('hangzhou' in scope for scope in observed['onvif_scopes'])
    assert (
        camera['sources']['firmware'] == 'onvif' and camera['probes']['sadp:37020']['firmware'] == 'V5.7.3build 220112'
    )
    ports = {(s['port'], s['protocol']) for s in camera['services']}
    assert {(fleet.ports.sdk, 'tcp'), (fleet.ports.sadp, 'sadp'), (fleet.ports.wsd, 'wsd')} <= ports


def test_a_dahua_made_relabel_keeps_its_makers_firmware_protocols_and_realm(results, fleet):
    honeywell = host(results, fleet, 12)['observed']
    assert honeywell['manufacturer'] == 'Honeywell'
    assert honeywell['firmware'] == '2.420.Honeywell 00.0.R, build: 2014-03-26'
    assert honeywell['rtsp_server'] == 'Dahua Rtsp Server'
    assert 'Login to ' in honeywell['www_authenticate']
    assert host(results, fleet, 12)['probes']['dhip:37810']['model'] == 'HEN28103'


@pytest.mark.parametrize(
    ('number', 'probe', 'message'),
    [
        (30, 'wsd:3702', 'not well-formed XML'),
        (30, 'onvif', 'not well-formed XML'),
        (31, 'http:', 'in the middle of the HTTP headers'),
        (32, 'rtsp:', 'RTSP headers longer than 16 KiB'),
        (32, 'onvif', 'longer than 64 KiB'),
        (33, 'http:', 'no HTTP reply within'),
        (33, 'rtsp:', 'no RTSP reply within'),
    ],
)
def test_misbehaving_devices_give_per_host_errors(results, fleet, number, probe, message):
    errors = host(results, fleet, number)['errors']
    assert any(e['probe'].startswith(probe) and message in e['message'] for e in errors), errors


def test_the_scan_completes_every_host_within_its_time_outs(results, fleet):
    expected = {d.address for d in fleet.devices} | {address_in(fleet.network, n) for n in (40, 41)}
    assert set(results) == expected
    # Each host is bounded by its deadline (8 s here), however the device behaves.
    assert max(r['elapsed'] for r in results.values()) <= 8.0
    assert host(results, fleet, 40)['state'] == 'down'


@pytest.mark.django_db
def test_scanned_devices_are_identified_through_relabels(results, fleet):
    identify = DeviceIdentifier()
    makers = {n: identify(host(results, fleet, n)['observed'])['maker'] for n in (10, 11, 12, 13, 14, 15, 22, 23)}
    assert makers == {
        10: 'Hikvision',
        11: 'Axis',
        12: 'Dahua',
        13: 'Hikvision',
        14: 'Dahua',
        15: 'Bosch',
        22: 'Uniview',
        23: 'Dahua',
    }


def test_without_credentials_devices_that_need_them_are_noted_and_still_identified_by_discovery(fleet):
    found = run(fleet, [address_in(fleet.network, 12)])
    honeywell = next(iter(found.values()))
    assert any('needs credentials' in note['message'] for note in honeywell.notes)
    assert 'manufacturer' not in honeywell.observed
    assert honeywell.observed['firmware'] == '2.420.Honeywell 00.0.R'  # from DHIP, which needs none
    assert honeywell.errors == []


def test_wrong_credentials_are_tried_once_and_reported(fleet):
    found = run(fleet, [address_in(fleet.network, 14)], credentials=Credentials(FLEET_USERNAME, 'not-the-password'))
    errors = next(iter(found.values())).errors
    assert errors == [
        {
            'probe': 'onvif',
            'message': 'the credentials given for this scan were refused '
            f'(http://{address_in(fleet.network, 14)}:{fleet.ports.http}/onvif/device_service)',
        }
    ]
    right = run(fleet, [address_in(fleet.network, 14)], credentials=Credentials(FLEET_USERNAME, FLEET_PASSWORD))
    assert next(iter(right.values())).probes['onvif']['authenticated'] is True


def test_no_more_hosts_than_the_concurrency_are_scanned_at_once(monkeypatch):
    running, peak = 0, 0

    async def fake_host(address, options):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1
        return engine.HostResult(address=address)

    monkeypatch.setattr(engine, 'scan_host', fake_host)
    options = ScanOptions(ports=parse_ports('80/tcp'), concurrency=3, rate=1_000_000, neighbours=None)
    done = []
    assert engine.run([f'10.0.0.{n}' for n in range(1, 21)], options, done.append) == 20
    assert peak == 3 and len(done) == 20


def test_the_rate_limiter_reserves_each_hosts_probes():
    async def reserve():
        limiter = engine.RateLimiter(100)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for _ in range(3):
            await limiter.acquire(2)
        return limiter.next_free - start

    # Three hosts of two probes at 100 a second reserve 60 ms of sending, whenever they run.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a thread of its own: see engine.run
        assert pool.submit(asyncio.run, reserve()).result() == pytest.approx(0.06, abs=0.01)


def test_only_the_target_itself_is_ever_contacted():
    # A device may advertise, or redirect to, other addresses: those are never followed.
    urls = ['http://10.0.0.9/onvif/device_service', 'http://10.0.0.8:8080/onvif/device_service', 'ftp://10.0.0.8/x']
    assert device_service_urls(urls, '10.0.0.8') == ['http://10.0.0.8:8080/onvif/device_service']
    assert _same_origin_path('/doc/page/login.asp', '10.0.0.8', 80) == '/doc/page/login.asp'
    assert _same_origin_path('http://10.0.0.8/login?x=1', '10.0.0.8', 80) == '/login?x=1'
    assert _same_origin_path('http://10.0.0.9/login', '10.0.0.8', 80) is None
    assert _same_origin_path('https://10.0.0.8/login', '10.0.0.8', 80) is None


def test_the_neighbour_table_gives_complete_entries_only():
    arp = (
        'IP address       HW type     Flags       HW address            Mask     Device\n'
        '10.20.0.5        0x1         0x2         44:19:b6:01:02:03     *        eth0\n'
        '10.20.0.6        0x1         0x0         00:00:00:00:00:00     *        eth0\n'
    )
    assert parse_proc_arp(arp) == {'10.20.0.5': '44:19:B6:01:02:03'}
    neigh = 'fd00::5 dev eth0 lladdr 90:02:a9:1c:3e:55 REACHABLE\n10.20.0.7 dev eth0  FAILED\n'
    assert parse_ip_neigh(neigh) == {'fd00::5': '90:02:A9:1C:3E:55'}


def test_a_host_not_heard_in_time_is_tried_again_and_never_left_out(fleet, monkeypatch):
    """On a busy machine four devices that answer alone were reported as nothing there, with no error."""
    slow, silent = {fleet.devices[0].address, fleet.devices[1].address}, fleet.devices[2].address
    ports = fleet.ports
    tcp = f'{ports.http}/http,{ports.https}/https,{ports.rtsp}/rtsp,{ports.sdk}/tcp,{ports.dahua}/tcp'
    first_pass: set[tuple[str, int]] = set()
    connect = asyncio.open_connection

    async def busy(host, port, **kwargs):
        first = (host, port) not in first_pass
        first_pass.add((host, port))
        if host == silent or (host in slow and first):
            await asyncio.sleep(5)  # the accept is not heard within the probe time-out
        return await connect(host, port, **kwargs)

    monkeypatch.setattr(asyncio, 'open_connection', busy)
    addresses = [d.address for d in fleet.devices[:4]] + [address_in(fleet.network, 40)]
    found = run(fleet, addresses, ports=parse_ports(tcp), probe_timeout=0.5, timeout=4.0, concurrency=8)
    assert set(found) == set(addresses)
    assert all(found[address].state == 'up' for address in slow | {fleet.devices[3].address})
    assert found[silent].state == 'down' and engine.timed_out(found[silent])
    assert 'no answer within 0.5 s on port' in found[silent].errors[-1]['message']
    assert found[address_in(fleet.network, 40)].errors == []  # refused: nothing there, not a time-out
