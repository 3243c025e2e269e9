"""The engine on single signals, on signals that agree and on signals that disagree."""

import json

import pytest

from oversight.identification.signals import Signals

from .conftest import DESIGNATION_KEYS, pure_identifier


@pytest.mark.parametrize(
    ('firmware', 'maker'),
    [
        ('V5.5.52 build 190114', 'Hikvision'),
        ('V5.4.0 build 160425', 'Hikvision'),
        ('2.420.Dahua 00.15.R, build: 2016-01-23', 'Dahua'),
        ('2.800.0000000.5.R', 'Dahua'),
        ('2.800.0000000.8.R.20241111', 'Dahua'),
        ('2.460.LR00.2.R', 'Dahua'),
        ('2.400.IC Realtime 00.28.R', 'Dahua'),
        ('v2.420.ac00.18.r.20200217', 'Dahua'),
        ('IPC_G6103-B0008P10D1711C39', 'Uniview'),
        ('IPC_Q1201-B5016P06D1604', 'Uniview'),
    ],
)
def test_firmware_alone_names_the_maker(identifier, firmware, maker):
    result = identifier.identify(Signals(firmware=firmware))
    assert result.maker == maker
    assert len(result.evidence) == 1 and firmware in result.evidence[0]
    assert 0.8 <= result.confidence <= 0.99


def test_tp_link_build_strings_are_not_hikvision(identifier):
    # "Build" with a capital and no leading V is TP-Link's format, which the research excludes.
    assert identifier.identify(Signals(firmware='1.0.0 Build 200801 Rel.57769n')).maker is None


def test_dahua_firmware_built_for_a_customer_names_it(identifier):
    result = identifier.identify(Signals(firmware='1.000.Honeywell 00.0.R, build: 2014-03-26'))
    assert (result.maker, result.brand) == ('Dahua', 'Honeywell')
    assert 'built for "Honeywell"' in result.evidence[0]
    assert result.evidence[-1] == 'Made by Dahua for Honeywell.'


@pytest.mark.parametrize(
    ('mac', 'maker'),
    [
        ('C0:56:E3:12:34:56', 'Hikvision'),
        ('c0-56-e3-12-34-56', 'Hikvision'),
        ('C056E3123456', 'Hikvision'),
        ('c056.e312.3456', 'Hikvision'),
        ('90:02:A9:00:11:22', 'Dahua'),
        ('00:40:8C:12:34:56', 'Axis'),
        ('AC:CC:8E:49:45:78', 'Axis'),
        ('B0:B3:53:60:00:01', 'Hikrobot'),  # an MA-M (/28) block inside someone else's /24
    ],
)
def test_mac_alone_names_the_maker(identifier, mac, maker):
    result = identifier.identify(Signals(mac=mac))
    assert result.maker == maker
    assert result.evidence[0].startswith('MAC address is in block ')


def test_mac_of_a_sub_brand_names_maker_and_brand(identifier):
    result = identifier.identify(Signals(mac='0C:A6:4C:00:00:01'))  # Hangzhou Ezviz Software
    assert (result.maker, result.brand) == ('Hikvision', 'EZVIZ')


@pytest.mark.parametrize(
    'mac',
    [
        '40:2C:76:10:00:01',  # Shanghai Dahua Scale Factory: not Dahua
        'F4:1A:79:70:00:01',  # Avedis Zildjian: not DJI
        '00:00:00:00:00:01',
    ],
)
def test_lookalike_organisations_and_unknown_blocks_stay_unknown(identifier, mac):
    result = identifier.identify(Signals(mac=mac))
    assert (result.maker, result.concern, result.confidence) == (None, None, 0.0)


def test_a_locally_administered_mac_is_noted_but_counts_for_nobody(identifier):
    result = identifier.identify(Signals(mac='02:00:00:12:34:56'))
    assert result.maker is None
    assert 'locally administered' in result.evidence[0]


@pytest.mark.parametrize(
    ('field', 'value', 'maker'),
    [
        ('http_server', 'Hikvision-Webs', 'Hikvision'),
        ('http_server', 'DNVRS-Webs', 'Hikvision'),
        ('http_server', 'DVRDVS-Webs', 'Hikvision'),
        ('http_server', 'App-webs/', 'Hikvision'),
        ('rtsp_server', 'Dahua Rtsp Server', 'Dahua'),
        ('www_authenticate', 'Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="203c8d27"', 'Dahua'),
        ('www_authenticate', 'Digest qop="auth", realm="IP Camera(FN636)", nonce="6633"', 'Hikvision'),
        ('www_authenticate', 'Digest realm="AXIS_ACCC8E494578", nonce="t6fu"', 'Axis'),
        ('html_title', 'NETSurveillance WEB', 'Xiongmai'),
    ],
)
def test_banners_alone_name_the_maker(identifier, field, value, maker):
    assert identifier.identify(Signals(**{field: value})).maker == maker


@pytest.mark.parametrize(
    ('field', 'value', 'maker'),
    [
        ('http_server', 'AXIS 241Q Video Server', 'Axis'),
        ('www_authenticate', 'Digest realm="Honeywell", nonce="1a2b"', 'Honeywell'),
        ('html_title', 'EZVIZ camera', 'Hikvision'),
        # A relabel brand in a banner says who sold it, not who made it; plain words name nobody.
        ('html_title', 'LTS Platinum', None),
        ('html_title', 'Network Camera Login', None),
    ],
)
def test_a_banner_naming_its_maker_outright(identifier, field, value, maker):
    result = identifier.identify(Signals(**{field: value}))
    assert result.maker == maker
    if maker:
        assert result.evidence[0].endswith('outright.') and result.confidence == 0.7


def test_a_realm_without_a_serial_is_not_dahua(identifier):
    assert identifier.identify(Signals(www_authenticate='Basic realm="Login to continue"')).maker is None


@pytest.mark.parametrize(
    ('model', 'maker', 'brand'),
    [
        ('DS-2CD2143G0-I', 'Hikvision', None),
        ('DS-7608NI-K2', 'Hikvision', None),
        ('DH-IPC-HDBW3233DR-AS', 'Dahua', None),
        ('IPC-HFW2431S-S-S2', 'Dahua', None),
        ('NVR4104-P-4KS2', 'Dahua', None),
        ('NVR301-04S', 'Uniview', None),
        ('IPC322LB-SF28K-A', 'Uniview', None),
        ('CMIP8242WB', 'Hikvision', 'LTS'),
        ('LNB9242B', 'Dahua', 'Lorex'),
        ('M3024-LVE', 'Axis', None),
        ('DIVAR AN 3000', 'Dahua', 'Bosch'),
        ('Mavic 3 Enterprise', 'DJI', None),
    ],
)
def test_model_families(identifier, model, maker, brand):
    result = identifier.identify(Signals(model=model))
    assert (result.maker, result.brand) == (maker, brand)


@pytest.mark.parametrize(
    ('model', 'maker'),
    [('Hikvision DS-2CD2143G0-I', 'Hikvision'), ('HIK VISION DS-7608NI-K2', 'Hikvision'), ('Lorex LNB9242B', 'Dahua')],
)
def test_a_model_written_after_its_maker_or_brand(identifier, model, maker):
    result = identifier.identify(Signals(model=model))
    assert result.maker == maker
    assert result.evidence[0].startswith(f'Model "{model}" ')


def test_a_model_after_a_word_that_is_no_maker_is_not_read_past(identifier):
    result = identifier.identify(Signals(model='Spare DS-2CD2143G0-I'))
    assert result.maker is None
    assert result.evidence == (
        'Who made it is unknown: nothing read points to a maker, and nothing is guessed. '
        'Read: the model number "Spare DS-2CD2143G0-I".',
    )


def test_onvif_scopes(identifier):
    scopes = (
        'onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/HIKVISION%20DS-2CD2142FWD-I '
        'onvif://www.onvif.org/hardware/DS-2CD2142FWD-I onvif://www.onvif.org/location/city/hangzhou'
    )
    result = identifier.identify(Signals(onvif_scopes=scopes))
    assert result.maker == 'Hikvision'
    assert any('hangzhou' in line and 'counts for none' in line for line in result.evidence)


def test_agreeing_signals_raise_confidence_but_never_to_certainty(identifier):
    one = identifier.identify(Signals(mac='90:02:A9:00:11:22'))
    many = identifier.identify(
        Signals(mac='90:02:A9:00:11:22', firmware='2.800.0000000.5.R', rtsp_server='Dahua Rtsp Server')
    )
    assert many.maker == one.maker == 'Dahua'
    assert one.confidence < many.confidence == 0.99
    assert len(many.evidence) == 3


@pytest.mark.parametrize(
    ('declared', 'maker'),
    [('Honeywell', 'Dahua'), ('LTS', 'Hikvision'), ('Lorex', 'Dahua'), ('EZVIZ', 'Hikvision'), ('Imou', 'Dahua')],
)
def test_a_declared_relabel_or_sub_brand_resolves_to_its_maker(identifier, declared, maker):
    result = identifier.identify(Signals(manufacturer=declared))
    assert (result.maker, result.brand, result.concern) == (maker, declared, True)
    assert result.evidence[-1] == f'Made by {maker} for {declared}.'


def test_brand_honeywell_and_dahua_firmware_say_made_by_dahua_for_honeywell(identifier):
    result = identifier.identify(Signals(brand='Honeywell', firmware='2.800.0000000.5.R'))
    assert (result.maker, result.brand) == ('Dahua', 'Honeywell')
    assert 'Honeywell products are relabelled Dahua products' in result.evidence[0]
    assert result.evidence[-1] == 'Made by Dahua for Honeywell.'
    # The relabel knowledge and the firmware agree, so confidence is higher than either alone.
    assert result.confidence > identifier.identify(Signals(brand='Honeywell')).confidence


def test_disagreement_is_stated_and_the_device_wins(identifier):
    result = identifier.identify(Signals(brand='Honeywell', firmware='V5.5.52 build 190114'))
    assert (result.maker, result.brand) == ('Hikvision', 'Honeywell')
    disagreement = [line for line in result.evidence if line.startswith('Signals disagree')]
    assert disagreement == [
        'Signals disagree: the firmware version points to Hikvision; the declared maker or brand points to Dahua. '
        'Hikvision is taken because what the device itself shows outweighs what was declared.'
    ]
    assert result.confidence < identifier.identify(Signals(firmware='V5.5.52 build 190114')).confidence


def test_a_declared_maker_contradicted_by_the_mac(identifier):
    result = identifier.identify(Signals(manufacturer='Axis', mac='C0:56:E3:12:34:56'))
    assert result.maker == 'Hikvision'
    assert any('the MAC address points to Hikvision' in line for line in result.evidence)


def test_designations_of_the_maker_and_of_the_declared_maker(identifier):
    # Honeywell is itself named by the Commissioner's list; the device is Dahua-made.
    result = identifier.identify(Signals(manufacturer='Honeywell'))
    assert {(d['concern_list'], d['maker']) for d in result.designations} == {
        ('ndaa-889', 'Dahua'),
        ('obscc-2022', 'Honeywell'),
    }
    assert set(result.designations[0]) == DESIGNATION_KEYS


def test_a_subsidiary_is_covered_through_its_parent(identifier):
    result = identifier.identify(Signals(mac='B0:B3:53:60:00:01'))
    assert result.concern is True
    assert [(d['maker'], d['designated']) for d in result.designations] == [('Hikrobot', 'Hikvision')]


def test_one_concern_list_only():
    only = pure_identifier('obscc-2022')
    assert only.identify(Signals(manufacturer='Dahua')).concern is False
    assert only.identify(Signals(manufacturer='Hikvision')).concern is True


def test_an_unknown_concern_list_is_refused():
    with pytest.raises(LookupError, match='no concern list "nope"'):
        pure_identifier('nope')


def test_axis_is_of_no_concern(identifier):
    result = identifier.identify(Signals(manufacturer='Axis Communications AB', mac='00:40:8C:12:34:56'))
    assert (result.maker, result.concern, result.designations) == ('Axis', False, ())


def test_unknown_stays_null(identifier):
    result = identifier.identify(Signals(manufacturer='Acme Cameras', model='X-100', firmware='1.2.3'))
    assert (result.maker, result.brand, result.concern, result.confidence) == (None, None, None, 0.0)
    assert result.evidence == (
        '"Acme Cameras" is not a maker or brand in the reference data.',
        'Who made it is unknown: nothing read points to a maker, and nothing is guessed. '
        'Read: the declared maker or brand "Acme Cameras"; the model number "X-100"; the firmware version "1.2.3".',
    )
    assert identifier.identify(Signals()).as_dict() == {
        'maker': None,
        'concern': None,
        'designations': [],
        'confidence': 0.0,
        'evidence': [],
    }


def test_an_unreadable_value_makes_the_row_unknown_and_names_the_column(identifier):
    result = identifier.identify(Signals(manufacturer='Hikvision', mac='not-a-mac'))
    assert (result.maker, result.concern) == (None, None)
    assert result.error.startswith('column "mac": not a MAC address')
    assert identifier.identify(Signals(html_title='a\x00b')).error == (
        'column "html_title": contains binary data or control characters'
    )
    assert identifier.identify(Signals(firmware='V' * 5000)).error == (
        'column "firmware": longer than 1,024 characters'
    )


@pytest.mark.parametrize(
    'values',
    [
        ['Honeywell', '', '', 'V5.5.52 build 190114', 'C0:56:E3:00:00:01', 'DNVRS-Webs', '', '', ''],
        ['', 'Lorex', 'LNB9242B', '2.460.LR00.2.R', '', '', 'Digest realm="Login to ND021811019863"', '', ''],
        ['Acme', '', '', '', '02:00:00:00:00:01', '', '', 'NETSurveillance WEB', ''],
        [''] * 9,
    ],
)
def test_the_assembled_output_line_is_the_identification(identifier, values):
    assert (
        json.loads(identifier.answer_json(identifier.findings(values), values))
        == identifier.identify_values(values).as_dict()
    )


def test_the_realm_is_read_without_the_nonce(identifier):
    first = identifier.identify(Signals(www_authenticate='Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="1"'))
    again = identifier.identify(Signals(www_authenticate='Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="2"'))
    assert first == again
    # A realm naming the device's own serial is described, not quoted: one finding serves every Dahua device.
    assert first.evidence[0] == (
        'WWW-Authenticate realm is Dahua\'s digest realm "Login to <serial number or device hash>", '
        'which Dahua-made relabels (Lorex, Amcrest) keep.'
    )
    hikvision = identifier.identify(Signals(www_authenticate='Digest qop="auth", realm="IP Camera(FN636)", nonce="9"'))
    assert hikvision.evidence[0].startswith('WWW-Authenticate realm "IP Camera(FN636)" is the digest realm')
