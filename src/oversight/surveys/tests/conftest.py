"""Fixtures for the survey tests: the 2022 concern list, an open campaign, and a complete set of answers."""

import datetime
import zoneinfo

import pytest

from oversight.surveys.actions.campaigns import create_campaign, open_campaign
from oversight.surveys.models import Questionnaire
from oversight.vendors.models import ConcernList

LONDON = zoneinfo.ZoneInfo('Europe/London')


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


OPENS, DEADLINE, CUTOFF = london(2022, 6, 24, 9), london(2022, 8, 31, 17), london(2022, 12, 16, 17)


@pytest.fixture
def concern_list(db):
    found = ConcernList.objects.filter(slug='obscc-2022').first()
    if found is not None:
        return found
    return ConcernList.objects.create(
        slug='obscc-2022',
        name="Commissioner's 2022 police survey: manufacturers of concern",
        authority='Biometrics and Surveillance Camera Commissioner',
        instrument='Police survey 2022 findings',
        jurisdiction='England and Wales',
        date=datetime.date(2023, 2, 15),
        source_url='https://www.gov.uk/government/publications/police-survey-2022-responses-and-key-findings',
    )


@pytest.fixture
def questionnaire(db):
    return Questionnaire.objects.get(slug='police-2022')


@pytest.fixture
def campaign(regulator, concern_list, questionnaire):
    from oversight.organisations.models import OrganisationGroup

    created = create_campaign(
        regulator,
        title='Police survey 2022',
        slug='police-2022',
        year=2022,
        questionnaire=questionnaire,
        concern_list=concern_list,
        recipients_group=OrganisationGroup.objects.get(slug='policing-bodies-england-wales'),
        opens_at=OPENS,
        deadline=DEADLINE,
        late_cutoff=CUTOFF,
    )
    return open_campaign(regulator, created, now=OPENS)


@pytest.fixture
def invitation_a(campaign, body_a):
    return campaign.invitations.get(organisation=body_a)


@pytest.fixture
def invitation_b(campaign, body_b):
    return campaign.invitations.get(organisation=body_b)


def complete_answers() -> dict:
    """Answers that satisfy every required question: external CCTV operated, nothing else."""
    from oversight.register.models import Category

    answers = {f'{c}.operates': 'no' for c in Category.values}
    answers.update(
        {
            'external_cctv.operates': 'yes',
            'external_cctv.systems': 'Town-centre CCTV monitored from the force control room.',
            'external_cctv.cameras': '40',
            'external_cctv.concern_equipment': 'yes',
            'external_cctv.aware_of_concerns': 'yes',
            'external_cctv.capabilities': ['video', 'night_vision'],
            'governance.sro_name': 'A. Chief',
            'governance.sro_role': 'Assistant Chief Constable',
            'governance.dpia': 'yes',
            'governance.dpia_reviewed': '2022-03-01',
            'governance.certification': 'none',
            'governance.contact_point': 'no',
        }
    )
    answers.update({f'governance.principle_{n}': 'compliant' for n in range(1, 13)})
    return answers


COMPLETE_LINES = [
    {
        'category': 'external_cctv',
        'manufacturer': 'Hikvision',
        'brand': '',
        'model': 'DS-2CD2143G2-I',
        'quantity': '30',
    },
    {'category': 'external_cctv', 'manufacturer': 'Axis', 'brand': '', 'model': 'Q6075-E', 'quantity': '10'},
]
