"""Published findings for everyone: the publication page, its documents as frozen, CSVW open data and the Atom feed."""

import csv
import datetime
import io
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from csvw import CSVW
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oversight.core.models import ObjectChange
from oversight.findings import actions, downloads

from .conftest import correct_body_worn_video
from .test_publication import FIRST, TEXT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures('fast_pdf')]
ATOM = '{http://www.w3.org/2005/Atom}'
OGL = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/'


@pytest.fixture
def report(campaign, regulator):
    return actions.create_report(regulator, campaign, narrative_text=TEXT)


@pytest.fixture
def published(report, regulator):
    return actions.publish_report(regulator, report, now=FIRST)


def public(name, *args):
    return reverse(f'publications:{name}', args=args)


def page_text(response) -> str:
    """The page without its per-request nonce."""
    return re.sub(r'nonce="[^"]+"', '', response.content.decode())


def as_read(value):
    """A table's cell as CSVW reads it from the CSV: an empty cell is null, a decimal a Decimal."""
    if value == '':
        return None
    return Decimal(str(value)) if isinstance(value, float) else value


def rows_of_bytes(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def rows_of(response) -> list[list[str]]:
    return rows_of_bytes(response.content)


def test_anyone_reads_the_publication_page_with_its_documents_and_licence(client, published):
    response = client.get(public('publication', 'survey-2022', 1))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{published.title}</h1>' in html
    assert 'Two responses were received out of a possible total of 3' in html  # the summary: its first paragraph
    base = public('publication', 'survey-2022', 1)
    documents = [public('report', 'survey-2022', 1), public('pdf', 'survey-2022', 1)]
    for name in downloads.TABLES:
        documents += [f'{base}tables/{name}.csv', f'{base}tables/{name}.csv-metadata.json']
    for address in documents:
        assert f'href="{address}"' in html
        assert client.get(address).status_code == 200, address
    assert f'rel="license" href="{OGL}">Open Government Licence v3.0</a>' in html
    assert 'Sign in' not in html and 'Sign out' not in html


def test_the_public_is_told_which_organisation_published_never_which_person(
    client, report, regulator, django_user_model
):
    staff = django_user_model.objects.create_user(
        username='jsmith-obscc', organisation=regulator.organisation, role=regulator.role
    )
    actions.publish_report(staff, report, now=FIRST)
    for address in (public('publication', 'survey-2022', 1), public('report', 'survey-2022', 1), public('feed')):
        text = client.get(address).content.decode()
        assert 'jsmith-obscc' not in text and settings.OVERSIGHT_OPERATOR['name'] in text, address


def test_the_files_are_the_ones_frozen_at_publication(client, published, regulator, campaign):
    before = {
        name: client.get(public('publication', 'survey-2022', 1) + f'tables/{name}.csv').content
        for name in downloads.TABLES
    }
    report_before = page_text(client.get(public('report', 'survey-2022', 1)))
    # A correction changes the live figures; the published version must not follow them.
    correct_body_worn_video(regulator, campaign, now=FIRST + datetime.timedelta(days=14))
    draft = downloads.table('categories', actions.report.build(campaign))
    frozen = downloads.table('categories', published.data)
    assert draft.rows != frozen.rows
    pdf = client.get(public('pdf', 'survey-2022', 1))
    assert pdf['Content-Type'] == 'application/pdf' and pdf.content == bytes(published.pdf)
    for name, content in before.items():
        assert client.get(public('publication', 'survey-2022', 1) + f'tables/{name}.csv').content == content
    assert rows_of(client.get(public('publication', 'survey-2022', 1) + 'tables/categories.csv'))[1:] == [
        [str(cell) for cell in row] for row in frozen.rows
    ]
    assert page_text(client.get(public('report', 'survey-2022', 1))) == report_before


def test_an_address_that_was_never_published_is_a_404(client, report, published, regulator):
    base = public('publication', 'survey-2022', 1)
    for address in (
        public('publication', 'survey-2022', 2),  # not (yet) published
        public('report', 'survey-2022', 2),
        public('pdf', 'survey-2022', 2),
        public('publication', 'no-such-survey', 1),
        public('latest', 'no-such-survey'),
        base + 'tables/no-such-table.csv',
        base + 'tables/no-such-table.csv-metadata.json',
    ):
        assert client.get(address).status_code == 404, address


def test_a_report_not_published_yet_has_no_public_page(client, report):
    assert client.get(public('latest', 'survey-2022')).status_code == 404
    assert client.get(public('publication', 'survey-2022', 1)).status_code == 404
    html = client.get(public('publication_list')).content.decode()
    assert report.title not in html and 'Nothing has been published yet' in html
    # The draft itself stays behind sign-in.
    draft = client.get(reverse('findings:report', args=['survey-2022']))
    assert draft.status_code == 302 and draft['Location'].startswith(reverse('account_login'))


def test_a_later_version_replaces_the_earlier_one_which_stays_at_its_address(
    client, report, published, regulator, campaign
):
    correct_body_worn_video(regulator, campaign, now=FIRST + datetime.timedelta(days=14))
    second = actions.publish_report(
        regulator, report, note='Body-worn video corrected.', now=FIRST + datetime.timedelta(days=15)
    )
    latest = client.get(public('latest', 'survey-2022'))
    assert latest.status_code == 302 and latest['Location'] == public('publication', 'survey-2022', 2)
    first_page = client.get(public('publication', 'survey-2022', 1)).content.decode()
    assert 'This version has been replaced' in first_page
    listed = client.get(public('publication_list')).content.decode()
    assert listed.count(f'href="{public("publication", "survey-2022", 2)}"') == 1
    assert f'href="{public("publication", "survey-2022", 1)}"' not in listed  # one entry per report: the latest
    assert second.note in client.get(public('publication', 'survey-2022', 2)).content.decode()


def test_every_table_has_csvw_metadata_that_describes_its_csv(client, published, tmp_path):
    base = public('publication', 'survey-2022', 1) + 'tables/'
    for name in downloads.TABLES:
        address = f'{base}{name}.csv-metadata.json'
        response = client.get(address)
        assert response['Content-Type'] == 'application/csvm+json'
        metadata = json.loads(response.content)
        assert metadata['@context'][0] == 'http://www.w3.org/ns/csvw'
        assert metadata['dc:license'] == {'@id': OGL}
        assert metadata['dc:issued']['@value'] == '2023-02-15'
        # The CSV it describes is where its `url` says, relative to the metadata's own address.
        csv_address = posixpath.join(posixpath.dirname(address), metadata['url'])
        assert csv_address == f'{base}{name}.csv'
        content = client.get(csv_address).content
        assert [column['titles'] for column in metadata['tableSchema']['columns']] == rows_of_bytes(content)[0]
        # An open-data user's tools read the table through its metadata: the csvw library checks every cell.
        (tmp_path / f'{name}.csv').write_bytes(content)
        (tmp_path / f'{name}.csv-metadata.json').write_bytes(response.content)
        described = CSVW(str(tmp_path / f'{name}.csv-metadata.json'), validate=True)
        assert described.is_valid, (name, [str(warning.message) for warning in described.warnings])
        [table] = described.tables
        names = [column.name for column in table.tableSchema.columns]
        expected = [[as_read(value) for value in row] for row in downloads.table(name, published.data).rows]
        assert list(table.iterdicts()) == [dict(zip(names, row, strict=True)) for row in expected]
    categories = json.loads(client.get(f'{base}categories.csv-metadata.json').content)
    kinds = {column['titles']: column['datatype'] for column in categories['tableSchema']['columns']}
    assert (kinds['Category'], kinds['Operating'], kinds['Makers of concern']) == ('string', 'integer', 'string')
    responses = json.loads(client.get(f'{base}responses.csv-metadata.json').content)
    assert {c['titles']: c['datatype'] for c in responses['tableSchema']['columns']}['Response rate (%)'] == 'decimal'


def test_the_atom_feed_lists_every_version_newest_first(client, report, published, regulator, campaign):
    correct_body_worn_video(regulator, campaign, now=FIRST + datetime.timedelta(days=14))
    actions.publish_report(regulator, report, now=FIRST + datetime.timedelta(days=15))
    response = client.get(public('feed'))
    assert response['Content-Type'].startswith('application/atom+xml')
    feed = ET.fromstring(response.content)
    assert feed.tag == f'{ATOM}feed' and OGL in feed.find(f'{ATOM}rights').text
    entries = feed.findall(f'{ATOM}entry')
    assert [entry.find(f'{ATOM}title').text for entry in entries] == [
        f'{report.title} (version 2)',
        f'{report.title} (version 1)',
    ]
    links = [entry.find(f'{ATOM}link').get('href') for entry in entries]
    assert links == [f'http://testserver{public("publication", "survey-2022", n)}' for n in (2, 1)]
    assert entries[1].find(f'{ATOM}updated').text.startswith('2023-02-15')
    assert 'Two responses were received' in entries[1].find(f'{ATOM}summary').text
    # Pages link the feed for feed readers to find.
    assert (
        f'type="application/atom+xml" title="Published findings" href="{public("feed")}"'
        in client.get(public('publication_list')).content.decode()
    )


def test_a_withdrawn_version_is_a_404_at_every_public_address_and_stays_on_record(
    client, client_for, report, published, regulator, campaign
):
    correct_body_worn_video(regulator, campaign, now=FIRST + datetime.timedelta(days=14))
    second = actions.publish_report(regulator, report, now=FIRST + datetime.timedelta(days=15))
    base = public('publication', 'survey-2022', 2)
    addresses = [base, public('report', 'survey-2022', 2), public('pdf', 'survey-2022', 2)]
    addresses += [f'{base}tables/categories.csv', f'{base}tables/categories.csv-metadata.json']
    # In Welsh too: its PDF, and the pages with the language switcher's choice.
    addresses += [public('pdf_cy', 'survey-2022', 2), f'{base}?lang=cy']
    addresses += [public('report', 'survey-2022', 2) + '?lang=cy']
    assert all(client.get(address).status_code == 200 for address in addresses)
    actions.withdraw_version(regulator, second, reason='Published in error: the correction was not final.')
    for address in addresses:
        assert client.get(address).status_code == 404, address
    assert public('publication', 'survey-2022', 2) not in client.get(public('publication_list')).content.decode()
    assert '(version 2)' not in client.get(public('feed')).content.decode()
    # The stable address falls back to the version still public, which is no longer marked as replaced.
    assert client.get(public('latest', 'survey-2022'))['Location'] == public('publication', 'survey-2022', 1)
    assert 'This version has been replaced' not in client.get(public('publication', 'survey-2022', 1)).content.decode()
    # Signed in, the version is still there, marked withdrawn with the reason.
    html = client_for(regulator).get(reverse('findings:version', args=['survey-2022', 2])).content.decode()
    assert 'data-testid="withdrawn"' in html and 'Published in error: the correction was not final.' in html
    assert 'data-testid="withdraw-link"' not in html and 'data-testid="public-link"' not in html


def test_withdrawing_needs_a_reason_regulator_staff_and_happens_once(published, regulator, editor_a):
    with pytest.raises(PermissionDenied):
        actions.withdraw_version(editor_a, published, reason='No.')
    with pytest.raises(ValidationError) as raised:
        actions.withdraw_version(regulator, published, reason='  ')
    assert raised.value.message_dict == {
        'reason': ['Say why the version is withdrawn: it is shown beside the version.']
    }
    withdrawal = actions.withdraw_version(regulator, published, reason='Published in error.')
    assert ObjectChange.objects.for_object(withdrawal).get().user == regulator
    with pytest.raises(ValidationError, match='already withdrawn'):
        actions.withdraw_version(regulator, published, reason='Again.')


def test_regulator_staff_withdraw_a_version_through_its_page(client, client_for, published, regulator):
    signed_in = client_for(regulator)
    address = reverse('findings:version_withdraw', args=['survey-2022', 1])
    page = signed_in.get(address).content.decode()
    assert 'Withdraw version 1 of' in page and 'Why is this version withdrawn?' in page
    refused = signed_in.post(address, {'reason': ''})
    assert refused.status_code == 200 and 'Say why the version is withdrawn' in refused.content.decode()
    done = signed_in.post(address, {'reason': 'Published in error.'}, follow=True)
    assert 'is no longer public' in done.content.decode()
    assert signed_in.get(address).status_code == 404  # nothing left to withdraw
    signed_in.logout()
    assert client.get(public('publication', 'survey-2022', 1)).status_code == 404
