"""Fixtures for the findings tests: a small hand-built campaign, and report data built without a database."""

import csv
import datetime
import io
import zoneinfo

import pytest

from oversight.findings.governance import count_governance
from oversight.surveys.actions.corrections import record_correction
from oversight.surveys.actions.imports import import_returns
from oversight.surveys.actions.returns import accept_return
from oversight.surveys.interchange import CATEGORIES, COLUMNS

LONDON = zoneinfo.ZoneInfo('Europe/London')
DEADLINE = datetime.datetime(2022, 8, 31, 17, tzinfo=LONDON)
ON_TIME, LATE = '2022-08-01T10:00:00+01:00', '2022-10-03T10:00:00+01:00'

# Kent and Essex respond (Kent late), Surrey does not. See test_engine for the figures these give.
RETURNS = [
    ('Kent Police', 'external_cctv', 'yes', 'Lorex', '', 'LNB8005', '10', 'yes', LATE),
    ('Kent Police', 'external_cctv', 'yes', 'Axis', '', 'P1455-LE', '5', 'yes', LATE),
    ('Kent Police', 'internal_cctv', 'yes', 'Honeywell', 'Performance', 'HBW4PER2', '4', 'unknown', LATE),
    ('Kent Police', 'anpr', 'unknown', '', '', '', '', '', LATE),
    ('Kent Police', 'body_worn_video', 'yes', 'Hikvision', '', 'DS-MH2311', '100', 'no', LATE),
    ('Kent Police', 'drone', 'no', '', '', '', '', '', LATE),
    ('Essex Police', 'external_cctv', 'yes', 'EZVIZ', '', 'C3N', '3', 'no', ON_TIME),
    ('Essex Police', 'external_cctv', 'yes', 'Acme Cameras', '', 'X1', '', 'no', ON_TIME),
    ('Essex Police', 'internal_cctv', 'yes', 'Acme Cameras', '', 'X2', '7', '', ON_TIME),
    ('Essex Police', 'anpr', 'yes', 'Genetec', 'AutoVu', 'SharpV', '2', '', ON_TIME),
    ('Essex Police', 'body_worn_video', 'yes', 'Axon', '', 'Body 3', '50', 'no', ON_TIME),
    ('Essex Police', 'drone', 'yes', 'DJI', '', 'Matrice 30T', '2', 'yes', ON_TIME),
]
RECIPIENTS = ('Kent Police', 'Essex Police', 'Surrey Police')
# The category codes of the interchange, in their order: the order of `oversight findings` output.
CATEGORY_CODES = list(CATEGORIES)


def interchange(rows) -> io.StringIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    buffer.seek(0)
    return buffer


@pytest.fixture
def campaign(regulator, body_a, body_b):
    """Survey 2022 of three bodies, imported from an interchange file; every return accepted."""
    result = import_returns(
        regulator,
        'survey-2022',
        interchange(RETURNS),
        recipients_stream=io.StringIO('\n'.join(RECIPIENTS)),
        deadline=DEADLINE,
    )
    for survey_return in result.campaign.returns.all():
        accept_return(regulator, survey_return)
    return result.campaign


def correct_body_worn_video(regulator, campaign, *, publish=True, now=None):
    """Kent's body-worn cameras turn out to be made by Reveal, not Hikvision."""
    survey_return = campaign.returns.get(organisation__name='Kent Police')
    return record_correction(
        regulator,
        survey_return,
        field='body_worn_video.manufacturers.1.manufacturer',
        new_value='Reveal',
        reason='Enquiries showed the cameras are made by Reveal.',
        source='Letter from the force, 1 March 2023',
        date=datetime.date(2023, 3, 1),
        publish_as_update=publish,
        now=now,
    )


def stub_pdf(context) -> bytes:
    """Not a PDF: bytes naming what was rendered, so a test can tell which version's file it is given."""
    return f'stub PDF of {context["title"]}: {context["status_line"]}'.encode()


@pytest.fixture
def fast_pdf(monkeypatch):
    """Publication without WeasyPrint's few seconds per PDF; test_publication renders a real one and checks it
    is a PDF with the figures, so tests with this stub check which file they get, never that it is a PDF."""
    monkeypatch.setattr('oversight.findings.actions.render_pdf', stub_pdf)


def category(code, **figures) -> dict:
    row = {
        'code': code,
        'label': code.replace('_', ' ').capitalize(),
        'respondents': 39,
        'operating': 0,
        'operating_unknown': 0,
        'with_concern': 0,
        'concern_unknown': 0,
        'aware': 0,
        'aware_unknown': 0,
        'manufacturers_of_concern': [],
        'respondents_by_maker': {},
        'devices_by_maker': {},
        'lines': 0,
        'lines_unresolved': 0,
        'devices': 0,
        'devices_of_concern': 0,
        'quantity_unknown': 0,
    }
    row.update(figures)
    row['manufacturers_of_concern'] = sorted(row['respondents_by_maker'])
    return row


def governed_system(**entry) -> dict:
    """One system's entry in a return's governance snapshot (compliance.governance.snapshot)."""
    return {
        'system': 1,
        'category': 'external_cctv',
        'recorded': True,
        'dpia': 'missing',
        'certified_step': '',
        'self_assessed': False,
        'open_actions': {},
        'facial_recognition': 'none',
        **entry,
    }


def sample_data() -> dict:
    """Report data shaped as report.build() makes it, with the published 2022 figures (no database)."""
    categories = [
        category(
            'external_cctv',
            label='External CCTV',
            operating=36,
            with_concern=18,
            aware=4,
            respondents_by_maker={'Dahua': 5, 'Hikvision': 6, 'Honeywell': 4, 'Huawei': 3, 'Nuuo': 3},
        ),
        category(
            'internal_cctv',
            label='Internal CCTV',
            operating=39,
            with_concern=24,
            aware=5,
            respondents_by_maker={'Dahua': 7, 'Hikvision': 7},
        ),
        category('anpr', label='ANPR', operating=37, with_concern=11, aware=3, respondents_by_maker={'Hikvision': 11}),
        category('body_worn_video', label='Body-worn video', operating=39),
        category('drone', label='Drones', operating=31, with_concern=27, aware=23, respondents_by_maker={'DJI': 27}),
        category('helicopter', label='Helicopter-borne cameras', operating=4),
        category('facial_recognition', label='Facial recognition', operating=12),
        category('other', label='Other', operating=14),
    ]
    published = [dict(row) for row in categories]
    published[3] = category(
        'body_worn_video', label='Body-worn video', operating=39, with_concern=2, respondents_by_maker={'Hikvision': 2}
    )
    non_respondents = ['City of London Police', 'Gloucestershire Constabulary', 'Greater Manchester Police']
    non_respondents += ['Gwent Police', 'Merseyside Police', 'National Crime Agency', 'South Yorkshire Police']
    non_respondents += ['Thames Valley Police']

    def entry(year, responded, with_concern):
        return {
            'slug': f'police-{year}',
            'title': f'Police survey {year}',
            'year': year,
            'invited': 47,
            'responded': responded,
            'on_time': responded,
            'late': 0,
            'response_rate': round(responded / 47, 4),
            'non_respondents': [] if responded == 47 else non_respondents,
            'respondents': responded,
            'categories': {
                row['code']: {
                    'operating': row['operating'],
                    'with_concern': with_concern.get(row['code'], 0),
                    'aware': 0,
                }
                for row in categories
            },
        }

    series = [entry(2017, 47, {'drone': 9}), entry(2019, 47, {'drone': 21}), entry(2022, 39, {'drone': 27})]
    governance = count_governance(
        [
            (
                'submission',
                [governed_system(dpia='in_date', certified_step='step_2', open_actions={'3': 2}), governed_system()],
            ),
            ('submission', [governed_system(dpia='in_date', self_assessed=True, facial_recognition='live')]),
            ('submission', []),
        ],
        [{'governance.dpia': 'yes', 'governance.principle_3': 'partly_compliant'}, {'governance.dpia': 'no'}, {}],
    )
    series[-1]['late'], series[-1]['on_time'] = 9, 30
    return {
        'format': 1,
        'campaign': {'slug': 'police-2022', 'title': 'Police survey 2022', 'year': 2022, 'illustrative': True},
        'as_of': '2023-03-02T09:30:00+00:00',
        'concern_list': {
            'slug': 'obscc-2022',
            'name': "Commissioner's 2022 police survey concern list",
            'covers_affiliates': True,
            'source_url': 'https://www.gov.uk/government/publications/police-survey-2022-responses-and-key-findings',
            'designations': [
                {
                    'maker': maker,
                    'date': '2023-02-15',
                    'scope': 'Camera systems',
                    'reason': 'Named by the regulator as a concern',
                    'source_url': 'https://www.parliamenttoday.com/members/viewnews.html?id=144294',
                }
                for maker in ('DJI', 'Dahua', 'Hikvision', 'Honeywell', 'Huawei', 'Nuuo')
            ],
            'makers_covered': ['DJI', 'Dahua', 'Ezviz', 'Hikvision', 'Honeywell', 'Huawei', 'Nuuo'],
        },
        'responses': {
            'invited': 47,
            'responded': 39,
            'on_time': 30,
            'late': 9,
            'response_rate': 0.8298,
            'non_respondents': non_respondents,
        },
        'respondents': 39,
        'with_concern_any': 33,
        'manufacturers_of_concern': ['DJI', 'Dahua', 'Hikvision', 'Honeywell', 'Huawei', 'Nuuo'],
        'categories': categories,
        'published_categories': published,
        'corrections_applied': 2,
        'updates': [],
        'unflagged_changes': [],
        'series': series,
        'governance': governance.as_dict(),
    }
