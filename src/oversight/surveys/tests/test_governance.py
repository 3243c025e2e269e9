"""Governance in returns: questions 9.x pre-filled from the compliance records, and the records kept at submission."""

import datetime
import importlib
import io
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from oversight.compliance import actions as compliance
from oversight.compliance.governance import snapshot
from oversight.compliance.models import Principle
from oversight.core.models import ObjectChange
from oversight.findings.engine import Basis, campaign_findings
from oversight.register import actions as register_actions
from oversight.register.models import Category
from oversight.surveys.actions.returns import submit_return
from oversight.surveys.models import Return
from oversight.surveys.prefill import known_answers

from .conftest import london
from .test_workflow import with_lines


def _system(body, name, category=Category.EXTERNAL_CCTV):
    return register_actions.create_system(None, body, name=name, category=category)


def _frozen_assessment(system, responses: dict[int, str], open_action_for: int | None = None):
    assessment = compliance.start_assessment(None, system)
    for principle in Principle.objects.all():
        compliance.answer_principle(None, assessment, principle, response=responses.get(principle.number, 'met'))
    if open_action_for:
        principle = Principle.objects.get(number=open_action_for)
        compliance.add_plan_action(None, assessment, principle, action='Publish signage', owner='Estates')
    return compliance.freeze_assessment(None, assessment)


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_governance_answers_are_prefilled_from_the_records_and_say_so(invitation_a, body_a):
    town, custody = _system(body_a, 'Town'), _system(body_a, 'Custody', Category.INTERNAL_CCTV)
    for system, done, step in (
        (town, datetime.date(2022, 1, 5), 'step_1'),
        (custody, datetime.date(2021, 9, 1), 'step_2'),
    ):
        compliance.record_governance(
            None, system, sro_name='ACC Jones', dpia_completed_on=done, certification_body='nsi',
            certification_step=step, certified_on=done, certification_expires=done + datetime.timedelta(days=365),
        )  # fmt: skip
    _frozen_assessment(town, {3: 'partly'})
    _frozen_assessment(custody, {3: 'met', 4: 'not_met'})

    known = known_answers(invitation_a)

    assert known.answers['governance.sro_name'] == 'ACC Jones'
    assert known.answers['governance.dpia'] == 'yes'
    assert known.answers['governance.dpia_reviewed'] == '2021-09-01'  # the oldest: every DPIA is at least as new
    assert known.answers['governance.certification'] == 'desktop'  # the lower step of the two systems
    assert known.answers['governance.certification_date'] == '2022-01-05'
    assert known.answers['governance.principle_1'] == 'compliant'
    assert known.answers['governance.principle_3'] == 'partly_compliant'
    assert known.answers['governance.principle_4'] == 'partly_compliant'
    assert known.sources['governance.dpia'] == 'From your compliance records'
    assert 'governance.sro_role' not in known.answers  # the records do not say it


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_questions_the_records_do_not_settle_are_left_to_the_body(invitation_a, body_a):
    town, _custody = _system(body_a, 'Town'), _system(body_a, 'Custody', Category.INTERNAL_CCTV)
    compliance.record_governance(None, town, sro_name='ACC Jones', dpia_completed_on=datetime.date(2022, 1, 5))
    _frozen_assessment(town, {})

    known = known_answers(invitation_a)

    # One system has no record: whether every system has a DPIA, or is assessed, is not known.
    assert not any(key.startswith('governance.') for key in known.answers if key != 'governance.sro_name')


def test_a_submitted_return_keeps_the_records_as_they_stood_and_findings_count_them(
    client_for, regulator, invitation_a, body_a, editor_a
):
    town, custody = _system(body_a, 'Town'), _system(body_a, 'Custody', Category.INTERNAL_CCTV)
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        compliance.record_governance(
            None, town, dpia_completed_on=datetime.date(2022, 1, 5), dpia_review_due=datetime.date(2023, 1, 5),
            certification_body='ssaib', certification_step='step_2', certified_on=datetime.date(2022, 1, 5),
            certification_expires=datetime.date(2027, 1, 5), facial_recognition='retrospective',
        )  # fmt: skip
        compliance.record_governance(None, custody, facial_recognition='none')
        _frozen_assessment(town, {5: 'not_met'}, open_action_for=5)
        survey_return = submit_return(editor_a, invitation_a, with_lines())

    assert [s['dpia'] for s in survey_return.governance] == ['in_date', 'missing']
    assert survey_return.governance[0]['open_actions'] == {'5': 1}
    # A later change to the records does not change what the return carried, nor the figures.
    compliance.record_governance(None, custody, dpia_completed_on=datetime.date(2023, 2, 1))
    figures = campaign_findings(invitation_a.campaign, Basis.PUBLISHED).contract()['governance']

    assert figures['respondents'] == 1 and figures['systems'] == 2 and figures['systems_recorded'] == 2
    assert figures['dpia_in_date'] == {'systems': 1, 'bodies': 0}
    assert figures['certified'] == {'step_1': {'systems': 0, 'bodies': 0}, 'step_2': {'systems': 1, 'bodies': 1}}
    assert figures['self_assessed'] == {'systems': 1, 'bodies': 0}
    assert figures['open_actions_by_principle']['5'] == 1 and sum(figures['open_actions_by_principle'].values()) == 1
    assert figures['facial_recognition']['systems'] == {
        'none': 1, 'retrospective': 1, 'operator_initiated': 0, 'live': 0, 'not_recorded': 0,
    }  # fmt: skip
    assert figures['facial_recognition']['bodies_using'] == 1
    answers = figures['answers']
    assert answers['dpia']['yes'] == 1 and answers['certification']['none'] == 1
    assert answers['principles']['1']['compliant'] == 1  # as the body answered, whatever the records said

    # The regulator reviewing the return reads what it carried, system by system, as a summary list.
    url = reverse('surveys:return_detail', args=[survey_return.pk])
    page = client_for(regulator).get(url).content.decode()
    kept = page[page.index('data-testid="return-governance"') :]
    assert 'Governance when submitted' in page
    assert re.search(r'Town \(External CCTV\).*DPIA: In date.*Step 2: full certification.*Yes \(1 open action\)'
                     r'.*Retrospective facial recognition', kept, re.S)  # fmt: skip
    assert re.search(r'Custody \(Internal CCTV\).*DPIA: No DPIA.*Not certified.*Self-assessed: No', kept, re.S)
    assert 'Governance when submitted' not in client_for(editor_a).get(url).content.decode()


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_the_governance_section_shows_the_prefilled_answers_and_their_source(
    client_for, editor_a, invitation_a, body_a
):
    from .test_return_journey import section_url

    town = _system(body_a, 'Town')
    compliance.record_governance(None, town, sro_name='ACC Jones', dpia_completed_on=datetime.date(2022, 1, 5))

    page = client_for(editor_a).get(section_url(invitation_a, 'governance')).content.decode()

    assert '>ACC Jones</textarea>' in page
    assert re.search(r'name="governance.dpia" type="radio" value="yes" checked', page)
    assert 'data-testid="source-governance.dpia"' in page and 'From your compliance records' in page


def _kent_records_then_changed(body_a):
    """Kent's records on 30 August 2022 (returned), then changed every way the history must undo."""
    with time_machine.travel(london(2022, 7, 1, 12), tick=False):
        town, custody = _system(body_a, 'Town'), _system(body_a, 'Custody', Category.INTERNAL_CCTV)
        compliance.record_governance(
            None, town, dpia_completed_on=datetime.date(2022, 1, 5), dpia_review_due=datetime.date(2023, 1, 5),
            certification_body='nsi', certification_step='step_2', certified_on=datetime.date(2022, 1, 5),
            certification_expires=datetime.date(2022, 10, 1), facial_recognition='none',
        )  # fmt: skip
        compliance.record_governance(None, custody, facial_recognition='retrospective')
        _frozen_assessment(town, {5: 'not_met'}, open_action_for=5)
    with time_machine.travel(london(2022, 8, 30, 11), tick=False):
        # The 30th of August, after Kent submitted at 10:00: what the return is to carry.
        taken = snapshot(body_a, datetime.date(2022, 8, 30))
    with time_machine.travel(london(2022, 9, 15, 12), tick=False):
        record = town.governance
        compliance.record_governance(
            None, town, record.version, dpia_completed_on=None, dpia_review_due=None, facial_recognition='live',
            certification_body='', certification_step='', certified_on=None, certification_expires=None,
        )  # fmt: skip
        _frozen_assessment(town, {})  # a newer version, frozen after the submission: not yet there then
        register_actions.delete_system(None, custody)  # its record and assessments go with it, by cascade
        _system(body_a, 'Later')
    return taken


def test_an_imported_return_carries_the_records_rebuilt_as_they_stood_at_its_submission(
    tmp_path, concern_list, body_a, client_for, regulator
):
    from .test_interchange import GOOD, write

    taken = _kent_records_then_changed(body_a)
    assert [entry['dpia'] for entry in taken] == ['in_date', 'missing']
    assert taken[0]['certified_step'] == 'step_2' and taken[0]['open_actions'] == {'5': 1}

    with time_machine.travel(london(2022, 12, 1, 12), tick=False):
        call_command('import-returns', '2022', write(tmp_path, GOOD), stdout=io.StringIO())

    kent = Return.objects.get(organisation=body_a)
    assert kent.governance == taken  # the deleted system and its record back; the later one not yet there
    assert kent.governance_basis == Return.GovernanceBasis.RECONSTRUCTED and kent.governance_as_of == kent.submitted_at
    essex = Return.objects.get(organisation__name='Essex Police')  # no system in the register at all
    assert (essex.governance, essex.governance_basis) == ([], Return.GovernanceBasis.NOT_AVAILABLE)
    imported = ObjectChange.objects.filter(content_type__model='campaign').latest('pk').after['governance']
    assert imported == {str(body_a.pk): 'reconstructed', str(essex.organisation_id): 'not_available'}

    figures = campaign_findings(kent.campaign, Basis.PUBLISHED).contract()['governance']
    assert figures['records'] == {'at_submission': 0, 'reconstructed': 1, 'not_available': 1, 'not_taken': 0}
    assert (figures['respondents'], figures['respondents_with_records'], figures['systems']) == (2, 1, 2)
    assert figures['certified']['step_2'] == {'systems': 1, 'bodies': 1}  # valid on the day, expired since

    page = client_for(regulator).get(reverse('surveys:return_detail', args=[kent.pk])).content.decode()
    assert 'Rebuilt from Oversight’s audit history' in page or "Rebuilt from Oversight's audit history" in page
    assert 'System ' in page and '(no longer in the register)' in page  # Custody, deleted since
    page = client_for(regulator).get(reverse('surveys:return_detail', args=[essex.pk])).content.decode()
    assert 'Not available: the register held none of the body' in page
    from oversight.findings.actions import create_report

    create_report(regulator, kent.campaign, narrative_text='')
    report = client_for(regulator).get(reverse('findings:report', args=[kent.campaign.slug])).content.decode()
    assert '1 return kept no records when it was submitted' in report
    assert '1 return has no records (the register held none' in report


def test_records_are_rebuilt_for_many_bodies_in_the_queries_of_one(body_a, body_b, monkeypatch):
    """An import rebuilds every body's records at once: 5,000 bodies rebuilt one by one took 40 s."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.compliance import governance
    from oversight.organisations.models import Organisation
    from oversight.surveys.actions.returns import governance_rebuilt

    taken = _kent_records_then_changed(body_a)
    with time_machine.travel(london(2022, 7, 1, 12), tick=False):
        compliance.record_governance(None, _system(body_b, 'Essex town'), facial_recognition='none')
    third = Organisation.objects.exclude(pk__in=[body_a.pk, body_b.pk]).first()  # no system, ever
    moments = {body_a.pk: london(2022, 8, 30, 10), body_b.pk: london(2022, 8, 30, 10), third.pk: london(2022, 8, 30)}

    with CaptureQueriesContext(connection) as alone:
        assert governance_rebuilt({body_a.pk: moments[body_a.pk]})[body_a.pk]['governance'] == taken
    with CaptureQueriesContext(connection) as together:
        rebuilt = governance_rebuilt(moments)
    assert len(together) == len(alone)
    assert rebuilt[body_a.pk]['governance'] == taken
    assert [entry['facial_recognition'] for entry in rebuilt[body_b.pk]['governance']] == ['none']
    assert rebuilt[third.pk]['governance_basis'] == Return.GovernanceBasis.NOT_AVAILABLE

    monkeypatch.setattr(governance, 'RECONSTRUCT_BATCH', 1)  # each body in a batch of its own: the same records
    assert governance_rebuilt(moments) == rebuilt


def test_returns_that_kept_no_records_are_filled_from_the_history_once(
    invitation_a, body_a, editor_a, client_for, regulator
):
    taken = _kent_records_then_changed_after_submitting(invitation_a, body_a, editor_a)
    survey_return = Return.objects.get(invitation=invitation_a)
    # As a return submitted before returns kept their records stands after migration.
    Return.objects.filter(pk=survey_return.pk).update(governance=[], governance_basis='', governance_as_of=None)
    page = client_for(regulator).get(reverse('surveys:return_detail', args=[survey_return.pk])).content.decode()
    assert 'No governance records were kept with this return' in page
    assert campaign_findings(invitation_a.campaign, Basis.PUBLISHED).contract()['governance']['records'] == {
        'at_submission': 0, 'reconstructed': 0, 'not_available': 0, 'not_taken': 1,
    }  # fmt: skip

    out = io.StringIO()
    call_command('fill-return-governance', stdout=out)

    survey_return.refresh_from_db()
    assert survey_return.governance == taken
    assert survey_return.governance_basis == Return.GovernanceBasis.RECONSTRUCTED
    assert survey_return.governance_as_of == survey_return.last_submitted_at
    assert '1 returns rebuilt from the audit trail; 0 not available' in out.getvalue()
    change = ObjectChange.objects.filter(object_id=str(survey_return.pk), content_type__model='return').latest('pk')
    assert change.after['governance_basis'] == 'reconstructed' and 'Governance records as of' in change.message
    version = survey_return.version
    call_command('fill-return-governance', '--campaign', invitation_a.campaign.slug, stdout=(out := io.StringIO()))
    survey_return.refresh_from_db()
    assert survey_return.version == version and '0 returns rebuilt' in out.getvalue()


def _kent_records_then_changed_after_submitting(invitation_a, body_a, editor_a):
    """Records as in _kent_records_then_changed, with Kent's return submitted through the web on the 30th."""
    with time_machine.travel(london(2022, 7, 1, 12), tick=False):
        town = _system(body_a, 'Town')
        compliance.record_governance(None, town, dpia_completed_on=datetime.date(2022, 1, 5), facial_recognition='none')
        _frozen_assessment(town, {}, open_action_for=2)
    with time_machine.travel(london(2022, 8, 30, 10), tick=False):
        taken = submit_return(editor_a, invitation_a, with_lines()).governance
        assert Return.objects.get(invitation=invitation_a).governance_basis == Return.GovernanceBasis.SUBMISSION
    with time_machine.travel(london(2022, 9, 15, 12), tick=False):
        compliance.record_governance(None, town, town.governance.version, facial_recognition='live')
        _system(body_a, 'Later')
    return taken


def test_returns_are_filled_together_in_the_queries_of_a_few(campaign, regulator):
    """After the migration every older return kept none: each written on its own cost about 6 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.surveys.actions.returns import fill_missing_governance

    invitations = list(campaign.invitations.select_related('organisation').order_by('pk'))

    def filled(some) -> int:
        for invitation in some:
            Return.objects.create(
                invitation=invitation, campaign=campaign, organisation=invitation.organisation, answers={},
                submitted_at=london(2022, 8, 30, 10), last_submitted_at=london(2022, 8, 30, 10),
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert sum(fill_missing_governance(regulator).values()) == len(some)
        return len(queries)

    assert filled(invitations[:2]) == filled(invitations[2:14])
    change = ObjectChange.objects.filter(content_type__model='return').latest('pk')
    assert change.after['governance_basis'] == 'not_available' and change.message.startswith('Governance records as of')


def test_fill_return_governance_refuses_a_campaign_it_cannot_find(db):
    with pytest.raises(CommandError, match='no-such-campaign'):
        call_command('fill-return-governance', '--campaign', 'no-such-campaign', stdout=io.StringIO())


def test_a_return_whose_body_had_no_system_then_is_marked_not_available(invitation_a, body_a, editor_a):
    with time_machine.travel(london(2022, 8, 30, 10), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    _system(body_a, 'Town')  # the register is loaded only afterwards
    Return.objects.filter(pk=survey_return.pk).update(governance=[], governance_basis='', governance_as_of=None)

    call_command('fill-return-governance', stdout=io.StringIO())

    survey_return.refresh_from_db()
    assert (survey_return.governance, survey_return.governance_basis) == ([], Return.GovernanceBasis.NOT_AVAILABLE)
    assert survey_return.governance_as_of == survey_return.last_submitted_at


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_a_return_cannot_say_how_its_records_were_obtained_without_when(invitation_a, editor_a):
    survey_return = submit_return(editor_a, invitation_a, with_lines())
    with pytest.raises(IntegrityError), transaction.atomic():
        Return.objects.filter(pk=survey_return.pk).update(governance_as_of=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Return.objects.filter(pk=survey_return.pk).update(governance_basis='')


def test_the_migration_marks_only_returns_that_took_their_records_at_submission(invitation_a, invitation_b, editor_a):
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    migration = importlib.import_module('oversight.surveys.migrations.0009_return_governance_basis')
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        web = submit_return(editor_a, invitation_a, with_lines())
    now = timezone.now()  # after this test database's migrations were applied
    Return.objects.filter(pk=web.pk).update(last_submitted_at=now, governance_basis='', governance_as_of=None)
    imported = Return.objects.create(
        invitation=invitation_b, campaign=invitation_b.campaign, organisation=invitation_b.organisation,
        submitted_at=now, last_submitted_at=now, source=Return.Source.IMPORT,
    )  # fmt: skip
    stored = Return.objects.filter(pk=web.pk)

    migration.mark_taken_at_submission(apps, SimpleNamespace(connection=connection))

    assert stored.values_list('governance_basis', 'governance_as_of').get() == ('submission', now)
    imported.refresh_from_db()
    assert (imported.governance_basis, imported.governance_as_of) == ('', None)
    # One submitted before 0008 existed keeps none: fill-return-governance rebuilds it.
    Return.objects.filter(pk=web.pk).update(
        last_submitted_at=london(2022, 7, 10, 12), governance_basis='', governance_as_of=None
    )
    migration.mark_taken_at_submission(apps, SimpleNamespace(connection=connection))
    assert stored.values_list('governance_basis', flat=True).get() == ''
