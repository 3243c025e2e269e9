"""Bad input never crashes or hangs the engine or the reader: arbitrary text, bytes, huge lines."""

import io
import json
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.identification.oui import parse_mac
from oversight.identification.signals import FIELDS, FieldError, Signals
from oversight.identification.stream import MAX_LINE_BYTES, HeaderError, _Lines, identify_csv

from .conftest import pure_identifier

# Built once: Hypothesis times every example, and the first build reads the OUI registry.
IDENTIFIER = pure_identifier()
HEADER = (','.join(FIELDS) + '\n').encode()
KEYS = {'maker', 'concern', 'designations', 'confidence', 'evidence'}
# Evidence quotes at most 80 characters of a value, so no input makes an answer large.
MAX_ANSWER_CHARS = 8_000
# Not a timing test: a generous bound that still fails a pattern that backtracks without end (a hang),
# while a busy machine cannot make it flaky.
never_hangs = settings(deadline=2000)


def _check(result):
    assert 0.0 <= result.confidence <= 1.0
    assert result.maker is None or isinstance(result.maker, str)
    if result.maker is None:
        assert result.concern is None and result.confidence == 0.0
    answer = json.loads(result.json)
    assert KEYS <= set(answer) <= KEYS | {'error'}
    assert len(result.json) < MAX_ANSWER_CHARS


@never_hangs
@given(st.text())
def test_parse_mac_never_raises(text):
    parsed = parse_mac(text)
    assert isinstance(parsed, FieldError) or (len(parsed) == 12 and int(parsed, 16) >= 0)


@never_hangs
@given(st.sampled_from(FIELDS), st.text(max_size=3000))
def test_any_text_in_any_field(field, text):
    _check(IDENTIFIER.identify(Signals(**{field: text})))


@never_hangs
@given(st.lists(st.text(max_size=200), min_size=9, max_size=9))
def test_any_row(values):
    result = IDENTIFIER.identify_values(values)
    _check(result)
    findings = IDENTIFIER.findings(values)
    if not isinstance(findings, FieldError):
        # The assembled output line says exactly what the Identification says.
        assert json.loads(IDENTIFIER.answer_json(findings, values)) == result.as_dict()


@never_hangs
@given(st.one_of(st.text(max_size=2000), st.lists(st.text(max_size=100), max_size=20)))
def test_any_onvif_scopes(scopes):
    _check(IDENTIFIER.identify(Signals(onvif_scopes=scopes)))


@never_hangs
@given(st.binary(max_size=4000))
def test_any_bytes_after_a_good_header_give_one_answer_per_row(data):
    out = []
    rows = identify_csv(io.BytesIO(HEADER + data), out.append, IDENTIFIER)
    lines = ''.join(out).splitlines()
    assert len(lines) == rows
    for line in lines:
        assert set(json.loads(line)) >= KEYS


@never_hangs
@given(st.binary(max_size=2000))
def test_any_bytes_as_the_whole_input_are_read_or_refused(data):
    out = []
    try:
        identify_csv(io.BytesIO(data), out.append, IDENTIFIER)
    except HeaderError:
        assert out == []


def test_binary_junk_in_a_banner_names_the_column():
    data = HEADER + b',,,,,\xff\xfe\x00junk\x01,,,\n'
    out = []
    identify_csv(io.BytesIO(data), out.append, IDENTIFIER)
    answer = json.loads(out[0])
    assert answer['maker'] is None
    assert answer['error'] == 'line 2, column "http_server": contains binary data or control characters'


class _LongLine(io.RawIOBase):
    """The header, one enormous line (never held whole, not even here), then a good row."""

    def __init__(self, size: int):
        self.head = HEADER
        self.left = size
        self.tail = b'\n,,,,C0:56:E3:00:00:01,,,,\n'

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            chunk, self.head = self.head[: len(buffer)], self.head[len(buffer) :]
        elif self.left > 0:
            chunk = b'a' * min(len(buffer), self.left)
            self.left -= len(chunk)
        else:
            chunk, self.tail = self.tail[: len(buffer)], self.tail[len(buffer) :]
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_huge_line_is_cut_and_skipped_in_bounded_memory():
    out = []
    tracemalloc.start()
    try:
        rows = identify_csv(io.BufferedReader(_LongLine(64 * 1024 * 1024)), out.append, IDENTIFIER)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024
    answers = [json.loads(line) for line in ''.join(out).splitlines()]
    assert rows == 2
    assert answers[0]['error'] == (
        f'line 2, column "manufacturer": the line is longer than {MAX_LINE_BYTES:,} bytes; the rest of it was skipped'
    )
    assert answers[1]['maker'] == 'Hikvision'


def test_lines_are_handed_out_at_most_max_line_bytes_long():
    lines = _Lines(io.BufferedReader(_LongLine(1024 * 1024)))
    assert [len(text) for text in lines] == [len(HEADER), 1, len(',,,,C0:56:E3:00:00:01,,,,\n')]
    assert list(lines.cut) == [2] and len(lines.cut[2]) == MAX_LINE_BYTES
