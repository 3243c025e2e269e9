"""Property tests for the identification parsers, beyond the engine's own (identification/tests/test_bad_input.py):
an answer depends only on its own row, not on the rows around it, the order of the columns, or whether it
came through the command's CSV or the API's JSON; and a register line with any declared identity is
identified without error.
"""

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.identification.engine import Identifier
from oversight.identification.signals import FIELDS, Signals
from oversight.identification.stream import identify_csv
from oversight.register.identification import build_index, identify_line
from oversight.register.models import EquipmentLine

LINE = re.compile(r'^line \d+[,:] ')
fuzz = settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# What devices really show, so that rows identify as makers as well as fail.
SAMPLES = {
    'manufacturer': ['Hikvision', 'Honeywell', 'Axis', 'Dahua Technology', 'LTS', 'Lorex'],
    'brand': ['Honeywell', 'EZVIZ', 'Imou', ''],
    'model': ['DS-2CD2143G2-I', 'IPC-HFW2431S', 'M3024-LVE', 'CMIP3042'],
    'firmware': ['V5.5.52 build 190114', '2.800.0000000.5.R', '2.460.LR00.2.R'],
    'mac': ['C0:56:E3:4A:10:07', '00:40:8C:12:34:56', 'not a mac', '02:00:00:00:00:01'],
    'http_server': ['App-webs/', 'DNVRS-Webs', 'uc-httpd 1.0.0'],
    'www_authenticate': ['Digest realm="IP Camera(C1234)"', 'Basic realm="Login to 4B0123PAZ"'],
    'html_title': ['NETSurveillance WEB', 'Hikvision'],
    'rtsp_server': ['Dahua Rtsp Server'],
}
# Text a CSV file can carry (no NUL, no lone surrogates).
text = st.text(st.characters(exclude_categories=('Cs',), exclude_characters='\x00'), max_size=60)


def value(field: str):
    return st.one_of(st.just(''), st.sampled_from(SAMPLES[field]), text)


rows = st.lists(st.tuples(*(value(f) for f in FIELDS)).map(list), min_size=1, max_size=8)


@pytest.fixture
def identifier(db):
    return Identifier.from_db()


def _csv(header: list[str], body: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    # The default line ending quotes a carriage return inside a value too, as a spreadsheet program does.
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode('utf-8')


def _answers(identifier, data: bytes) -> list[dict]:
    out = []
    identify_csv(io.BytesIO(data), out.append, identifier)
    return [json.loads(line) for line in ''.join(out).splitlines()]


def _without_line_number(answer: dict) -> dict:
    """Errors name the line they were found on; the rest of an answer is the row's alone."""
    if 'error' in answer:
        answer = {**answer, 'error': LINE.sub('', answer['error'])}
    return answer


def test_a_rows_answer_does_not_depend_on_the_rows_around_it(identifier):
    @fuzz
    @given(rows)
    def check(body):
        together = _answers(identifier, _csv(list(FIELDS), body))
        alone = [answer for row in body for answer in _answers(identifier, _csv(list(FIELDS), [row]))]
        blank_rows = [row for row in body if not any(row)]
        # A row of empty values is written as a blank line, which is no row at all.
        assert len(together) == len(body) - len(blank_rows) or blank_rows
        assert [_without_line_number(a) for a in together] == [_without_line_number(a) for a in alone]

    check()


def test_the_order_of_the_columns_does_not_matter(identifier):
    @fuzz
    @given(rows, st.permutations(range(len(FIELDS))))
    def check(body, order):
        header = [FIELDS[i] for i in order]
        shuffled = [[row[i] for i in order] for row in body]
        assert _answers(identifier, _csv(header, shuffled)) == _answers(identifier, _csv(list(FIELDS), body))

    check()


def test_the_api_and_the_command_give_the_same_answer(identifier):
    @fuzz
    @given(rows)
    def check(body):
        body = [row for row in body if any(row)]
        by_command = _answers(identifier, _csv(list(FIELDS), body))
        by_api = [identifier.identify(Signals(**dict(zip(FIELDS, row, strict=True)))).as_dict() for row in body]
        assert [_without_line_number(a) for a in by_command] == [_without_line_number(a) for a in by_api]

    check()


def test_a_register_line_with_any_declared_identity_is_identified(db):
    index = build_index()

    @fuzz
    @given(value('manufacturer'), value('brand'), value('model'), value('firmware'), value('mac'))
    def check(manufacturer, brand, model, firmware, mac):
        line = EquipmentLine(manufacturer_declared=manufacturer, brand=brand, model=model, firmware=firmware)
        line.mac_address = mac
        identify_line(index, line)
        assert line.evidence, 'an answer always says why'
        assert line.concern is None or line.made_by is not None
        assert line.confidence is None or 0 <= line.confidence <= 1

    check()
