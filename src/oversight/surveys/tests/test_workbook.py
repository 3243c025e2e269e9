"""The return workbook: downloaded pre-filled, completed offline, uploaded; bad input refused by row and column."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from oversight.surveys import workbook
from oversight.surveys.actions.questionnaires import copy_questionnaire
from oversight.surveys.actions.returns import save_draft, submit_return
from oversight.surveys.models import Invitation, Return

from .conftest import complete_answers, london
from .test_workflow import with_lines

pytestmark = pytest.mark.usefixtures('campaign')


def download(client, invitation) -> bytes:
    response = client.get(reverse('surveys:return_workbook', args=[invitation.pk]))
    assert response.status_code == 200
    assert response['Content-Disposition'].endswith('-return.xlsx"')
    return response.content


def fill(data: bytes, changes: dict[str, object], lines: list[tuple] = ()) -> bytes:
    """Set answers by key in the Return sheet, and write manufacturer lines into the blank line rows."""
    book = load_workbook(io.BytesIO(data))
    sheet = book['Return']
    headers = [c.value for c in sheet[1]]
    column = {h: headers.index(h) + 1 for h in headers}
    pending = list(lines)
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row, column['key']).value
        if key in changes:
            sheet.cell(row, column['answer']).value = changes[key]
        for number, (line_key, *values) in enumerate(pending):
            if key == line_key and not sheet.cell(row, column['manufacturer']).value:
                for name, value in zip(('manufacturer', 'brand', 'model', 'quantity'), values, strict=True):
                    sheet.cell(row, column[name]).value = value
                pending.pop(number)
                break
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, invitation, data: bytes, name='return.xlsx'):
    return client.post(
        reverse('surveys:return_upload', args=[invitation.pk]),
        {'file': SimpleUploadedFile(name, data, content_type='application/octet-stream')},
    )


def complete_changes() -> dict:
    return {k: (', '.join(v) if isinstance(v, list) else v) for k, v in complete_answers().items()}


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_completed_workbook_is_saved_as_a_draft_then_submitted(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    data = fill(
        download(client, invitation_a),
        complete_changes(),
        [
            ('external_cctv.manufacturers', 'Hikvision', '', 'DS-2CD2143G2-I', 30),
            ('external_cctv.manufacturers', 'Axis', '', 'Q6075-E', 10),
        ],
    )
    response = upload(client, invitation_a, data)
    assert response.status_code == 302
    survey_return = Return.objects.get()
    assert survey_return.source == Return.Source.UPLOAD
    assert survey_return.answers['external_cctv.cameras'] == 40
    assert survey_return.answers['external_cctv.capabilities'] == ['video', 'night_vision']
    assert [line['quantity'] for line in survey_return.answers['external_cctv.manufacturers']] == [30, 10]
    submit_return(editor_a, invitation_a, survey_return.answers, expected_version=survey_return.version)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Invitation.Status.SUBMITTED


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_draft_answers_are_prefilled_and_round_trip(editor_a, invitation_a):
    save_draft(editor_a, invitation_a, with_lines())
    survey_return = Return.objects.get()
    data = workbook.build(invitation_a, survey_return.answers)
    answers = workbook.read(invitation_a, 'return.xlsx', data)
    assert answers['governance.sro_name'] == 'A. Chief'
    assert [line['manufacturer'] for line in answers['external_cctv.manufacturers']] == ['Hikvision', 'Axis']


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_every_error_is_listed_with_row_and_column_and_nothing_is_saved(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    data = fill(
        download(client, invitation_a),
        {
            'external_cctv.cameras': 'forty',
            'external_cctv.operates': 'perhaps',
            'governance.dpia_reviewed': '2022-13-01',
        },
        [('anpr.manufacturers', 'Bosch', '', 'X', 2.5)],
    )
    response = upload(client, invitation_a, data)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'column answer (1.3 How many cameras or devices does it have in total?): &quot;forty&quot;' in text
    assert '&quot;perhaps&quot; is not one of yes, no, unknown' in text
    assert '&quot;2022-13-01&quot; is not a date' in text
    assert 'column quantity (ANPR, manufacturer line 1): &quot;2.5&quot; is not a whole number' in text
    assert 'Sheet Return, row ' in text
    assert not Return.objects.exists()


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_another_bodys_workbook_is_refused(client_for, editor_a, invitation_a, invitation_b):
    essex_workbook = workbook.build(invitation_b, {})
    response = upload(client_for(editor_a), invitation_a, essex_workbook)
    assert 'this workbook is the return template of Essex Police, not Kent Police' in response.content.decode()
    assert not Return.objects.exists()


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_a_changed_about_row_is_caught_by_the_signature(editor_a, invitation_a, invitation_b):
    forged = fill(workbook.build(invitation_b, {}), {'about.body': 'Kent Police'})
    with pytest.raises(workbook.WorkbookError, match='the about rows were changed'):
        workbook.read(invitation_a, 'return.xlsx', forged)


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_a_workbook_of_another_questionnaire_version_is_refused(editor_a, regulator, invitation_a, questionnaire):
    old = workbook.build(invitation_a, {})
    campaign = invitation_a.campaign
    newer = copy_questionnaire(regulator, questionnaire, slug='police-2022-v2')
    Invitation.objects.filter(pk=invitation_a.pk)  # the campaign moves to the new version (as a fresh campaign would)
    campaign.questionnaire = newer
    campaign.save()
    invitation_a.refresh_from_db()
    with pytest.raises(workbook.WorkbookError, match='this workbook is for questionnaire "police-2022"'):
        workbook.read(invitation_a, 'return.xlsx', old)


def test_unreadable_uploads_are_refused(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    for name, data, message in (
        ('return.xlsx', b'PK\x03\x04 not a workbook', 'not an Excel workbook'),
        ('return.csv', b'key,answer\n', 'Upload the return workbook (.xlsx)'),
        ('return.pdf', b'%PDF-1.7', 'Upload a .csv or .xlsx file'),
    ):
        response = upload(client, invitation_a, data, name)
        assert message in response.content.decode(), name
    assert not Return.objects.exists()


def test_unknown_keys_and_repeated_questions_are_named(editor_a, invitation_a):
    data = workbook.build(invitation_a, {})
    book = load_workbook(io.BytesIO(data))
    sheet = book['Return']
    sheet.append(['drone.colour', '', '', '', '', 'red'])
    sheet.append(['governance.sro_name', '', '', '', '', 'Someone else'])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(workbook.WorkbookError) as caught:
        workbook.read(invitation_a, 'return.xlsx', buffer.getvalue())
    text = '\n'.join(caught.value.problems)
    assert '"drone.colour" is not a question of questionnaire "police-2022"' in text
    assert 'question governance.sro_name is also on row' in text


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_an_answer_written_as_a_formula_is_refused_naming_its_cell(client_for, editor_a, invitation_a):
    """Once stored as a blank answer with no message: a formula written by a script has no value in the file."""
    client = client_for(editor_a)
    data = fill(download(client, invitation_a), {'external_cctv.cameras': '=20+20'})
    response = upload(client, invitation_a, data)
    text = response.content.decode()
    assert 'The workbook has formulas where values are read (row ' in text and ', column F)' in text
    assert not Return.objects.exists()


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_a_quantity_beyond_any_estate_is_refused_naming_row_and_column(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    data = fill(download(client, invitation_a), {}, [('anpr.manufacturers', 'Bosch', '', 'X', '9' * 5000)])
    text = upload(client, invitation_a, data).content.decode()
    assert (
        'column quantity (ANPR, manufacturer line 1): &quot;99999999999999999999…&quot; is not a whole number' in text
    )
    assert not Return.objects.exists()
