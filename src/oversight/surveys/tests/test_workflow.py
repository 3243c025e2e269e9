"""The return's life: draft, resume, submit, query, answer, accept; lateness, cut-off, reminders, corrections."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from oversight.core.models import ObjectChange
from oversight.surveys.actions.campaigns import update_campaign
from oversight.surveys.actions.corrections import record_correction
from oversight.surveys.actions.invitations import extend_deadline, send_due_reminders, send_invitations, set_contacts
from oversight.surveys.actions.questionnaires import copy_questionnaire, update_question
from oversight.surveys.actions.returns import (
    accept_return,
    answer_queries,
    return_with_query,
    save_draft,
    submit_return,
)
from oversight.surveys.models import Invitation, Question, Questionnaire, Return
from oversight.surveys.snapshots import campaign_returns

from .conftest import COMPLETE_LINES, CUTOFF, DEADLINE, complete_answers, london

Status = Invitation.Status


def with_lines(answers=None, lines=COMPLETE_LINES):
    answers = dict(answers if answers is not None else complete_answers())
    by_key = {}
    for line in lines:
        by_key.setdefault(f'{line["category"]}.manufacturers', []).append(
            {k: v for k, v in line.items() if k != 'category'}
        )
    return {**answers, **by_key}


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_draft_then_resume_then_submit_on_time(editor_a, invitation_a):
    partial = {'external_cctv.operates': 'yes', 'governance.sro_name': 'A. Chief'}
    draft = save_draft(editor_a, invitation_a, partial)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.DRAFT
    assert draft.submitted_at is None and draft.is_late is None
    resumed = Return.objects.get(pk=draft.pk)
    assert resumed.answers == partial
    submitted = submit_return(editor_a, invitation_a, with_lines(), expected_version=resumed.version)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.SUBMITTED
    assert submitted.submitted_at == london(2022, 7, 10, 12)
    assert submitted.is_late is False
    assert submitted.answers['external_cctv.manufacturers'][0] == {
        'manufacturer': 'Hikvision',
        'brand': '',
        'model': 'DS-2CD2143G2-I',
        'quantity': 30,
    }


def test_submission_lists_every_missing_answer_and_saves_nothing(editor_a, invitation_a):
    answers = complete_answers()
    del answers['governance.sro_name']
    answers['drone.operates'] = 'yes'  # then its follow-up questions are required
    with time_machine.travel(london(2022, 7, 10, 12), tick=False), pytest.raises(ValidationError) as caught:
        submit_return(editor_a, invitation_a, with_lines(answers))
    messages = caught.value.message_dict
    assert 'governance.sro_name' in messages
    assert 'drone.cameras' in messages and 'drone.manufacturers' in messages
    assert 'Add at least one manufacturer line' in ' '.join(messages['drone.manufacturers'])
    assert not Return.objects.exists()
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.NOT_STARTED


def test_bad_values_are_named_by_question_and_line(editor_a, invitation_a):
    answers = with_lines(
        {'external_cctv.cameras': 'forty', 'governance.dpia_reviewed': '31/02/2022'},
        [{'category': 'anpr', 'manufacturer': 'Bosch', 'brand': '', 'model': '', 'quantity': '2.5'}],
    )
    with time_machine.travel(london(2022, 7, 10, 12), tick=False), pytest.raises(ValidationError) as caught:
        save_draft(editor_a, invitation_a, answers)
    text = ' '.join(caught.value.messages)
    assert '"forty" is not a whole number' in text
    assert '"31/02/2022" is not a date' in text
    assert 'ANPR, manufacturer line 1, quantity: "2.5" is not a whole number' in text
    assert not Return.objects.exists()


def test_operating_no_with_lines_is_refused_on_submit(editor_a, invitation_a):
    answers = with_lines(lines=[*COMPLETE_LINES, {'category': 'drone', 'manufacturer': 'DJI', 'quantity': '2'}])
    with time_machine.travel(london(2022, 7, 10, 12), tick=False), pytest.raises(ValidationError) as caught:
        submit_return(editor_a, invitation_a, answers)
    assert 'Drones: you answered that you do not operate it, but listed 1 manufacturer line' in str(caught.value)


def test_query_answer_accept(editor_a, regulator, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    with time_machine.travel(london(2022, 7, 20, 12), tick=False):
        query = return_with_query(regulator, survey_return, 'How many cameras are at the custody suites?')
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.RETURNED
    assert len(mail.outbox) == 0  # no contacts at Kent in this test: nothing to send
    with pytest.raises(ValidationError, match='Only a submitted return can be accepted'):
        accept_return(regulator, survey_return)
    survey_return.refresh_from_db()
    with pytest.raises(ValidationError, match='Answer the query'):
        answer_queries(editor_a, survey_return, {query.pk: ''}, with_lines())
    with time_machine.travel(london(2022, 12, 20, 12), tick=False):  # after the cut-off: a query is still answerable
        answer_queries(editor_a, survey_return, {query.pk: 'Twelve.'}, with_lines())
    survey_return.refresh_from_db()
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.SUBMITTED
    assert survey_return.submitted_at == london(2022, 7, 10, 12)  # lateness keeps the first submission
    assert survey_return.last_submitted_at == london(2022, 12, 20, 12)
    assert survey_return.is_late is False
    accept_return(regulator, survey_return)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.ACCEPTED
    assert survey_return.queries.get().answer == 'Twelve.'


def test_lateness_is_computed_from_the_submission_time(editor_a, editor_b, invitation_a, invitation_b):
    with time_machine.travel(DEADLINE - datetime.timedelta(minutes=1), tick=False):
        on_time = submit_return(editor_a, invitation_a, with_lines())
    with time_machine.travel(DEADLINE + datetime.timedelta(days=101), tick=False):
        late = submit_return(editor_b, invitation_b, with_lines())
    assert on_time.is_late is False and on_time.timeliness == 'On time'
    assert late.is_late is True and late.timeliness == 'Late: 101 days after the deadline'
    with translation.override('cy'):  # a Welsh page says it in Welsh (the API keeps the English)
        assert (on_time.timeliness, late.timeliness) == ('Mewn pryd', 'Yn hwyr: 101 diwrnod ar ôl y dyddiad cau')
    assert list(Return.objects.late()) == [late]
    assert list(Return.objects.on_time()) == [on_time]


def test_submission_after_the_cutoff_is_refused_unless_extended(editor_a, regulator, invitation_a):
    with time_machine.travel(CUTOFF + datetime.timedelta(hours=1), tick=False):
        save_draft(editor_a, invitation_a, {'governance.sro_name': 'A. Chief'})  # a draft is still fine
        with pytest.raises(ValidationError, match='late-acceptance cut-off .* was 16 December 2022, 5pm'):
            submit_return(editor_a, invitation_a, with_lines(), expected_version=1)
        assert Return.objects.get().answers == {'governance.sro_name': 'A. Chief'}
        with pytest.raises(ValidationError, match='must end after the campaign cut-off'):
            extend_deadline(regulator, invitation_a, CUTOFF - datetime.timedelta(days=1), 'Asked in time')
        extend_deadline(regulator, invitation_a, CUTOFF + datetime.timedelta(days=14), 'Force asked, IT outage')
        invitation_a.refresh_from_db()
        submitted = submit_return(editor_a, invitation_a, with_lines(), expected_version=1)
    assert submitted.is_late is True
    with time_machine.travel(CUTOFF + datetime.timedelta(days=15), tick=False):
        invitation_b = Invitation.objects.get(campaign=invitation_a.campaign, organisation__name='Surrey Police')
        assert invitation_b.past_cutoff()


def test_only_editors_of_the_body_may_change_its_return(viewer_a, editor_b, regulator, invitation_a):
    for user in (viewer_a, editor_b, regulator):
        with pytest.raises(PermissionDenied):
            save_draft(user, invitation_a, {})
    with pytest.raises(PermissionDenied):
        extend_deadline(editor_b, invitation_a, CUTOFF + datetime.timedelta(days=1), 'x')


def test_two_tabs_the_second_save_is_refused_with_a_clear_message(editor_a, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        # Both tabs opened the new return (version 0); the first saves, the second is stale.
        save_draft(editor_a, invitation_a, {'governance.sro_name': 'First tab'}, expected_version=0)
        with pytest.raises(ValidationError, match='Someone else saved a change'):
            save_draft(editor_a, invitation_a, {'governance.sro_name': 'Second tab'}, expected_version=0)
        save_draft(editor_a, invitation_a, {'governance.sro_name': 'First tab again'}, expected_version=1)
        with pytest.raises(ValidationError, match='Someone else saved a change'):
            submit_return(editor_a, invitation_a, with_lines(), expected_version=1)
    assert Return.objects.get().answers == {'governance.sro_name': 'First tab again'}


def test_reminders_follow_the_schedule_up_to_the_cap(regulator, campaign, invitation_a, invitation_b, editor_a):
    set_contacts(regulator, invitation_a, [('Sam Okafor', 'sam@kent.police.example', 'SRO')])
    set_contacts(regulator, invitation_b, [('Tom Barker', 'tom@essex.police.example', 'SRO')])
    sent, without = send_invitations(regulator, campaign, now=london(2022, 6, 24, 10))
    assert sent == 2 and len(without) == 45
    assert sorted(m.to[0] for m in mail.outbox) == ['sam@kent.police.example', 'tom@essex.police.example']
    assert '/surveys/i/' in mail.outbox[0].body
    mail.outbox.clear()
    assert send_due_reminders(now=london(2022, 6, 30, 10)) == []  # within the interval
    with time_machine.travel(london(2022, 7, 1, 12), tick=False):
        submit_return(editor_a, invitation_a, with_lines())  # Kent responds: no more reminders for it
    days = [london(2022, 7, 1, 10) + datetime.timedelta(days=7 * n) for n in range(6)]
    reminded = [[i.organisation.name for i in send_due_reminders(now=day)] for day in days]
    assert reminded == [['Essex Police'], ['Essex Police'], ['Essex Police'], [], [], []]
    assert send_due_reminders(now=days[-1]) == []  # running again sends nothing twice
    assert invitation_b.reminders.count() == 3 == campaign.reminder_cap
    assert [m.subject.split(':')[0] for m in mail.outbox] == ['Reminder 1', 'Reminder 2', 'Reminder 3']


def test_a_run_with_no_reminder_due_reads_every_body_in_a_few_queries(campaign):
    """From cron, most runs find nothing due: each invitation read on its own cost 5 queries (25,000 a run at
    5,000 bodies)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert send_due_reminders(now=london(2022, 6, 30, 10)) == []  # within the interval
        return len(queries)

    invitations = campaign.invitations.order_by('pk')
    Invitation.objects.filter(pk__in=invitations.values('pk')[:2]).update(sent_at=london(2022, 6, 24, 10))
    few = run()
    invitations.update(sent_at=london(2022, 6, 24, 10))
    assert invitations.count() == 47 and run() == few


def test_no_reminder_after_the_cutoff(regulator, campaign, invitation_b):
    set_contacts(regulator, invitation_b, [('Tom Barker', 'tom@essex.police.example', '')])
    send_invitations(regulator, campaign, now=london(2022, 6, 24, 10))
    assert send_due_reminders(now=CUTOFF + datetime.timedelta(days=1)) == []


def test_send_reminders_command_dry_run_sends_nothing(regulator, campaign, invitation_b):
    from io import StringIO

    from django.core.management import call_command

    set_contacts(regulator, invitation_b, [('Tom Barker', 'tom@essex.police.example', '')])
    send_invitations(regulator, campaign, now=london(2022, 6, 24, 10))
    mail.outbox.clear()
    out = StringIO()
    with time_machine.travel(london(2022, 7, 15, 10), tick=False):
        call_command('send-reminders', '--dry-run', stdout=out)
        assert 'Essex Police (police-2022) would be reminded' in out.getvalue()
        assert mail.outbox == [] and invitation_b.reminders.count() == 0
        call_command('send-reminders', '--campaign', '2022', stdout=out)
        call_command('send-reminders', stdout=out)
    assert invitation_b.reminders.count() == 1 and len(mail.outbox) == 1


def test_questionnaire_is_frozen_once_a_campaign_opens(campaign, questionnaire, regulator):
    questionnaire.refresh_from_db()
    assert questionnaire.is_frozen
    question = Question.objects.filter(section__questionnaire=questionnaire).first()
    with pytest.raises(ValidationError, match='is frozen'):
        update_question(regulator, question, text='Changed wording')
    question.text = 'Changed again'
    with pytest.raises(ValidationError, match='is frozen'):
        question.save()
    with pytest.raises(ValidationError, match='is frozen'):
        question.section.delete()
    with pytest.raises(ValidationError, match='is frozen'):
        questionnaire.title = 'Renamed'
        questionnaire.save()
    copy = copy_questionnaire(regulator, questionnaire, slug='police-2025')
    assert copy.version == 2 and copy.based_on == questionnaire and not copy.is_frozen
    first = Question.objects.filter(section__questionnaire=copy).order_by('section__position', 'position').first()
    update_question(regulator, first, text='New wording for 2025')
    assert Questionnaire.objects.get(slug='police-2022').sections.first().questions.first().text != 'New wording'
    with pytest.raises(ValidationError, match='cannot change once the campaign has opened'):
        update_campaign(regulator, campaign, questionnaire=copy)


def test_correction_keeps_the_original_answer_and_as_published_undoes_it(editor_a, regulator, invitation_a):
    lines = [{'category': 'body_worn_video', 'manufacturer': 'Hikvision', 'brand': '', 'model': '', 'quantity': '400'}]
    answers = with_lines({**complete_answers(), 'body_worn_video.operates': 'yes'}, [*COMPLETE_LINES, *lines])
    answers.update(
        {
            'body_worn_video.systems': 'Body-worn cameras',
            'body_worn_video.cameras': '400',
            'body_worn_video.concern_equipment': 'yes',
            'body_worn_video.aware_of_concerns': 'yes',
            'body_worn_video.capabilities': ['video', 'audio'],
        }
    )
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, answers)
    with pytest.raises(ValidationError, match='Only an accepted return is corrected'):
        record_correction(
            regulator,
            survey_return,
            field='body_worn_video.manufacturers.1.manufacturer',
            new_value='Reveal',
            reason='x',
            source='y',
            date=datetime.date(2023, 3, 1),
        )
    accept_return(regulator, survey_return)
    correction = record_correction(
        regulator,
        survey_return,
        field='body_worn_video.manufacturers.1.manufacturer',
        new_value='Reveal',
        reason='Subsequent enquiries showed the cameras are made by Reveal.',
        source='Force letter of 1 March 2023',
        date=datetime.date(2023, 3, 1),
        publish_as_update=True,
    )
    record_correction(
        regulator,
        survey_return,
        field='external_cctv.cameras',
        new_value='41',
        reason='Miscounted',
        source='Force email',
        date=datetime.date(2023, 3, 2),
    )
    survey_return.refresh_from_db()
    assert (correction.old_value, correction.new_value) == ('Hikvision', 'Reveal')
    assert correction.field_label.startswith('Body-worn video, manufacturer line 1 (Hikvision)')
    assert survey_return.answers['body_worn_video.manufacturers'][0]['manufacturer'] == 'Reveal'
    assert survey_return.answers['external_cctv.cameras'] == 41
    (as_corrected,) = campaign_returns(survey_return.campaign)
    (as_published,) = campaign_returns(survey_return.campaign, as_published=True)
    assert as_corrected.categories['body_worn_video'].lines[0]['manufacturer'] == 'Reveal'
    assert as_published.categories['body_worn_video'].lines[0]['manufacturer'] == 'Hikvision'
    assert as_published.answers['external_cctv.cameras'] == 40
    with pytest.raises(ValidationError, match='already has'):
        record_correction(
            regulator,
            survey_return,
            field='external_cctv.cameras',
            new_value='41',
            reason='r',
            source='s',
            date=datetime.date(2023, 3, 2),
        )
    with pytest.raises(ValidationError, match='not a field of this return'):
        record_correction(
            regulator,
            survey_return,
            field='body_worn_video.manufacturers.9.model',
            new_value='x',
            reason='r',
            source='s',
            date=datetime.date(2023, 3, 2),
        )


def test_withdrawing_a_line_by_correction_keeps_it_readable(editor_a, regulator, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    accept_return(regulator, survey_return)
    record_correction(
        regulator,
        survey_return,
        field='external_cctv.manufacturers.1.removed',
        new_value='yes',
        reason='Decommissioned before the survey',
        source='Force',
        date=datetime.date(2023, 1, 5),
    )
    survey_return.refresh_from_db()
    assert survey_return.answers['external_cctv.manufacturers'][0]['removed'] is True
    (current,) = campaign_returns(survey_return.campaign)
    (published,) = campaign_returns(survey_return.campaign, as_published=True)
    assert [line['manufacturer'] for line in current.categories['external_cctv'].lines] == ['Axis']
    assert [line['manufacturer'] for line in published.categories['external_cctv'].lines] == ['Hikvision', 'Axis']


def test_every_action_is_audited(editor_a, regulator, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    accept_return(regulator, survey_return)
    history = ObjectChange.objects.for_object(survey_return)
    assert {c.message for c in history} >= {'Submitted', 'Accepted'}
    assert ObjectChange.objects.for_user(editor_a).filter(object_id=str(survey_return.pk)).exists()
