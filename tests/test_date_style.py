"""One date style on every page: GOV.UK's `31 December 2026` and `31 December 2026, 8:50pm`.

Every page the access matrix knows is read as regulator staff and as a body's editor, and any other style
fails: `31/12/2026`, `p.m.`, `06 Aug 2022`, `31 December 2026 20:50`. CSV and XLSX exports and PDFs keep
ISO 8601 and are not read here.
"""

import datetime
import re

import pytest
from api_fixtures import client_for
from test_access_matrix import readable_urls

from oversight.core.dates import govuk_date, govuk_datetime

pytest_plugins = ['api_fixtures']

MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December'
OTHER_STYLES = {
    'numeric': re.compile(r'\b\d{1,2}/\d{1,2}/\d{4}\b'),
    'a.m./p.m.': re.compile(r'\b\d{1,2}(:\d\d)? ?[ap]\.m\.'),
    'abbreviated month': re.compile(r'\b\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec) \d{4}\b'),
    'leading zero': re.compile(rf'\b0\d ({MONTHS}) \d{{4}}\b'),
    '24-hour time': re.compile(rf'\b({MONTHS}) \d{{4}},? \d{{1,2}}:\d\d(?![\d:]*[ap]m)'),
}


def test_the_style_itself():
    moment = datetime.datetime(2026, 12, 31, 20, 50, tzinfo=datetime.UTC)
    assert govuk_datetime(moment) == '31 December 2026, 8:50pm'
    assert govuk_date(moment.date()) == '31 December 2026'
    summer = datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC)  # 9am in London
    assert govuk_datetime(summer) == '1 July 2026, 9am'
    assert govuk_datetime(summer.replace(hour=11)) == '1 July 2026, midday'
    assert govuk_datetime(summer.replace(hour=23)) == '2 July 2026, midnight'
    for style, pattern in OTHER_STYLES.items():
        assert not pattern.search(govuk_datetime(moment)), style
    for wrong in ('31/12/2026 8:50 p.m.', '06 Aug 2022 06:09', '31 December 2026 20:50'):
        assert any(pattern.search(wrong) for pattern in OTHER_STYLES.values()), wrong


@pytest.mark.parametrize('role', ['regulator', 'editor'])
def test_every_page_writes_dates_one_way(world, db, role):
    client = client_for(world, role)
    wrong = []
    for url in readable_urls(world, role):
        response = client.get(url)
        if not response.get('Content-Type', '').startswith('text/html'):
            continue
        text = re.sub(r'<[^>]+>', ' ', response.content.decode())
        wrong += [f'{url}: {m.group(0)!r} ({style})' for style, p in OTHER_STYLES.items() for m in p.finditer(text)]
    assert not wrong, '\n'.join(wrong)
