"""Identification over the API: the same answers as `oversight identify`, for JSON rows or the command's CSV."""

import io
import json

from django.core.management import call_command
from django.test import override_settings

URL = '/api/identify/'
CSV = (
    'manufacturer,brand,model,firmware,mac\n'
    'Honeywell,,,,\n'
    ',Honeywell,,2.800.0000000.5.R,\n'
    'Axis,,,,00:40:8C:12:34:56\n'
    ',,,,not a mac\n'
)


def _command(csv_text: str, tmp_path) -> list[dict]:
    path = tmp_path / 'devices.csv'
    path.write_text(csv_text)
    out = io.StringIO()
    call_command('identify', str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_csv_gives_exactly_what_the_command_prints(world, api, tmp_path):
    response = api(world.a.viewer).generic('POST', URL, CSV.encode(), content_type='text/csv')
    assert response.status_code == 200, response.content
    assert response.json()['results'] == _command(CSV, tmp_path)


def test_json_rows_give_the_commands_answers(world, api, tmp_path):
    rows = [
        {'manufacturer': 'Honeywell'},
        {'brand': 'Honeywell', 'firmware': '2.800.0000000.5.R'},
        {'manufacturer': 'Axis', 'mac': '00:40:8C:12:34:56'},
        {'mac': 'not a mac'},
    ]
    response = api(world.regulator).post(URL, {'rows': rows}, format='json')
    assert response.status_code == 200, response.content
    expected = _command(CSV, tmp_path)
    results = response.json()['results']
    assert [r['maker'] for r in results] == [e['maker'] for e in expected] == ['Dahua', 'Dahua', 'Axis', None]
    assert results[:3] == expected[:3]
    # The command numbers a bad value by its CSV line; both name the column.
    assert 'mac' in results[3]['error'] and 'mac' in expected[3]['error']


def test_onvif_scopes_are_read_over_the_api(world, api):
    scopes = ['onvif://www.onvif.org/hardware/DS-2CD2143G2-I', 'onvif://www.onvif.org/location/city/hangzhou']
    response = api(world.a.editor).post(URL, {'rows': [{'onvif_scopes': scopes}]}, format='json')
    assert response.json()['results'][0]['maker'] == 'Hikvision'


def test_unknown_columns_and_lists_are_refused(world, api):
    client = api(world.a.viewer)
    unknown = client.post(URL, {'rows': [{'vendor': 'Axis'}]}, format='json')
    assert unknown.status_code == 400 and 'vendor' in json.dumps(unknown.json())
    header = client.generic('POST', URL, b'vendor\nAxis\n', content_type='text/csv')
    assert header.status_code == 400 and 'Unknown column "vendor"' in header.json()['header']
    concern = client.post(URL, {'rows': [{'brand': 'Axis'}], 'concern_list': 'no-such-list'}, format='json')
    assert concern.status_code == 400 and 'concern_list' in concern.json()


def test_rows_are_bounded(world, api):
    response = api(world.a.viewer).post(URL, {'rows': [{}] * 10_001}, format='json')
    assert response.status_code == 400


@override_settings(OVERSIGHT_MAX_UPLOAD_BYTES=100)
def test_a_body_beyond_the_upload_bound_is_refused_unread(world, api):
    response = api(world.a.viewer).generic('POST', URL, CSV.encode() * 10, content_type='text/csv')
    assert response.status_code == 413


def test_identification_needs_sign_in(world, api):
    assert api(None).post(URL, {'rows': [{}]}, format='json').status_code == 401
