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


CHBAS = f'{GH}/ch-bas/cctv-camera-database/blob/0150328c97a3e9f189b876dd447c5db8cd5d619a/data/cameras.csv'

# Brand and model, as written in the columns "brand" and "model" of the CCTV Camera Database's cameras.csv
# (a model written there with a product name around it, "FLEXIDOME outdoor 5100i IR (NDE-5704-AL)", is kept
# in both forms: the code alone when it was taken alone). Brands whose cameras come from several makers and
# whose true maker the database does not give (ABUS, Annke, CP Plus, Honeywell, Lorex, Night Owl, Speco,
# Swann, 3xLOGIC, Hi-Focus ...) were left out.
CHBAS_ROWS = """
ACTi|A313
ACTi|A432-P1
ACTi|A570-P2
ACTi|B419-P2
ACTi|E13A
ACTi|A984
ACTi|B76A
ACTi|E816
ACTi|K9001
ACTi|KCM-7311
ACTi|Q982-P1
ACTi|VMGB-359
ACTi|Z319
ACTi|Z954
ACTi|I98
Ajax|DomeCam Mini (5 MP/2.8 mm)
Ajax|Superior BulletCam HLVF (8 MP)
Ajax|TurretCam (8 MP/4 mm)
Amcrest|IP4M-1093EW-AI
Amcrest|IP8M-2899EW-AI-V2
Amcrest|IP5M-B1186EB-AI-V3
Amcrest|IP8M-DLB2998EW-AI
Amcrest|IP4M-PD183EW-AI
Amcrest|IP8M-FCT2999EW-AI
Amcrest|IP2M-863EW-AI-V3
Amcrest|ASH41-B
Amcrest|IP8M-MB182E-AI
Amcrest|IP8M-2493EW-AI-V3
Amcrest|IP5M-T1179EW-AI-V3
Amcrest|IP8M-T2599EW-AI-V3
Arlo|Pro 3
Arlo|Essential XL v2
Arlo|Go 2
Arlo|Ultra 2 Spotlight
Aqara|Camera Hub G3
Aqara|Camera E1
AvertX|C3212D4-S
AvertX|HD9112F12
AvertX|HD458IR
Avigilon|2.0C-H4IRPTZ-DP30
Avigilon|5.0C-H5A-BO2-IR
Avigilon|10C-H5A-DH2-IR
Avigilon|24C-H5A-3MH
Avigilon|3.0C-H5SL-DO1-IR
Avigilon|2.0C-H6A-DC1-IR
Avigilon|5.0C-H6SL-BO1-IR
Avigilon|H6A PTZ 30x (2.0C-H6A-PTZ-DP30)
Axis|F4105-LRE
Axis|M2036-LE
Axis|M3077-PLVE
Axis|M3106-LVE Mk II
Axis|M4228-LVE
Axis|P1448-LE
Axis|P3265-LVE
Axis|P3727-PLE
Axis|P5676-LE
Axis|Q1656-BE
Axis|Q1809-LE
Axis|Q1952-E
Axis|Q3538-SLVE
Axis|Q6135-LE
Axis|Q9307-LV
Axis|FA4115
Axis|M3064-V
Axis|P1275
Blink|Outdoor 4
Blink|Mini 2
Bosch|NBE-5704-AL
Bosch|MIC-7504-Z12BR
Bosch|MIC-9502-Z30BVF
Bosch|NBN-73023-BA
Bosch|NBT-8701-F14VF
Bosch|NDE-8703-RXL
Bosch|NDM-7703-AL
Bosch|NDP-5522-Z30L
Bosch|NDI-3703-AL
Bosch|NCE-7703-FK
Bosch|FCS-8000-VFD-I
Bosch|FLEXIDOME outdoor 5100i IR (NDE-5704-AL)
Bosch|DINION IP starlight 7000 HD (NBN-73023-BA)
Bosch|MIC IP fusion 9000i (MIC-9803S-Z30B14V)
Bosch|NDS-5704-F360LE
Bosch|NHT-8001-F35VF
Bosch|NUE-3703-F04
Bosch|NDV-8503-RX
Bosch|NDP-7804-Z12L
Bosch|NTI-50022-A3
Bosch Smart Home|Outdoor Camera II
Canon|VB-H47
Canon|VB-R13VE
Canon|VB-S805D Mk II
Canon|VB-M46
Costar|AV05CLD-200
Costar|AV12CFE-250
D-Link|DCS-4605EV
D-Link|DCS-8635LH
D-Link|DCS-4718E
D-Link|DCS-4614EK
Dahua|SD49425XB-HNR
Dahua|DH-SD6AL245XA-HNR
Dahua|DH-SDT7425-4P-AD3E-PV-i
Dahua|HAC-HDW1200TRQ-IL-T
Dahua|HAC-HFW2802E-A
Dahua|HAC-HDW1549SM-IL-A-PRO
Dahua|IPC-HDBW2241R-ZAS
Dahua|IPC-HDBW3449R1-ZAS-PV-PRO
Dahua|IPC-HDBW5842EP-ZE-S3
Dahua|IPC-HDW1230DT-STW
Dahua|IPC-HDW21249T-S-IL
Dahua|IPC-HDW2849H-S-PROX
Dahua|IPC-HDW3449H-AS-PV-PRO
Dahua|IPC-HDW5449H-ASE-D2
Dahua|IPC-HF71242F-Z-X
Dahua|IPC-HFW1230DS-SAW
Dahua|IPC-HDBW3441DR1-AST-4G-LA
Dahua|IPC-HDW1439V-IL-K
Dahua|IPC-HDW2549EMP-S-PRO
Dahua|IPC-HDBW2831E-S-S2
Dahua|IPC-HDW3866EMP-S
Dahua|IPC-HDW5842TM-ASE
Dahua|F5D-PV
Dahua|HAC-HFW1509T-A-LED
Dahua|IPC-HDBW3866RP-ZAS
Dahua|IPC-HDW2449TM-S-IL
Dahua|IPC-HFW2849T-ZAS-IL
Dahua|IPC-PFW81642-A180
Dahua|IPC-PDBW5831-B360
Dahua|ITC237-PW1B-IRZ-LR
Dahua|MPTZ1100-2030RA
Dahua|PTZ85848-HNF-PA
Dahua|PTZ1A225-HNR-GB
Dahua|SD22404DB-GNY
Dahua|SD8A840XA-HNP-WP
Dahua|SDT5X425-4Z4-FA-2812
Dahua|SDZ4032-HNR-ZB
Dahua|SD6E445MB-HNR-A-PV1
Dahua|IPC-HFW5842H-Z4HE
Dahua|IPC-HFW71242H-Z
Dahua|IPC-PTS2249B-E2-S-PV-PRO
Dahua|SD4F420DA-HNY
Dahua|IPC-HFW3449T1-AS-PV-PRO-ATC
Dahua|IPC-HFW1539DTK1-SW-PV
Dahua|IPC-HFW2249TL-S-PROX
Dahua|SD7A840FA-HNF-ATC
Digital Watchdog|DWC-MB45iALPRTX
Digital Watchdog|DWC-PVX20WATX
Digital Watchdog|DWC-XDBJ10Mi
Digital Watchdog|DWC-MPTZ20X
Digital Watchdog|DWC-MV95WiATW
EZVIZ|C6N
EZVIZ|C3TN
EZVIZ|H8c Pro 2K
EZVIZ|CB8 Pro
EZVIZ|C8C
EZVIZ|BC1C eLife
EZVIZ|DB2C
EZVIZ|H6c
EZVIZ|C1C-B
EZVIZ|TY1 Pro
EZVIZ|EB8 4G
EZVIZ|H3K PoE 4K
EZVIZ|LC3
EZVIZ|H90 Dual 2K+
EZVIZ|C8W Pro 2K
EZVIZ|C3X
Eufy|eufyCam 3
Eufy|SoloCam S340
Eufy|Indoor Cam E220
Eufy|Floodlight Cam E340
EverFocus|EZN1250-SG
EverFocus|EHN2550-SG
EverFocus|EFN1980-SG
FLIR|Elara FB-632T
FLIR|Elara FC-324T
Foscam|SD8EP
Foscam|V8EP
Foscam|D4Z
GeoVision|GV-ABL8712
GeoVision|GV-EBD4813
GeoVision|GV-FER12700
GeoVision|GV-SD4834-IR
GeoVision|GV-GBL4911
GeoVision|GV-QSD5731-IR
GeoVision|GV-PBL8800
GeoVision|GV-EFER3700
Hikvision|DS-2AE4225ITG
Hikvision|DS-2CC12D9T-AIT3ZE
Hikvision|DS-2CD1H43G2-IZS
Hikvision|DS-2CD20166G3-IUY/SL
Hikvision|DS-2CD2027G2H-LI(U)
Hikvision|DS-2CD2046G2H-I2U/SLRB
Hikvision|DS-2CD1027G2H-LIU(F)
Hanwha|ANE-L6012R
Hanwha|PNM-9031RV
Hanwha|QNO-8080R
Hanwha|XNV-A9084R
Hanwha|TNV-C7013RC
Hanwha|XNP-9300RW
Hanwha|PNM-C34404RQPZ
Hanwha|QNE-C9013RL
Hanwha|XNO-C7083R
Hanwha|PND-A9081RV
Hanwha|PNM-9000VQ
Hanwha|QND-6082R1
Google|Nest Cam IQ Outdoor
Google|Nest Doorbell (Battery)
Grandstream|GSC3615
Grandstream|GSC3620
Hikvision|DS-2CE16D0T-EXIF
Hikvision|DS-2CE19U8T-AIT3Z
Hikvision|DS-2CV2041G2-IDW
Hikvision|DS-2CFS04/4G
Hikvision|DS-2CD6944G0-IHS
Hikvision|DS-2CD7A87G0-XZS
Hikvision|DS-2DE4825WG-E3
Hikvision|DS-2CD2T87G3P-LIS2UY/SL
Hikvision|DS-2CD2347G2P-LSU/SL
Hikvision|DS-2CD2143G2-LIPTRZS2UY
i-PRO|WV-S85402-V2L1
i-PRO|WV-S8544LG
i-PRO|WV-U11301-F3
i-PRO|WV-U61300-ZY
i-PRO|WV-X15500-V3L
i-PRO|WV-X22700-V2L
i-PRO|WV-X25580-F2LN2
i-PRO|WV-U2532LA
i-PRO|WV-S85703A-V2LG
i-PRO|WV-X15701-Z3LN
i-PRO|WV-U35401-F2LG
i-PRO|WV-S1536LNA
i-PRO|WV-S2136LA
i-PRO|WV-S4576LMA
i-PRO|WV-S65340-Z4N
i-PRO|WV-S71300A-F3
i-PRO|WV-S6532LN
i-PRO|WV-S32402-F2L
IMOU|Cruiser 2 5MP
IMOU|Ranger 2 Pro 4K
IMOU|Bullet 2C 5MP
IMOU|Cell PT Lite
IMOU|Knight 8MP
IMOU|Rex 3D-R1 5MP
IMOU|PS7F 5MP
IMOU|Versa 2MP
IMOU|AOV PT 4K
IMOU|Cruiser Dual 2 10MP
Dahua|IPC-HDBW71242E1-Z-X
Dahua|IPC-HFW1230DS1-SAW
Dahua|IPC-HFW1339DTK1-SAW-IL
IDIS|DC-D4516WRX
INSTAR|IN-9408 2K+
INSTAR|IN-8015 Full HD
Jovision|JVS-N517-TDL
Jovision|JVS-H950E
Kasa|KC420WS
Kasa|EC70
Kedacom|IPC2231-FN-SIR40
Kedacom|IPC2852-FN/FNB-SIR50-Z
Kedacom|IPC425-F233-N
LTS|LTCMIP9783NW-SZ
LTS|LTCMIP3C8PW-SDL
March Networks|SE4
March Networks|ME8
Milesight|MS-C2961-RLPB
Milesight|MS-C5383-PB
Milesight|MS-C8262-FPB
Milesight|MS-C9674-PB
Milesight|MS-C2942-EPB
Mobotix|M73
Mobotix|Q71
Mobotix|S74 Dual Sensor
Mobotix|P71
Netatmo|Smart Outdoor Camera
Pelco|IMP231-1ERS
Pelco|Sarix Enhanced 4 IME832-1IRS
Pelco|S7230L-EW1
Pelco|IMM12027-1EP
Pelco|Spectra Professional 4K S6230-FWL1
Reolink|B800
Reolink|D1200
Reolink|Argus 3 Pro
Reolink|Duo 2 PoE
Reolink|CX810
Reolink|E1
Reolink|RLC-1224A
Reolink|RLC-811A
Reolink|RLC-823A 16X
Reolink|RLC-81MA
Reolink|RLC-542WA
Reolink|TrackMix PoE
Reolink|Duo 3 PoE
Reolink|Go PT Ultra
Reolink|E1 Outdoor Pro
Reolink|P430
Ring|Stick Up Cam Pro
Ring|Video Doorbell 4
Synology|BC500
Synology|TC500
Synology|BC800Z
Tapo|Tapo C200
Tapo|Tapo C310
Tapo|Tapo C320WS
Tapo|Tapo C225
TVT Digital|TD-8483IS-A
TVT Digital|TD-9452E3-A
TVT Digital|TD-9422E3-A
Tiandy|TC-C34SP
Tiandy|TC-H388M
Tiandy|TC-C38LS
Ubiquiti|UniFi Protect G4 Pro
Ubiquiti|UniFi Protect AI Bullet
Ubiquiti|UniFi Protect G6 Pro 360
Ubiquiti|UniFi Protect G3 Flex
Uniarch|IPC-B124-APF28K
Uniarch|IPC-T314-ADZK
Uniarch|Uho-S2-M4
Uniarch|IPC-P413-X20K
Uniarch|IPC-D312-ADZK
Uniview|IPC2122LB-AF28K-DL
Uniview|IPC2B18SE-ADF28K-WP-I1
Uniview|IPC2K28SE-ADF28KMC-DL-I0
Uniview|IPC2324LB-ADZK-H
Uniview|IPC28184EA-ADX5K-F40-I1
Uniview|IPC314SB-ADF28KMC-DL-I1
Uniview|IPC2A14LP-ADF40KC-4G-E
Uniview|IPC245LP-ADF40KC-WP
Verkada|CD43-E
Verkada|CP63-E
Verkada|CF83-E
Verkada|CM42-S
Verkada|CB62
VIGI|VIGI C340
VIGI|VIGI C540V
VIGI|VIGI InSight S345ZI
VIGI|VIGI InSight S485
Vivotek|FD9389-EHV-v2
Vivotek|IB9389-EHTV-V3
Vivotek|MS9321-EHV-V2
Vivotek|SD9384-EHL
Vivotek|FE9382-EHV-V2
Vivotek|IP9191-HP
Vivotek|CC9381-HV
Wyze|Cam v3
Wyze|Cam Pan v3
Xiaomi|Smart Camera C500 Pro
Xiaomi|Outdoor Camera CW400
HiLook|IPC-B140HA
HiLook|IPC-T269HAD-LUF
HiLook|PTZ-N2C400M-DE
HiLook|IPC-D180H
HiLook|IPC-C340HA-D/W
HiLook|IPC-B129HAA-LU
Hikvision|iDS-2CD7A47G2H-XZHSY
Hikvision|DS-2SE4C425MWG-E
Hikvision|DS-2DP8A440IXG1-LEF/624(F0)
Hikvision|DS-2XS6A46G1/P-IZS
Hikvision|DS-2PT3Q27IWX-DE
Hikvision|DS-2DF4420-DX(316L)(E)
"""


CVE = f'{GH}/CVEProject/cvelistV5/blob'
# Products named in CVE records (whole model numbers only; family patterns such as "IPC-HX3XXX" were not used).
CVE_ROWS = [
    (
        'model_only',
        'Dahua',
        f'{CVE}/15e82d55e42cccf5cb84687e42c5490862ba2976/cves/2021/33xxx/CVE-2021-33044.json',
        {'model': 'TPC-BF1241'},
    ),
    (
        'model_only',
        'Dahua',
        f'{CVE}/15e82d55e42cccf5cb84687e42c5490862ba2976/cves/2021/33xxx/CVE-2021-33044.json',
        {'model': 'TPC-BF2221'},
    ),
    (
        'model_only',
        'Dahua',
        f'{CVE}/15e82d55e42cccf5cb84687e42c5490862ba2976/cves/2021/33xxx/CVE-2021-33044.json',
        {'model': 'TPC-SD2221'},
    ),
    (
        'maker_named',
        'Nuuo',
        f'{CVE}/38309d785a9c895b42839a84680d20a20dfed9a4/cves/2016/5xxx/CVE-2016-5674.json',
        {'manufacturer': 'NUUO', 'model': 'NVRmini 2'},
    ),
    (
        'maker_named',
        'Nuuo',
        f'{CVE}/38309d785a9c895b42839a84680d20a20dfed9a4/cves/2016/5xxx/CVE-2016-5674.json',
        {'manufacturer': 'NUUO', 'model': 'NVRsolo'},
    ),
    (
        'model_only',
        'Nuuo',
        f'{CVE}/38309d785a9c895b42839a84680d20a20dfed9a4/cves/2016/5xxx/CVE-2016-5674.json',
        {'model': 'NVRmini 2'},
    ),
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
    yield from CVE_ROWS
    for maker, model, src in TELECOM_MODELS:
        yield 'model_only', maker, src, {'model': model}
        yield 'maker_named', maker, src, {'manufacturer': maker, 'model': model}
