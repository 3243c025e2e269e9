"""The findings engine: definitions, "at least" with unknowns counted beside, relabels, and corrections."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.findings.engine import Basis, campaign_findings, count
from oversight.surveys.concerns import LineVerdict

from .conftest import CATEGORY_CODES, LONDON, correct_body_worn_video

CONCERN = {'hikvision': 'Hikvision', 'lorex': 'Dahua', 'honeywell': 'Honeywell', 'dji': 'DJI'}
KNOWN = {'axis', 'axon', 'genetec'}


def judge(manufacturer, brand):
    key = (brand or manufacturer).lower()
    return LineVerdict(CONCERN.get(key), key in CONCERN or key in KNOWN)


def line(manufacturer, quantity=1, **extra):
    return {'manufacturer': manufacturer, 'brand': '', 'model': '', 'quantity': quantity, **extra}


class TestCount:
    """The pure counting, on answers built by hand."""

    def test_operating_with_concern_and_aware_with_their_unknowns(self):
        answers = [
            {
                'external_cctv.operates': 'yes',
                'external_cctv.aware_of_concerns': 'yes',
                'external_cctv.manufacturers': [line('Hikvision', 4), line('Axis', 6)],
            },
            {
                'external_cctv.operates': 'yes',
                'external_cctv.aware_of_concerns': 'unknown',
                'external_cctv.manufacturers': [line('Lorex', 2)],
            },
            {'external_cctv.operates': 'yes', 'external_cctv.manufacturers': [line('Axis', 3)]},
            {'external_cctv.operates': 'unknown'},
            {'external_cctv.operates': 'no'},
        ]
        row = count(answers, judge).categories['external_cctv']
        assert (row.respondents, row.operating, row.operating_unknown) == (5, 3, 1)
        assert (row.with_concern, row.aware, row.aware_unknown) == (2, 1, 1)
        assert row.manufacturers_of_concern == ['Dahua', 'Hikvision']
        assert (row.devices, row.devices_of_concern) == (15, 6)
        # "unknown" operator naming no maker might have equipment of concern: counted as not, and beside.
        assert row.concern_unknown == 1

    def test_an_unanswered_category_counts_as_not_and_is_reported_unknown(self):
        row = count([{'drone.operates': 'yes', 'drone.manufacturers': [line('DJI')]}], judge).categories['anpr']
        assert (row.operating, row.operating_unknown, row.with_concern, row.concern_unknown) == (0, 1, 0, 1)

    def test_a_maker_the_reference_data_cannot_resolve_is_not_of_concern_but_is_counted_beside(self):
        answers = [{'other.operates': 'yes', 'other.manufacturers': [line('Acme Cameras', None)]}]
        row = count(answers, judge).categories['other']
        assert (row.with_concern, row.concern_unknown, row.lines_unresolved, row.quantity_unknown) == (0, 1, 1, 1)

    def test_a_respondent_counts_once_per_maker_and_category_however_many_lines(self):
        lines = [line('Hikvision', 2), line('Hikvision', 3), line('Lorex', 1)]
        row = count([{'internal_cctv.operates': 'yes', 'internal_cctv.manufacturers': lines}], judge).categories[
            'internal_cctv'
        ]
        assert row.with_concern == 1
        assert row.respondents_by_maker == {'Hikvision': 1, 'Dahua': 1}
        assert row.devices_by_maker == {'Hikvision': 5, 'Dahua': 1}

    def test_a_line_withdrawn_by_a_correction_counts_for_nothing(self):
        lines = [line('Hikvision', 9, removed=True), line('Axon', 50)]
        row = count([{'body_worn_video.operates': 'yes', 'body_worn_video.manufacturers': lines}], judge).categories[
            'body_worn_video'
        ]
        assert (row.with_concern, row.lines, row.devices) == (0, 1, 50)

    def test_each_distinct_maker_and_brand_is_judged_once(self):
        asked = []

        def counting_judge(manufacturer, brand):
            asked.append((manufacturer, brand))
            return judge(manufacturer, brand)

        answers = [{'drone.operates': 'yes', 'drone.manufacturers': [line('DJI'), line('DJI')]}] * 50
        counted = count(answers, counting_judge)
        assert asked == [('DJI', '')]
        assert counted.categories['drone'].with_concern == 50 and counted.with_concern_any == 50


@pytest.mark.django_db
class TestCampaign:
    """A hand-built campaign (conftest.RETURNS) counted against the Commissioner's 2022 list."""

    def test_figures_resolve_names_sub_brands_and_relabels(self, campaign):
        findings = campaign_findings(campaign)
        external = findings.categories['external_cctv']
        # Lorex relabels Dahua (Kent); EZVIZ is Hikvision's sub-brand (Essex): both count, as their real maker.
        assert (external.operating, external.with_concern, external.aware) == (2, 2, 1)
        assert external.manufacturers_of_concern == ['Dahua', 'Hikvision']
        assert (external.lines_unresolved, external.quantity_unknown, external.devices) == (1, 1, 18)
        internal = findings.categories['internal_cctv']
        # Honeywell is itself on the list, so its line is named Honeywell, not Dahua who makes it.
        assert internal.manufacturers_of_concern == ['Honeywell']
        assert (internal.with_concern, internal.aware, internal.aware_unknown, internal.concern_unknown) == (1, 0, 1, 1)
        anpr = findings.categories['anpr']
        assert (anpr.operating, anpr.operating_unknown, anpr.with_concern) == (1, 1, 0)
        assert findings.categories['drone'].aware == 1
        assert findings.categories['helicopter'].operating_unknown == 2

    def test_the_contract_has_response_figures_and_every_category(self, campaign):
        contract = campaign_findings(campaign).contract()
        assert list(contract) == [
            'campaign',
            'invited',
            'responded',
            'late',
            'response_rate',
            'non_respondents',
            'categories',
            'governance',
        ]
        assert (contract['invited'], contract['responded'], contract['late']) == (3, 2, 1)
        assert contract['response_rate'] == 0.6667
        assert contract['non_respondents'] == ['Surrey Police']
        assert list(contract['categories']) == CATEGORY_CODES
        assert contract['categories']['body_worn_video'] == {
            'operating': 2,
            'with_concern': 1,
            'aware': 0,
            'manufacturers_of_concern': ['Hikvision'],
        }

    def test_corrections_flagged_for_publication_change_the_corrected_figures_only(self, campaign, regulator):
        correct_body_worn_video(regulator, campaign)
        corrected = campaign_findings(campaign, Basis.CORRECTED)
        published = campaign_findings(campaign, Basis.PUBLISHED)
        assert corrected.categories['body_worn_video'].with_concern == 0
        assert published.categories['body_worn_video'].with_concern == 1
        assert (corrected.corrections_applied, published.corrections_applied) == (1, 0)
        assert corrected.unflagged_changes == []

    def test_a_correction_not_flagged_is_left_out_and_reported(self, campaign, regulator):
        correct_body_worn_video(regulator, campaign, publish=False)
        corrected = campaign_findings(campaign)
        assert corrected.categories['body_worn_video'].with_concern == 1
        assert corrected.unflagged_changes == [
            'Body-worn video, respondents with equipment of concern: 1 with the corrections flagged for publication, '
            '0 with every correction recorded.',
            'Body-worn video, manufacturers of concern named: Hikvision with the corrections flagged for publication, '
            'none with every correction recorded.',
        ]

    def test_corrections_recorded_after_the_moment_asked_about_are_not_applied(self, campaign, regulator):
        recorded = datetime.datetime(2023, 3, 1, 10, tzinfo=LONDON)
        correct_body_worn_video(regulator, campaign, now=recorded)
        before = campaign_findings(campaign, as_of=recorded - datetime.timedelta(days=1))
        after = campaign_findings(campaign, as_of=recorded)
        assert before.categories['body_worn_video'].with_concern == 1
        assert after.categories['body_worn_video'].with_concern == 0

    def test_a_campaign_is_counted_in_a_few_queries(self, campaign):
        with CaptureQueriesContext(connection) as queries:
            campaign_findings(campaign)
        assert len(queries) <= 16
