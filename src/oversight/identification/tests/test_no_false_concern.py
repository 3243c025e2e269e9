"""Real values of makers of no concern must never come out as a maker of concern.

A false concern is the worst error identification can make: a register would report equipment of concern
that is not there. Each value below is a real model, firmware or banner of a maker that no concern list
names, read in the public source given in the comment; several were once claimed by a concern maker's
family rule, which was narrowed. Run through the real engine on the migrated reference data.
"""

from functools import cache

import pytest

from oversight.identification.engine import Identifier
from oversight.identification.signals import FIELDS

# Sources named in the comments:
# ISPY: the iSpy camera list per brand as mirrored in
#   https://github.com/eduard256/IoT2mqtt/tree/7acf7b13e7620bf5eb5fced17e5ad6a098efa840/connectors/cameras/data/brands
# NETBOX: https://github.com/netbox-community/devicetype-library/tree/master/device-types (one folder per maker)

# (field, value): a model alone, as model-number-only registers hold it, unless a maker is declared too.
MODELS = [
    # Arista data-centre switches, not D-Link DCS- cameras (D-Link is of concern through the KEV list):
    # NetBox device-type library, Arista (DCS-7050QX-32S, DCS-7050S-52, DCS-7010T-48).
    'DCS-7050QX-32S',
    'DCS-7050S-52',
    'DCS-7010T-48',
    # Planex Communications (Japan) CS- cameras, not EZVIZ: iSpy camera list, ISPY/planex.json.
    'CS-W70HD',
    'CS-W04G',
    'CS-WMV04N',
    'CS-TX02F',
    'CS-QP50F',
    # Winbook and Fostar FC…P cameras, not DJI camera codes: ISPY/winbook.json, ISPY/fostar.json.
    'FC1405P',
    'FC2403P',
    'FC2501P',
    # Heimvision HM541 and Planet HM610 cameras, not Hytera radios: ISPY/heimvision.json, ISPY/planet.json.
    'HM541',
    'HM610',
    # Squira PD910, not a Hytera PD radio: ISPY/squira.json.
    'PD910',
    # Avaya P330 switch, not DJI's P330 code: nmap-service-probes line 4261 (p/Avaya P330 switch telnetd/).
    'P330',
    # Besder P3S camera, not DJI's Phantom 3 Standard code: ISPY/besder.json.
    'P3S',
    # Arenti (Laxihub) M4T camera, not a DJI Matrice 4T: ISPY/arenti.json.
    'M4T',
    # iegeek CT-0247 camera, not a NUUO Crystal recorder: ISPY/iegeek.json.
    'CT-0247',
    # LG Electronics IP cameras, not Lorex (Dahua) LN… models: ISPY/lg.json.
    'LNB3100',
    'LND7210',
    # Shenzhen Sinocam cameras, not Dahua IPC-H… models: ISPY/szsinocam.json.
    'IPC-HR01',
    'IPC-HR05',
    # Shenzhen Sinocam cameras, not Imou (Dahua) IPC-F22/F42: ISPY/sinocam.json.
    'IPC-F10P',
    'IPC-F20M',
    # Longse XVR, not a Dahua XVR: ISPY/longse.json.
    'XVR2008D',
    # TP-Link VIGI recorder written without VIGI, not a Dahua NVR: https://glama.ai/mcp/servers/ebenezer-isaac/vigi-nvr-mcp
    'NVR1016H',
    # Synology DiskStation/RackStation (DS… is also Hikvision's prefix, with a hyphen): NETBOX/Synology.
    'DS920+',
    'DS218',
    'DS218+',
    'DS1821+',
    'DS3622xs+',
    'RS1221+',
    # Cisco MDS fibre-channel switch, DS-C… part numbers:
    # https://www.cisco.com/c/en/us/td/docs/switches/datacenter/mds9000/hw/9148S/install/guide/9148S_hig/cabspec.html
    'DS-C9148S-K9',
    # D-Link, Netgear, Zyxel, QNAP and FS switches, routers and storage: NETBOX/<maker>.
    'DGS-1210-28',
    'DES-1210-28',
    'DIR-615',
    'DSL-2640U',
    'GS108',
    'GS308E',
    'XS708T',
    'M4300-12X12F',
    'GS1920-24',
    'USG310',
    'USG-FLEX-200',
    'TS-453D',
    'S3900-24T4S',
    'S5850-24S2Q',
    'S5860-20SQ',
    # Samsung memory and Digital Ally's in-car recorder named EVO (Autel's EVO drones need a series word):
    # autel.json's sources; Samsung product names.
    '860 EVO',
    'EVO Plus',
    'EVO Select',
    'EVO-HD',
    # Generic words and other makers' short names: Blink Mini 2 camera, Axis M30 series, Axis recorders.
    'Mini 2',
    'Mini Dome',
    'M30',
    'M300',
    'S2208',
    'NVR',
    'DVR',
    'IPC',
    'PTZ',
    # Cameras of makers of no concern read in build.csv and CamioCam/rtsp cameras/paths.csv.
    'M3027-PVE',
    'XNV-6080R',
    'IPC3612LB-SF28-A',
    'NVR301-04',
    'VIGI C540V',
    'Tapo C200',
]

# (manufacturer, model): a maker of no concern declared, with a model that a concern rule once claimed.
DECLARED = [
    ('TP-Link', 'NVR1016H'),  # glama.ai vigi-nvr-mcp: "Tested model: VIGI NVR1016H(UN)"
    ('Planex', 'CS-W70HD'),  # ISPY/planex.json
    ('LG', 'LNB3100'),  # ISPY/lg.json
    ('Avaya', 'P330'),  # nmap-service-probes line 4261
    ('Synology', 'DS920+'),  # NETBOX/Synology
]

# (field, value) of other kinds.
OTHERS = [
    # TP-Link firmware builds (8-digit dates), not Hikvision's "V… build yymmdd": test_engine.py's strings.
    ('firmware', '1.0.6 Build 20200414 Rel. 74432'),
    # Ubiquiti and Bosch banners read in build.csv (recog html_title.xml, http_servers.xml).
    ('html_title', 'UniFi NVR: Software Portal'),
    ('http_server', 'VCS-VIDOS-NVR'),
    ('rtsp_server', 'AvigilonOnvifNvt/2.6.0.130'),
]


@cache
def identifier() -> Identifier:
    return Identifier.from_db()


def identify(**values: str):
    return identifier().identify_values([values.get(field, '') for field in FIELDS])


@pytest.mark.django_db
@pytest.mark.parametrize('model', MODELS)
def test_a_model_of_a_maker_of_no_concern_is_not_of_concern(model):
    found = identify(model=model)
    assert found.concern is not True, f'{model}: {found.maker} {found.evidence}'


@pytest.mark.django_db
@pytest.mark.parametrize(('manufacturer', 'model'), DECLARED)
def test_a_declared_maker_of_no_concern_with_its_model_is_not_of_concern(manufacturer, model):
    found = identify(manufacturer=manufacturer, model=model)
    assert found.concern is not True, f'{manufacturer} {model}: {found.maker} {found.evidence}'


@pytest.mark.django_db
@pytest.mark.parametrize(('field', 'value'), OTHERS)
def test_other_values_of_makers_of_no_concern_are_not_of_concern(field, value):
    found = identify(**{field: value})
    assert found.concern is not True, f'{field} {value}: {found.maker} {found.evidence}'
