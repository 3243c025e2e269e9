"""`oversight identify`: the input and output contract of docs/identification.md, on the seeded reference data."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from oversight.identification.signals import FIELDS

from .conftest import DESIGNATION_KEYS

KEYS = {'maker', 'concern', 'designations', 'confidence', 'evidence'}


def identify(tmp_path, text: str | bytes, *args) -> list[dict]:
    path = tmp_path / 'devices.csv'
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = io.StringIO()
    call_command('identify', str(path), *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_the_done_when_brands(tmp_path):
    answers = identify(tmp_path, 'manufacturer,model\nHoneywell,\nLTS,\nLorex,\nEZVIZ,\nImou,\nAxis,\n')
    makers = [(a['maker'], a['concern']) for a in answers]
    assert makers == [
        ('Dahua', True),
        ('Hikvision', True),
        ('Dahua', True),
        ('Hikvision', True),
        ('Dahua', True),
        ('Axis', False),
    ]
    for answer in answers[:5]:
        assert answer['designations'] and 0 < answer['confidence'] <= 0.99
        assert answer['evidence'][-1].startswith(f'Made by {answer["maker"]} for ')
    assert answers[5]['designations'] == []


@pytest.mark.django_db
def test_output_is_one_json_object_per_row_in_order(tmp_path):
    rows = [
        'manufacturer,brand,model,firmware,mac,http_server,www_authenticate,html_title,rtsp_server',
        ',,,V5.5.52 build 190114,,,,,',
        ',,,,90:02:A9:00:11:22,,,,',
        ',,,,,,,,Dahua Rtsp Server',
        ',,,,,DNVRS-Webs,,,',
        'Acme,,,,,,,,',
        ',,,,,,,,',
    ]
    answers = identify(tmp_path, '\n'.join(rows) + '\n')
    assert [a['maker'] for a in answers] == ['Hikvision', 'Dahua', 'Dahua', 'Hikvision', None, None]
    for answer in answers:
        assert set(answer) == KEYS
        assert isinstance(answer['evidence'], list) and isinstance(answer['designations'], list)
    assert answers[4]['concern'] is None and answers[4]['confidence'] == 0.0
    designation = answers[0]['designations'][0]
    assert set(designation) == DESIGNATION_KEYS


@pytest.mark.django_db
def test_columns_may_be_absent_reordered_and_differently_cased(tmp_path):
    answers = identify(tmp_path, '\ufeff MAC ,Brand\r\nC0:56:E3:12:34:56,\r\n,Lorex\r\n\r\n')
    assert [a['maker'] for a in answers] == ['Hikvision', 'Dahua']


@pytest.mark.django_db
def test_unknown_columns_are_refused_before_any_output(tmp_path):
    path = tmp_path / 'devices.csv'
    path.write_text('manufacturer,colour,serial\nHikvision,red,1\n')
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command('identify', str(path), stdout=out)
    assert refused.value.returncode == 2
    assert 'Unknown column "colour"; unknown column "serial"' in str(refused.value)
    assert ', '.join(FIELDS) in str(refused.value)
    assert out.getvalue() == ''


@pytest.mark.django_db
@pytest.mark.parametrize(
    ('text', 'message'),
    [
        ('', 'The input is empty'),
        ('manufacturer,manufacturer\n', 'Column "manufacturer" is named twice'),
        ('manufacturer,,model\n', 'Column 2 has no name'),
    ],
)
def test_unusable_headers_are_refused(tmp_path, text, message):
    with pytest.raises(CommandError, match=message) as refused:
        identify(tmp_path, text)
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match='Cannot read') as refused:
        call_command('identify', str(tmp_path / 'missing.csv'), stdout=io.StringIO())
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_standard_input(monkeypatch):
    monkeypatch.setattr(sys, 'stdin', io.TextIOWrapper(io.BytesIO(b'model\nDS-2CD2143G0-I\n')))
    out = io.StringIO()
    call_command('identify', '-', stdout=out)
    assert json.loads(out.getvalue())['maker'] == 'Hikvision'


@pytest.mark.django_db
def test_one_concern_list(tmp_path):
    everything = identify(tmp_path, 'manufacturer\nHoneywell\n')[0]
    assert {d['concern_list'] for d in everything['designations']} > {'ndaa-889'}
    only = identify(tmp_path, 'manufacturer\nHoneywell\n', '--concern-list', 'ndaa-889')[0]
    assert only['concern'] is True
    assert {d['concern_list'] for d in only['designations']} == {'ndaa-889'}


@pytest.mark.django_db
def test_an_unknown_concern_list_is_refused(tmp_path):
    with pytest.raises(CommandError, match='no concern list "nope"') as refused:
        identify(tmp_path, 'manufacturer\nHikvision\n', '--concern-list', 'nope')
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_row_problems_give_that_row_an_error_and_the_rest_go_on(tmp_path):
    long_line = ',' * 4 + 'x' * 100_000
    text = (
        '\n'.join(
            [
                'manufacturer,firmware,mac,http_server',
                'Hikvision,,zz:zz,',
                'Hikvision,' + 'V' * 2000 + ',,',
                'Hikvision,,,\x00\x01junk',
                'Hikvision,,,,extra',
                long_line,
                '"unterminated,,,',
                'Dahua,,,',
            ]
        ).encode()
        + b'\nHikvision,,,\xff\xfe\n'
    )
    answers = identify(tmp_path, text)
    errors = [a.get('error') for a in answers]
    assert errors[:5] == [
        'line 2, column "mac": not a MAC address (expected six hexadecimal octets, e.g. C0:56:E3:12:34:56)',
        'line 3, column "firmware": longer than 1,024 characters',
        'line 4, column "http_server": contains binary data or control characters',
        'line 5: 5 values, but the header names 4 columns',
        'line 6, values after the last column: the line is longer than 65,536 bytes; the rest of it was skipped',
    ]
    for answer in answers[:5]:
        assert (answer['maker'], answer['concern'], answer['confidence']) == (None, None, 0.0)
    # CSV reads an unterminated quote as one value running to the end; its undecodable bytes make it unreadable.
    assert len(answers) == 6
    assert errors[5] == 'line 7, column "manufacturer": contains binary data or control characters'
