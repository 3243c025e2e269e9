"""Decisions on obligations and replacement progress; national exposure for the regulator."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oversight.core.audit import STALE_MESSAGE
from oversight.core.models import ObjectChange
from oversight.policy import actions, exposure
from oversight.policy.evaluation import evaluate_register
from oversight.policy.models import ObligationDecision
from oversight.register.models import EquipmentLine

from .conftest import TODAY, line

D = datetime.date
NOON = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def dahua(estate_a, makers):
    """Four Dahua cameras on Kent's sensitive HQ: obligations under the statement and the concern list."""
    found = line(estate_a, made_by=makers.dahua, manufacturer_declared='Dahua', model='IPC', quantity=4)
    EquipmentLine.objects.filter(pk=found.pk).update(concern=True)
    return found


def _obligation(user, found_line):
    lines = EquipmentLine.objects.filter(pk=found_line.pk)
    return next(o for o in evaluate_register(lines, user, TODAY).obligations if o.rule.replace)


def _url(obligation):
    rule_set, rule = obligation.rule.key.split('/')
    return reverse('policy:decision', args=['kent-police', obligation.line.pk, rule_set, rule])


ACCEPT = {'decision': 'accept', 'reason': 'Isolated, due for replacement in 2027', 'approver': 'Deputy Chief Constable',
          'accepted_until': '2026-06-30'}  # fmt: skip


@time_machine.travel(NOON)
def test_an_editor_records_a_decision_and_its_progress_through_the_pages(client_for, editor_a, dahua):
    obligation = _obligation(editor_a, dahua)
    client = client_for(editor_a)
    body = reverse('policy:body', args=['kent-police'])
    assert _url(obligation) in client.get(body).content.decode()
    assert client.get(_url(obligation)).status_code == 200
    # Accepting the risk needs a reason, an approver and an expiry: each missing one is named, nothing saved.
    response = client.post(_url(obligation), {'decision': 'accept'})
    errors = response.context['form'].errors
    assert set(errors) == {'reason', 'approver', 'accepted_until'}
    assert errors['approver'] == ['Enter who approved accepting the risk.']
    assert not ObligationDecision.objects.exists()
    response = client.post(_url(obligation), ACCEPT)
    assert response.status_code == 302
    decision = ObligationDecision.objects.get()
    assert (decision.line, decision.rule, decision.devices) == (dahua, obligation.rule.key, 4)
    assert decision.decided_by == editor_a
    assert ObjectChange.objects.for_object(decision).get().message.startswith(f'Decision on "{obligation.rule.title}"')
    assert 'Risk accepted' in client.get(body).content.decode()
    export = client.get(body, {'export': 'obligations', 'format': 'csv'}).content.decode('utf-8-sig')
    rows = list(csv.DictReader(io.StringIO(export)))
    decided = [r for r in rows if r['Rule'] == obligation.rule.title]
    assert [(r['Decision'], r['Decision date']) for r in decided] == [('Risk accepted', '2026-06-30')]
    assert {r['Decision'] for r in rows if r['Rule'] != obligation.rule.title} == {'Open: no decision'}
    [entry] = client.get(_url(obligation)).context['history']  # its history, in words
    shown = [tuple(vars(f).values()) for f in entry.fields]
    assert ('Decision', None, 'Accept the risk') in shown and ('Approver', None, 'Deputy Chief Constable') in shown
    # Once the acceptance expires the obligation is open again, and says so.
    with time_machine.travel(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)):
        page = client_for(editor_a).get(body).content.decode()  # signed in again: the session has expired
    assert 'Open: risk acceptance expired' in page and 'expired on' in page
    # The body decides to replace instead, and records the replacement done with what it cost.
    replaced = {'decision': 'replace', 'progress': 'replaced', 'replaced_on': '2026-01-10', 'actual_cost': '£7,200',
                'version': decision.version}  # fmt: skip
    response = client.post(_url(obligation), {**replaced, 'progress': 'replaced', 'replaced_on': ''})
    assert response.context['form'].errors['replaced_on'] == ['Enter the date the equipment was replaced.']
    assert client.post(_url(obligation), replaced).status_code == 302
    decision.refresh_from_db()
    assert decision.actual_cost == Decimal(7200) and decision.state(TODAY) == 'replaced'
    page = client.get(body)
    assert page.context['progress'].devices['replaced'] == 4 and page.context['progress'].spent == Decimal(7200)
    # A form opened before that change is refused, not applied over it.
    response = client.post(_url(obligation), {**ACCEPT, 'version': decision.version - 1})
    assert STALE_MESSAGE in response.content.decode()


def test_progress_belongs_to_a_decision_to_replace(editor_a, dahua):
    obligation = _obligation(editor_a, dahua)
    with pytest.raises(ValidationError) as refused:
        actions.record_decision(editor_a, obligation, decision='not_applicable', reason='Removed', progress='planned')
    assert refused.value.message_dict['progress'] == [
        'Only a decision to replace records replacement progress: clear this.'
    ]
    assert not ObligationDecision.objects.exists()


def test_a_decision_on_another_bodys_obligation_is_a_404(client_for, editor_a, editor_b, viewer_a, dahua):
    obligation = _obligation(editor_a, dahua)
    assert client_for(editor_b).get(_url(obligation)).status_code == 404
    assert client_for(editor_b).post(_url(obligation), ACCEPT).status_code == 404
    assert client_for(viewer_a).get(_url(obligation)).status_code == 403
    # A rule that does not apply to the line is no obligation either.
    url = reverse('policy:decision', args=['kent-police', dahua.pk, 'uk-wms-2022', 'no-such-rule'])
    assert client_for(editor_a).get(url).status_code == 404
    assert not ObligationDecision.objects.exists()


@time_machine.travel(NOON)
def test_the_obligations_table_is_filtered_by_the_state_of_their_decisions(client_for, editor_a, dahua):
    obligation = _obligation(editor_a, dahua)
    actions.record_decision(editor_a, obligation, None, **{**ACCEPT, 'accepted_until': D(2026, 1, 31)})
    client = client_for(editor_a)
    body = reverse('policy:body', args=['kent-police'])

    def listed(state):
        page = client.get(body, {'state': state})
        return [(o.line.pk, o.rule.key) for o in page.context['obligations'].data]

    everything = listed('')
    assert len(everything) > 1
    assert listed('accepted') == [(dahua.pk, obligation.rule.key)]
    assert (dahua.pk, obligation.rule.key) not in listed('open')
    assert len(listed('open')) == len(everything) - 1
    # Past its expiry the acceptance is open again, and filtered as such.
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, tzinfo=datetime.UTC)):
        client = client_for(editor_a)
        assert listed('expired') == [(dahua.pk, obligation.rule.key)] and listed('accepted') == []
    assert 'state' in client.get(body, {'state': 'someday'}).context['filter'].errors


def test_progress_counts_a_line_once_at_its_furthest_stage(body_a, editor_a, dahua):
    obligations = evaluate_register(EquipmentLine.objects.filter(pk=dahua.pk), editor_a, TODAY).obligations
    assert len(obligations) >= 2
    first, second = obligations[:2]
    actions.record_decision(editor_a, first, decision='replace', progress='planned', planned_on=D(2026, 9, 1))
    actions.record_decision(editor_a, second, decision='replace', progress='ordered', ordered_on=D(2026, 2, 1))
    found = exposure.progress(ObligationDecision.objects.all(), {(body_a.pk, dahua.system.category): Decimal(100)})
    assert found.devices == {'replace': 0, 'planned': 0, 'ordered': 4, 'replaced': 0}
    assert found.planned_cost == Decimal(400) and found.spent == 0


def test_quarters_run_from_the_first_replacement_to_today(body_a, editor_a, dahua, estate_a, makers):
    other = line(estate_a, made_by=makers.hikvision, manufacturer_declared='Hikvision', quantity=2)
    for found, day, cost in ((dahua, D(2025, 8, 1), '4000'), (other, D(2026, 1, 5), '900')):
        actions.record_decision(editor_a, _obligation(editor_a, found), decision='replace', progress='replaced',
                                replaced_on=day, actual_cost=Decimal(cost))  # fmt: skip
    quarters = exposure.quarters(ObligationDecision.objects.all(), D(2026, 5, 1))
    assert [(q.label, q.devices, q.cumulative, q.spent) for q in quarters] == [
        ('2025 Q3', 4, 4, Decimal(4000)),
        ('2025 Q4', 0, 4, 0),
        ('2026 Q1', 2, 6, Decimal(900)),
        ('2026 Q2', 0, 6, 0),
    ]


def test_the_regulator_sees_national_exposure_as_a_chart_a_table_and_csv(client_for, regulator, editor_a, dahua):
    actions.record_decision(editor_a, _obligation(editor_a, dahua), decision='replace', progress='replaced',
                            replaced_on=D(2025, 8, 1), actual_cost=Decimal(5000))  # fmt: skip
    client = client_for(regulator)
    with time_machine.travel(NOON):
        response = client.get(reverse('policy:exposure'))
    page = response.content.decode()
    [kent] = response.context['rows']
    assert kent.organisation.name == 'Kent Police' and kent.concern_on_sensitive == 4
    assert kent.progress.devices['replaced'] == 4 and kent.progress.spent == Decimal(5000)
    assert 'data-testid="progress-chart"' in page and '2025 Q3' in page  # the chart, and its table
    export = client.get(reverse('policy:exposure') + '?export=csv')
    rows = list(csv.reader(io.StringIO(export.content.decode('utf-8-sig'))))
    assert rows[0][:2] == ['Body', 'Devices of concern on sensitive sites']
    assert rows[1][0] == 'Kent Police' and rows[1][1] == '4' and rows[1][-1] == '5000.00'
    assert client_for(editor_a).get(reverse('policy:exposure')).status_code == 403


def test_the_demo_records_decisions_once(body_a, body_b):
    from oversight.policy import demo
    from oversight.register import demo as register_demo

    register_demo.load(lambda message: None)
    messages = []
    demo.load(messages.append)
    kent = ObligationDecision.objects.filter(organisation=body_a)
    today = timezone.localdate()
    assert sorted(d.state(today) for d in kent) == ['expired', 'ordered', 'planned', 'replaced', 'replaced']
    assert all(d.actual_cost for d in kent if d.state(today) == 'replaced')
    demo.load(messages.append)
    assert messages[-1] == 'Demo decisions on obligations: 0 recorded.'
    assert ObligationDecision.objects.count() == 10
