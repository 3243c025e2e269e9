"""Compliance with the Code in findings: the governance figures, their tables and charts, and older versions."""

from oversight.findings import downloads, presentation
from oversight.findings.governance import count_governance

from .conftest import governed_system, sample_data


def test_bodies_count_when_every_system_does_for_dpia_and_assessment_and_when_one_does_for_the_rest():
    kent = [
        governed_system(dpia='in_date', self_assessed=True, certified_step='step_1', facial_recognition='live'),
        governed_system(dpia='due', self_assessed=True, open_actions={'2': 1, '12': 3}),
    ]
    essex = [governed_system(dpia='in_date', self_assessed=True, certified_step='step_1')]
    surrey = [governed_system(recorded=False, facial_recognition='')]
    figures = count_governance([('submission', records) for records in (kent, essex, surrey, [])], []).as_dict()

    assert (figures['respondents'], figures['systems'], figures['systems_recorded']) == (4, 4, 3)
    assert figures['bodies_with_records'] == 2
    assert figures['dpia_in_date'] == {'systems': 2, 'bodies': 1}  # Kent has one due; an empty return is no body
    assert figures['self_assessed'] == {'systems': 3, 'bodies': 2}
    assert figures['certified']['step_1'] == {'systems': 2, 'bodies': 2}
    assert figures['open_actions_by_principle']['12'] == 3 and figures['open_actions_by_principle']['1'] == 0
    assert figures['facial_recognition'] == {
        'systems': {'none': 2, 'retrospective': 0, 'operator_initiated': 0, 'live': 1, 'not_recorded': 1},
        'bodies_using': 1,
    }


def test_a_return_without_records_counts_in_the_answers_only_and_rebuilt_ones_count_as_taken():
    essex = [governed_system(dpia='in_date', self_assessed=True)]
    figures = count_governance(
        [('reconstructed', essex), ('not_available', []), ('', [])],
        [{'governance.dpia': 'yes'}, {'governance.dpia': 'no'}, {}],
    ).as_dict()

    assert figures['respondents'] == 3 and figures['respondents_with_records'] == 1
    assert figures['records'] == {'at_submission': 0, 'reconstructed': 1, 'not_available': 1, 'not_taken': 1}
    assert figures['dpia_in_date'] == {'systems': 1, 'bodies': 1}  # the body figures are of the one with records
    assert figures['self_assessed'] == {'systems': 1, 'bodies': 1}
    assert figures['answers']['dpia'] == {'yes': 1, 'no': 1, 'unknown': 0, 'unanswered': 1}  # every respondent
    table = downloads.governance({'governance': figures})
    assert table.rows[1] == ['DPIA in date', 1, 100.0, 1, 100.0]  # 1 of the 1 respondent with records


def test_answers_are_tallied_with_the_unanswered_counted():
    answers = [{'governance.certification': 'full'}, {'governance.certification': 'made up'}, {}]
    figures = count_governance([], answers).as_dict()['answers']
    assert figures['certification'] == {'none': 0, 'desktop': 0, 'full': 1, 'unanswered': 2}
    assert figures['principles']['7']['unanswered'] == 3


def test_the_report_has_a_compliance_section_with_its_tables():
    context = presentation.context(sample_data(), '', with_charts=False)
    sections = {section.name: section for section in context['sections']}
    governance = sections['governance'].table
    assert governance.title == 'Compliance with the Code'
    assert governance.rows[1] == ['DPIA in date', 2, 66.7, 1, 33.3]  # 2 of 3 systems, 1 of 3 respondents
    assert governance.rows[-1] == ['Facial recognition used', 1, 33.3, 1, 33.3]
    principles = sections['principles'].table
    assert principles.rows[2] == [3, 2, 0, 1, 0, 0, 2]


def test_a_version_published_before_governance_was_counted_renders_without_it():
    data = sample_data()
    del data['governance']
    names = [section.name for section in presentation.context(data, '', with_charts=False)['sections']]
    assert names == ['categories', 'manufacturers', 'responses', 'trends']
    assert downloads.table('governance', data) is None
