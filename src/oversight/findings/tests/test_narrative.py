"""The report text: placeholders bound to figures, and typed figures checked against the data."""

import pytest

from oversight.findings import narrative

from .conftest import sample_data


@pytest.fixture
def data():
    return sample_data()


def check(text, data):
    return narrative.check(text, data)


class TestPlaceholders:
    def test_placeholders_are_bound_to_the_computed_figures(self, data):
        text, problems = narrative.render(
            '{{ responded|words|capfirst }} responses out of {{ invited }}: {{ response_rate }} '
            '({{ response_rate_exact }}); {{ drone.aware }} of {{ drone.operating }}; {{ external_cctv.makers }}; '
            'before: {{ published.body_worn_video.with_concern }}; '
            'in {{ previous.year }}, {{ previous.response_rate }}.',
            narrative.namespace(data),
        )
        assert problems == []
        assert text == (
            'Thirty-nine responses out of 47: 83% (83.0%); 23 of 31; Dahua, Hikvision, Honeywell, Huawei and Nuuo; '
            'before: 2; in 2019, 100%.'
        )

    def test_an_unknown_placeholder_or_filter_blocks_publication(self, data):
        result = check('{{ drones.aware }} and {{ invited|shout }}', data)
        assert result.blocking == [
            'The placeholder {{ drones.aware }} names no figure: the figures are listed beside the text.',
            '{{ invited|shout }}: "shout" is not a filter (use words, capfirst).',
        ]

    def test_paragraphs_and_headings(self):
        assert narrative.blocks('## Summary\nFirst line\nsame paragraph.\n\nSecond.') == [
            narrative.Block('heading', 'Summary'),
            narrative.Block('paragraph', 'First line same paragraph.'),
            narrative.Block('paragraph', 'Second.'),
        ]

    @pytest.mark.parametrize(('number', 'words'), [(0, 'zero'), (9, 'nine'), (39, 'thirty-nine'), (40, 'forty')])
    def test_numbers_in_words(self, number, words):
        assert narrative.in_words(number) == words


class TestTypedFigures:
    def test_the_2022_response_rate_typed_as_91_percent_blocks_publication(self, data):
        result = check(
            'Despite accepting returns received more than three months after the closing date, the return rate '
            'for the 2022 survey dipped to 91%.',
            data,
        )
        assert len(result.blocking) == 1
        message = result.blocking[0]
        assert message.startswith('The survey response rate: the text says 91% but the data give 83% (39 of 47')
        assert 'dipped to 91%' in message

    def test_a_typed_count_that_disagrees_blocks_with_figure_typed_and_computed_values(self, data):
        result = check(
            'At least 20 respondents say that their external camera systems use equipment about which there have '
            'been security or ethical concerns (including Dahua, Hikvision, Honeywell and Huawei, and Nuuo).',
            data,
        )
        [typed] = result.disagreements
        assert (typed.typed, typed.figure, typed.computed) == (
            '20',
            'External CCTV: respondents with equipment of concern (2022)',
            '18',
        )

    def test_the_published_text_agrees_with_the_data(self, data):
        text = (
            'The response rates for previous surveys had been 100%. Thirty-nine responses were received out of a '
            'possible total of 47, a response rate of 83.0%. 8 bodies did not respond.\n\n'
            'At least 18 respondents say that their external camera systems use equipment about which there have '
            'been security or ethical concerns; at least 24 respondents say that their internal camera systems use '
            'equipment about which there have been security or ethical concerns.\n\n'
            'At least 11 respondents say their ANPR systems use equipment about which there have been security or '
            'ethical concerns.\n\n'
            '23 of the 31 respondents who said they operate cameras on drones / unmanned aerial vehicles (variously '
            'with video, audio, and thermal imaging and/or night vision capability), said they were aware of '
            'security or ethical concerns about the manufacturer of their drones, Chinese company, DJI.\n\n'
            'None of the forces who replied to the survey used body worn cameras manufactured by Hikvision.'
        )
        result = check(text, data)
        assert result.blocking == []
        assert {(t.typed, t.figure) for t in result.typed} == {
            ('100%', 'The 2017 survey response rate'),
            ('100%', 'The 2019 survey response rate'),
            ('Thirty-nine', 'Responses received (2022)'),
            ('47', 'Bodies invited (2022)'),
            ('83.0%', 'The survey response rate'),
            ('8', 'Bodies that did not respond (2022)'),
            ('18', 'External CCTV: respondents with equipment of concern (2022)'),
            ('24', 'Internal CCTV: respondents with equipment of concern (2022)'),
            ('11', 'ANPR: respondents with equipment of concern (2022)'),
            ('23', 'Drones: respondents with equipment of concern who are aware of the concerns (2022)'),
            ('31', 'Drones: respondents operating it (2022)'),
            ('None', 'Body-worn video: respondents with equipment made by Hikvision (2022)'),
        }

    def test_a_claim_about_one_maker_is_checked_against_that_maker(self, data):
        result = check('At least 2 respondents use cameras made by Hikvision in their body-worn video systems.', data)
        [typed] = result.disagreements
        assert (typed.figure, typed.computed) == (
            'Body-worn video: respondents with equipment made by Hikvision (2022)',
            '0',
        )

    def test_a_figure_of_an_earlier_campaign_is_checked_against_that_campaign(self, data):
        assert check('In 2019, 21 respondents had drones from makers of concern.', data).blocking == []
        assert len(check('In 2017, 21 respondents had drones from makers of concern.', data).blocking) == 1

    def test_numbers_that_are_not_findings_are_never_blocking(self, data):
        text = (
            'The survey of 2022 asked 119 questions under section 33(1), against the 12 guiding principles, '
            'more than three months after 15 February 2023. The Commissioner wrote to all 43 geographical forces. '
            'One of the forces replied.'
        )
        result = check(text, data)
        assert result.blocking == [] and result.typed == []
        assert result.unchecked == [('43', 'The Commissioner wrote to all 43 geographical forces.')]

    def test_figures_stated_by_placeholders_are_not_read_as_typed(self, data):
        result = check('{{ drone.aware }} of the {{ drone.operating }} respondents were aware of concerns.', data)
        assert result.typed == [] and result.blocking == []

    def test_a_correction_not_flagged_for_publication_blocks(self, data):
        data['unflagged_changes'] = ['Body-worn video, respondents with equipment of concern: 2 ..., 0 ....']
        [message] = check('', data).blocking
        assert message.endswith('must be flagged to be published as an Update.')


def test_a_rate_with_nobody_invited_is_not_a_number(data):
    data['responses'].update(invited=0, responded=0, non_respondents=[])
    assert narrative.namespace(data)['response_rate'] == '–'


class TestPercentagesAndQuantifiers:
    """Once published unchecked: only a bare number was read as a figure."""

    def test_a_percentage_in_brackets_is_a_figure(self, data):
        [typed] = check('Nearly every force (97%) replied.', data).disagreements
        assert (typed.typed, typed.figure, typed.computed) == ('97%', 'The survey response rate', '83%')
        assert check('Most forces (83%) replied.', data).disagreements == []

    @pytest.mark.parametrize(
        ('text', 'typed', 'figure', 'computed'),
        [
            ('All respondents operate drones.', 'All', 'Drones: respondents operating it (2022)', '31 of 39'),
            ('Every force replied to the survey.', 'Every', 'Responses received (2022)', '39 of 47'),
            ('No respondent operates drones.', 'No', 'Drones: respondents operating it (2022)', '31'),
            (
                'Half of the respondents operate drones.',
                'Half of the',
                'Drones: respondents operating it (2022)',
                '31 of 39',
            ),
        ],
    )
    def test_quantifier_words_used_as_counts_are_checked(self, data, text, typed, figure, computed):
        [found] = check(text, data).disagreements
        assert (found.typed, found.figure, found.computed) == (typed, figure, computed)

    def test_quantifiers_the_data_bear_out_pass(self, data):
        result = check('Most respondents operate drones. Most forces replied.', data)
        assert result.blocking == [] and len(result.typed) == 2

    def test_a_quantifier_the_check_cannot_match_is_listed_for_confirmation(self, data):
        result = check('Nearly every force has a policy. No respondent says it is unsure.', data)
        assert result.blocking == []
        assert [typed for typed, _sentence in result.unchecked] == ['Nearly every', 'No']
