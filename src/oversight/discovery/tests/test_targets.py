"""Safety: a scan covers only the targets it is given, private ones unless told, and never too many by mistake."""

import pytest

from oversight.discovery.scanner.ports import DEFAULT_PORTS, PortSpec, parse_ports
from oversight.discovery.scanner.targets import (
    DEFAULT_MAX_HOSTS,
    TargetError,
    networks_in,
    parse_targets,
    read_targets_file,
)


def no_dns(name):
    return []


def test_networks_expand_to_their_hosts_only_once_without_network_or_broadcast_addresses():
    targets = parse_targets(['10.20.0.0/30', '10.20.0.1', '192.168.1.10-12'], resolve=no_dns)
    assert list(targets.addresses()) == ['10.20.0.1', '10.20.0.2', '192.168.1.10', '192.168.1.11', '192.168.1.12']
    assert targets.host_count == 6  # counted before overlaps are removed
    assert targets.scope() == ['10.20.0.0/30', '192.168.1.10/31', '192.168.1.12/32']


def test_a_range_covers_every_address_in_it():
    # Not only the usable hosts of the CIDR blocks that sum it up (1-25 holds 1/32, 2/31, 4/30, 8/29, 16/29, 24/31).
    targets = parse_targets(['127.0.1.1-25'], resolve=no_dns)
    assert list(targets.addresses()) == [f'127.0.1.{n}' for n in range(1, 26)]
    assert targets.host_count == 25
    assert targets.scope() == [
        '127.0.1.1/32',
        '127.0.1.2/31',
        '127.0.1.4/30',
        '127.0.1.8/29',
        '127.0.1.16/29',
        '127.0.1.24/31',
    ]
    assert list(parse_targets(['10.3.0.0-255'], resolve=no_dns).addresses()) == [f'10.3.0.{n}' for n in range(1, 255)]


@pytest.mark.parametrize('target', ['8.8.8.0/24', '203.0.113.7', '172.32.0.0/16', '172.0.0.0/12'])
def test_public_ranges_are_refused_unless_allowed(target):
    with pytest.raises(TargetError) as refused:
        parse_targets([target], resolve=no_dns)
    message = str(refused.value)
    assert target in message and '--allow-public' in message
    assert '10.0.0.0/8' in message and '127.0.0.0/8' in message  # the error says which ranges are allowed
    assert parse_targets([target], allow_public=True, max_hosts=2**21, resolve=no_dns).host_count >= 1


@pytest.mark.parametrize('target', ['224.0.0.0/4', '239.255.255.250', '255.255.255.255', '0.0.0.0', '240.0.0.1'])
def test_multicast_broadcast_and_reserved_addresses_are_refused_even_when_public_is_allowed(target):
    with pytest.raises(TargetError):
        parse_targets([target], allow_public=True, resolve=no_dns)


def test_private_loopback_and_link_local_ranges_are_allowed():
    for target in ('10.1.2.0/24', '172.16.5.4', '192.168.0.0/24', '127.0.1.0/24', '169.254.10.1', 'fd00::1'):
        assert parse_targets([target], resolve=no_dns).host_count >= 1


def test_target_expansion_is_capped():
    with pytest.raises(TargetError, match=r'65,534 host addresses.*--max-hosts') as refused:
        parse_targets(['10.0.0.0/16'], max_hosts=1000, resolve=no_dns)
    assert 'more than the limit of 1,000' in str(refused.value)
    with pytest.raises(TargetError, match='16,777,214 host addresses'):
        parse_targets(['10.0.0.0/8'], resolve=no_dns)
    assert parse_targets(['10.0.0.0/16'], resolve=no_dns).host_count == 65_534 <= DEFAULT_MAX_HOSTS
    assert parse_targets(['10.0.0.0/15'], max_hosts=200_000, resolve=no_dns).host_count == 131_070


def test_host_names_resolve_and_are_checked_like_addresses():
    assert list(parse_targets(['camera-1'], resolve=lambda name: ['10.9.8.7']).addresses()) == ['10.9.8.7']
    with pytest.raises(TargetError, match='not within a private or loopback range'):
        parse_targets(['camera-1'], resolve=lambda name: ['198.51.100.4'])
    with pytest.raises(TargetError, match='does not resolve|not an address'):
        parse_targets(['no-such-host'], resolve=no_dns)


@pytest.mark.parametrize('target', ['10.0.0.0/33', '10.0.0.300', '192.168.1.40-20', '10.0.0.5-300'])
def test_malformed_targets_say_what_is_wrong(target):
    with pytest.raises(TargetError, match=target.split('/')[0].split('-')[0]):
        parse_targets([target], resolve=no_dns)


def test_no_targets_is_refused():
    with pytest.raises(TargetError, match='No targets'):
        parse_targets(['', '  '], resolve=no_dns)


def test_targets_files_allow_comments(tmp_path):
    path = tmp_path / 'targets.txt'
    path.write_text('# custody network\n10.20.0.0/29  10.20.1.5 # the NVR\n\n', encoding='utf-8')
    assert read_targets_file(str(path)) == ['10.20.0.0/29', '10.20.1.5']
    with pytest.raises(TargetError, match='Cannot read'):
        read_targets_file(str(tmp_path / 'missing.txt'))


def test_networks_are_found_among_a_command_lines_words():
    assert networks_in(['-sV', '-p', '80,443', '-oX', 'out.xml', '10.1.0.0/24', '10.2.0.5-6']) == [
        '10.1.0.0/24',
        '10.2.0.5/32',
        '10.2.0.6/32',
    ]


def test_ports_pair_each_port_with_its_protocol():
    specs = parse_ports(DEFAULT_PORTS)
    assert PortSpec(37020, 'sadp') in specs and PortSpec(554, 'rtsp') in specs
    assert {s.transport for s in specs if s.protocol in ('wsd', 'sadp', 'dhip')} == {'udp'}
    assert parse_ports('80, 8443, 9000') == (PortSpec(80, 'http'), PortSpec(8443, 'https'), PortSpec(9000, 'tcp'))


@pytest.mark.parametrize(
    ('text', 'message'),
    [('http', 'not a port'), ('70000/http', 'not a port number'), ('80/ftp', 'one of'), ('', 'No ports')],
)
def test_bad_ports_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_ports(text)
