"""Strings read in public files and copied here by hand, each with the file it was read in.

make_eval.py turns them into rows. Nothing here is made up: a banner is a fingerprint's example or a
literal header in a fingerprint rule; a model name is written as the source writes it.
"""

import re

GH = 'https://github.com'
RECOG = f'{GH}/rapid7/recog/blob/14fa1a7211e7fb5707c7a1b421a07d6c2cf4eec5/xml'
NMAP = f'{GH}/nmap/nmap/blob/db4aefddfa348ec815ffa83a109c97e05db88766/nmap-service-probes'


def _recog(name):
    return f'{RECOG}/{name}.xml'


def _nmap(line):
    return f'{NMAP}#L{line}'


# One entry per device reply: the expected maker and the header(s) it showed.
BANNERS = [
    # recog: HTTP Server headers
    {'expected': 'Hikvision', 'http_server': 'Hikvision-Webs', 'source': _recog('http_servers')},
    {'expected': 'Hikvision', 'http_server': 'DVRDVS-Webs', 'source': _recog('http_servers')},
    {'expected': 'Hikvision', 'http_server': 'DNVRS-Webs', 'source': _recog('http_servers')},
    {'expected': 'Huawei', 'http_server': 'Linux UPnP/1.0 Huawei-ATP-IGD', 'source': _recog('http_servers')},
    {'expected': 'ZTE', 'http_server': 'Mini web server 1.0 ZTE corp 2005.', 'source': _recog('http_servers')},
    {'expected': 'ZTE', 'http_server': 'ZTE web server 1.0 ZTE corp 2015.', 'source': _recog('http_servers')},
    {'expected': 'Xiongmai', 'http_server': 'uc-httpd 1.0.0', 'source': _recog('http_servers')},
    {'expected': 'Xiongmai', 'http_server': 'uc-httpd/1.0.0', 'source': _recog('http_servers')},
    {'expected': 'Bosch', 'http_server': 'VCS-VIDOS-NVR', 'source': _recog('http_servers')},
    {
        'expected': 'Axis',
        'http_server': 'Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22',
        'source': _recog('http_servers'),
    },
    {'expected': 'Pelco', 'http_server': 'ev-compat', 'source': _recog('http_servers')},
    {'expected': 'Ubiquiti', 'http_server': '302 Found UNMS 1.2.7', 'source': _recog('http_servers')},
    {'expected': 'D-Link', 'http_server': 'alphapd/2.1.8', 'source': _recog('http_servers')},
    # recog: WWW-Authenticate
    {'expected': 'Hikvision', 'www_authenticate': 'Basic realm="hikvision"', 'source': _recog('http_wwwauth')},
    {'expected': 'Huawei', 'www_authenticate': 'Basic realm="SmartAX MT882"', 'source': _recog('http_wwwauth')},
    {'expected': 'Huawei', 'www_authenticate': 'Basic realm="HuaweiHomeGateway"', 'source': _recog('http_wwwauth')},
    {
        'expected': 'Huawei',
        'www_authenticate': 'Basic realm="EchoLife Portal de Inicio"',
        'source': _recog('http_wwwauth'),
    },
    {
        'expected': 'Huawei',
        'www_authenticate': 'Basic realm="EchoLife Home Gateway"',
        'source': _recog('http_wwwauth'),
    },
    {'expected': 'ZTE', 'www_authenticate': 'Digest realm="cpe@zte.com"', 'source': _recog('http_wwwauth')},
    {'expected': 'ZTE', 'www_authenticate': 'Basic realm="ZXHN H108L"', 'source': _recog('http_wwwauth')},
    {'expected': 'ZTE', 'www_authenticate': 'Basic realm="ZXV10 W300"', 'source': _recog('http_wwwauth')},
    {
        # recog: a Lorex NR900 recorder; Lorex recorders of that line are Dahua-made (brand Lorex).
        'expected': 'Dahua',
        'www_authenticate': 'Digest realm="Login to ND011811000000", nonce="ec3682ef24b2cd9cedefe5cc26110000"',
        'source': _recog('http_wwwauth'),
    },
    {'expected': 'D-Link', 'www_authenticate': 'Basic realm="DCS-5222LB1"', 'source': _recog('http_wwwauth')},
    {'expected': 'D-Link', 'www_authenticate': 'Basic realm="DCS-2530L"', 'source': _recog('http_wwwauth')},
    {
        'expected': 'D-Link',
        'www_authenticate': 'Digest realm="DCS-932LB1_BC",qop="auth", nonce="ab08230abdfae0061bb2b657537e7eea"',
        'source': _recog('http_wwwauth'),
    },
    {'expected': 'TP-Link', 'www_authenticate': 'Basic realm="TP-LINK IP-Camera"', 'source': _recog('http_wwwauth')},
    {
        'expected': 'Bosch',
        'www_authenticate': 'Digest realm="Use \'live\' as User Name",nonce="18e62d241a5358a9650640fa72c1773c",'
        'opaque="",stale=FALSE,algorithm=MD5',
        'source': _recog('http_wwwauth'),
    },
    {
        'expected': 'Bosch',
        'www_authenticate': 'Digest realm="Use \'live\' as User Name in order to log in to the respective level",'
        'nonce="2e6007092c2b28af7e2516b80b5b4f95",opaque="",stale=FALSE,algorithm=MD5,qop="auth"',
        'source': _recog('http_wwwauth'),
    },
    # recog: HTML titles
    {'expected': 'Xiongmai', 'html_title': 'NETSurveillance WEB', 'source': _recog('html_title')},
    {'expected': 'Hanwha Vision', 'html_title': 'Web Viewer for Samsung DVR', 'source': _recog('html_title')},
    {'expected': 'Ubiquiti', 'html_title': 'UniFi Video', 'source': _recog('html_title')},
    {'expected': 'Ubiquiti', 'html_title': 'UniFi NVR: Software Portal', 'source': _recog('html_title')},
    {'expected': 'Ubiquiti', 'html_title': 'airVision: [NVR] - Software Portal', 'source': _recog('html_title')},
    {'expected': 'Cisco', 'html_title': 'Cisco IP Camera', 'source': _recog('html_title')},
    {'expected': 'Axis', 'html_title': 'AXIS', 'source': _recog('html_title')},
    {'expected': 'Hanwha Vision', 'html_title': 'Hanwha Techwin', 'source': _recog('html_title')},
    {'expected': 'i-PRO|Panasonic', 'html_title': 'WV-NS202A Network Camera', 'source': _recog('html_title')},
    {'expected': 'i-PRO|Panasonic', 'html_title': 'WV-NS954 Network Camera', 'source': _recog('html_title')},
    {
        'expected': 'Mobotix',
        'html_title': 'Redirect to userimage: /control/userimage.html',
        'source': _recog('html_title'),
    },
    {'expected': 'IQinVision', 'html_title': 'IQA22N IQEYE1A1613: Live Images', 'source': _recog('html_title')},
    {'expected': 'IQinVision', 'html_title': 'IQeye703 IQEYE011750: Live Images', 'source': _recog('html_title')},
    {'expected': 'Genetec', 'html_title': 'Genetec - SHARPV01111', 'source': _recog('html_title')},
    {'expected': 'Sony', 'html_title': 'Sony Network Camera', 'source': _recog('html_title')},
    {'expected': 'Nuuo', 'html_title': 'Network Video Recorder Login', 'source': _recog('html_title')},
    # recog: RTSP Server headers
    {'expected': 'Dahua', 'rtsp_server': 'Dahua Rtsp Server', 'source': _recog('rtsp_servers')},
    {'expected': 'Foscam', 'rtsp_server': 'HiIpcam/V100R003 VodServer/1.0.0', 'source': _recog('rtsp_servers')},
    {
        'expected': 'Motorola Solutions|Avigilon',
        'rtsp_server': 'AvigilonOnvifNvt/2.6.0.130',
        'source': _recog('rtsp_servers'),
    },
    {'expected': 'Sony', 'rtsp_server': 'Linux/2.6.35.14_nl-xarina+ Ze-PRO', 'source': _recog('rtsp_servers')},
    # nmap-service-probes: literal Server headers, realms and titles in match rules
    {'expected': 'Hikvision', 'http_server': 'App-webs/', 'source': _nmap(9762)},
    {'expected': 'Hikvision', 'http_server': 'Webs', 'html_title': '', 'source': _nmap(10286), 'skip': True},
    {'expected': 'GeoVision', 'http_server': 'GeoHttpServer', 'source': _nmap(7510)},
    {'expected': 'Canon', 'html_title': 'WebView Livescope', 'source': _nmap(7856)},
    {'expected': 'Axis', 'html_title': 'AXIS 2400 Video Server', 'source': _nmap(7882)},
    {'expected': 'i-PRO|Panasonic', 'html_title': 'WJ-NT104 MAIN PAGE', 'source': _nmap(7817)},
    {'expected': 'Bosch', 'html_title': 'Divar Web Client', 'source': _nmap(8353)},
    {'expected': 'Bosch', 'html_title': 'Bosch Security Systems', 'source': _nmap(9799)},
    {'expected': 'D-Link', 'http_server': 'D-Link Internet Camera', 'source': _nmap(8372)},
    {'expected': 'D-Link', 'http_server': 'dcs-lig-httpd', 'source': _nmap(8908)},
    {'expected': 'Everfocus', 'http_server': 'http server/everfocus', 'source': _nmap(8902)},
    {'expected': 'Vivotek', 'http_server': 'Vivotek Network Camera', 'source': _nmap(9191)},
    {'expected': 'Huawei', 'http_server': 'Huawei-BMC', 'source': _nmap(10896)},
    {'expected': 'ZTE', 'http_server': 'ZTE Web Server/1.0.0', 'source': _nmap(10465)},
    {'expected': 'IQinVision', 'http_server': 'IQinVision Embedded 1.0', 'source': _nmap(10473)},
    {'expected': 'Arecont Vision', 'www_authenticate': 'Basic realm="Arecont Vision"', 'source': _nmap(12213)},
    {'expected': 'Ubiquiti', 'http_server': 'Server', 'source': _nmap(10347), 'skip': True},
    {'expected': 'Samsung', 'http_server': 'Swift1.0', 'source': _nmap(9960), 'skip': True},
]
BANNERS = [b for b in BANNERS if not b.get('skip')]

DJI_TOOLS = (
    f'{GH}/o-gs/dji-firmware-tools/blob/df0b9c60566b6bdb3eee3802d35d3e6cb66515cd/comm_og_service_tool.py#L55-L86'
)
DJI_B3YOND = f'{GH}/D3VL/B3YOND-WEB-APP/blob/af408dbb55bafdfe8de3b50d3cc5e7f1b0e7501a/src/js/config/models.js'

# DJI product names and codes as the sources write them.
DJI_PRODUCTS = [
    ('Phantom 3 Advanced', DJI_TOOLS),
    ('Matrice 100', DJI_TOOLS),
    ('Phantom 3 Standard', DJI_TOOLS),
    ('Agras MG-1', DJI_TOOLS),
    ('Phantom 3 4K', DJI_TOOLS),
    ('Phantom 4', DJI_TOOLS),
    ('Matrice 600', DJI_TOOLS),
    ('Mavic Pro', DJI_TOOLS),
    ('Inspire 2', DJI_TOOLS),
    ('Phantom 4 Pro', DJI_TOOLS),
    ('Matrice 200', DJI_TOOLS),
    ('Agras MG-1S', DJI_TOOLS),
    ('Phantom 4 Advanced', DJI_TOOLS),
    ('Spark', DJI_TOOLS),
    ('Mavic Air', DJI_TOOLS),
    ('Phantom 4 Pro V2', DJI_TOOLS),
    ('Mavic 2 Enterprise', DJI_TOOLS),
    ('Mavic 2 Enterprise Dual', DJI_TOOLS),
    ('Mavic Mini', DJI_TOOLS),
    ('Mavic Air 2', DJI_TOOLS),
    ('Mavic 2 Enterprise Advanced', DJI_TOOLS),
    ('WM220', DJI_TOOLS),
    ('WM330', DJI_TOOLS),
    ('WM240', DJI_TOOLS),
    ('WM245', DJI_TOOLS),
    ('WM260', DJI_TOOLS),
    ('MAT600', DJI_TOOLS),
    ('DJI Avata', DJI_B3YOND),
    ('DJI FPV', DJI_B3YOND),
    ('AGRAS T30', DJI_B3YOND),
    ('AGRAS MG-1P RTK', DJI_B3YOND),
    ('Aeroscope', DJI_B3YOND),
    ('Crystalsky 7.85 Inch', DJI_B3YOND),
    ('D-RTK GNSS', DJI_B3YOND),
    ('DJI RC Plus', DJI_B3YOND),
    ('Inspire 1 Pro', DJI_B3YOND),
    ('Matrice 200 V2', DJI_B3YOND),
    ('Matrice 300', DJI_B3YOND),
    ('Matrice 600 Pro', DJI_B3YOND),
    ('Mavic Air 2s', DJI_B3YOND),
    ('Mavic Mini 2', DJI_B3YOND),
    ('Mavic Mini 3', DJI_B3YOND),
    ('Mavic Mini SE', DJI_B3YOND),
    ('Mavic Pro 2 Enterprise Dual', DJI_B3YOND),
    ('Mavic Pro 3', DJI_B3YOND),
    ('N3 Flight Controller', DJI_B3YOND),
    ('Osmo - Pocket 2', DJI_B3YOND),
    ('Phantom 4 - Multispectral', DJI_B3YOND),
    ('Phantom 4 RTK', DJI_B3YOND),
    ('Robomaster S1', DJI_B3YOND),
    ('Smart Controller', DJI_B3YOND),
    ('Goggles 2', DJI_B3YOND),
    ('wm169', DJI_B3YOND),
    ('pm430', DJI_B3YOND),
]

# Telecom equipment named in fingerprint rules (vendor named by the rule).
TELECOM_MODELS = [
    ('Huawei', 'HG532c', _nmap(9635)),
    ('Huawei', 'HG532e', _nmap(10178)),
    ('Huawei', 'S5700', _nmap(10074)),
    ('Huawei', 'SmartAX MT882', _recog('http_wwwauth')),
    ('Huawei', 'EchoLife Home Gateway', _recog('http_wwwauth')),
    ('ZTE', 'ZXHN H108L', _recog('http_wwwauth')),
    ('ZTE', 'ZXV10 W300', _recog('http_wwwauth')),
]


def rows():
    """(slice, expected maker, source, signals) for the transcribed rows."""
    dji_names = ['DJI', 'SZ DJI Technology Co., Ltd.', 'Dji']
    distinctive = re.compile(
        r'Mavic|Phantom|Matrice|Inspire|Agras|Avata|DJI|Osmo|Robomaster|Crystalsky|^[WP]M\d|^MAT', re.I
    )
    for i, (model, src) in enumerate(DJI_PRODUCTS):
        # A bare name that says nothing alone ("Spark", "Smart Controller") is only used with the maker.
        if i % 2 or not distinctive.search(model):
            yield 'maker_named', 'DJI', src, {'manufacturer': dji_names[i % 3], 'model': model}
        else:
            yield 'model_only', 'DJI', src, {'model': model}
    for maker, model, src in TELECOM_MODELS:
        yield 'model_only', maker, src, {'model': model}
        yield 'maker_named', maker, src, {'manufacturer': maker, 'model': model}
