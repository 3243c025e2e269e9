"""The demo's 2022 campaign: `oversight findings` prints the published figures, and the report shows them."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from oversight.findings.models import Report
from oversight.surveys.demo import NON_RESPONDENTS_2022

from .conftest import CATEGORY_CODES

EXPECTED = {
    'campaign': 'police-2022',
    'invited': 47,
    'responded': 39,
    'late': 9,
    'response_rate': 0.8298,
    'non_respondents': sorted(NON_RESPONDENTS_2022),
}


def findings(*args) -> str:
    out = io.StringIO()
    call_command('findings', *args, stdout=out)
    return out.getvalue()


def test_demo_2022(db, client_for, viewer_a):
    """One load of every demo this one builds on (it takes seconds), then each property in turn."""
    from oversight.accounts import demo as accounts_demo
    from oversight.findings import demo
    from oversight.register import demo as register_demo
    from oversight.surveys import demo as surveys_demo

    for module in (accounts_demo, register_demo, surveys_demo, demo):
        module.load(lambda message: None)
    check_the_command_prints_the_published_figures_as_one_json_object()
    check_as_published_the_body_worn_video_claim_stands()
    check_the_csv_format_is_the_same_figures_as_a_table()
    check_an_unknown_campaign_is_a_clear_error()
    check_the_report_states_83_percent_and_carries_the_body_worn_video_update()
    check_the_report_page_shows_the_update_and_the_trends(client_for(viewer_a))
    check_loading_again_changes_nothing(demo)


def check_the_command_prints_the_published_figures_as_one_json_object():
    printed = json.loads(findings('2022', '--format', 'json'))
    assert {k: v for k, v in printed.items() if k not in ('categories', 'governance')} == EXPECTED
    assert list(printed) == [*EXPECTED, 'categories', 'governance']
    # The demo's returns are imported, so they carry answers to 9.x but no records (docs/findings.md).
    assert printed['governance']['systems'] == 0
    assert sum(printed['governance']['answers']['certification'].values()) == EXPECTED['responded']
    categories = printed['categories']
    assert list(categories) == CATEGORY_CODES
    assert all(
        set(row) == {'operating', 'with_concern', 'aware', 'manufacturers_of_concern'} for row in categories.values()
    )
    assert categories['external_cctv']['with_concern'] == 18
    assert categories['external_cctv']['manufacturers_of_concern'] == [
        'Dahua',
        'Hikvision',
        'Honeywell',
        'Huawei',
        'Nuuo',
    ]
    assert categories['internal_cctv']['with_concern'] == 24
    assert categories['anpr']['with_concern'] == 11
    assert categories['body_worn_video'] == {
        'operating': 39,
        'with_concern': 0,
        'aware': 0,
        'manufacturers_of_concern': [],
    }
    assert (categories['drone']['operating'], categories['drone']['aware']) == (31, 23)
    assert categories['drone']['manufacturers_of_concern'] == ['DJI']


def check_as_published_the_body_worn_video_claim_stands():
    categories = json.loads(findings('police-2022', '--as-published'))['categories']
    assert categories['body_worn_video']['with_concern'] == 2
    assert categories['body_worn_video']['manufacturers_of_concern'] == ['Hikvision']


def check_the_csv_format_is_the_same_figures_as_a_table():
    rows = list(csv.DictReader(io.StringIO(findings('2022', '--format', 'csv'))))
    assert [r['category'] for r in rows][:2] == ['external_cctv', 'internal_cctv'] and len(rows) == 8
    drone = next(r for r in rows if r['category'] == 'drone')
    assert (drone['operating'], drone['aware'], drone['basis']) == ('31', '23', 'corrected')
    assert drone['response_rate'] == '0.8298' and drone['invited'] == '47'


def check_an_unknown_campaign_is_a_clear_error():
    with pytest.raises(CommandError, match='No campaign has the slug or year "1999"'):
        findings('1999')


def check_the_report_states_83_percent_and_carries_the_body_worn_video_update():
    report = Report.objects.get(campaign__slug='police-2022')
    first, second = report.versions.order_by('number')
    assert '39 responses' not in second.narrative  # stated in words, from the placeholder
    assert 'Thirty-nine responses were received out of a possible total of 47: a response rate of 83%' in (
        second.narrative
    )
    assert first.data['updates'] == []
    assert 'At least 2 respondents use cameras made by Hikvision' in first.narrative
    [update] = second.data['updates']
    assert update['category'] == 'body_worn_video'
    assert update['changes'][0]['published'] == 2 and update['changes'][0]['corrected'] == 0
    assert bytes(second.pdf).startswith(b'%PDF-')  # the demo renders real PDFs
    assert second.pdf_sha256 != first.pdf_sha256


def check_the_report_page_shows_the_update_and_the_trends(client):
    html = client.get('/findings/police-2022/v2/').content.decode()
    assert 'Update, 1 March 2023: Body-worn video' in html
    assert 'gave the impression that 2 respondents had equipment from manufacturers of concern (Hikvision)' in html
    assert '83% (39 of 47 bodies invited)' in html
    assert 'With concern 2017' in html and 'With concern 2019' in html


def check_loading_again_changes_nothing(demo):
    demo.load(lambda message: None)
    assert Report.objects.get(campaign__slug='police-2022').versions.count() == 2
