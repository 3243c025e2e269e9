"""Charts are SVG drawn on the server, with text kept as text and the same bytes for the same data."""

import pytest

from oversight.findings import charts, presentation

from .conftest import sample_data


@pytest.mark.parametrize('name', list(charts.CHARTS))
def test_every_chart_is_a_deterministic_svg(name):
    data = sample_data()
    svg = charts.CHARTS[name](data)
    assert svg.startswith('<?xml') and '<svg' in svg and svg.rstrip().endswith('</svg>')
    assert charts.CHARTS[name](sample_data()) == svg
    assert '<script' not in svg


def test_labels_stay_text_for_screen_readers_and_search():
    assert 'External CCTV' in charts.categories_svg(sample_data())
    assert 'Hikvision' in charts.makers_svg(sample_data())
    assert '39 of 47' in charts.responses_svg(sample_data())
    assert '2019' in charts.trends_svg(sample_data())


def test_a_campaign_with_nothing_of_concern_still_draws():
    data = sample_data()
    for row in data['categories']:
        row['respondents_by_maker'] = {}
    for entry in data['series']:
        for figures in entry['categories'].values():
            figures['with_concern'] = 0
    assert 'No respondent has equipment of concern.' in charts.makers_svg(data)
    assert 'No respondent had equipment of concern.' in charts.trends_svg(data)


def test_with_no_open_action_the_principles_axis_runs_from_zero():
    data = sample_data()
    data['governance']['open_actions_by_principle'] = dict.fromkeys(map(str, range(1, 13)), 0)
    svg = charts.principles_svg(data)
    # matplotlib writes negative ticks with a minus sign; an axis centred on zero has them.
    assert '\u22120' not in svg


def test_every_chart_on_the_page_has_its_table_and_a_description():
    context = presentation.context(sample_data(), 'Text.')
    assert [s.name for s in context['sections']] == [
        'categories',
        'manufacturers',
        'responses',
        'trends',
        'governance',
        'principles',
    ]
    for section in context['sections']:
        assert section.chart.startswith('data:image/svg+xml;base64,')
        assert section.alt.endswith('The table below gives the same figures.')
        assert section.table.rows
