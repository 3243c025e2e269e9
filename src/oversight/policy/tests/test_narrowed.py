"""A filtered policy page is narrowed from the kept evaluation of the whole register (evaluation.narrowed) rather
than evaluated again, and shows what evaluating the filtered lines afresh would."""

import datetime
import random

import pytest
import time_machine
from django.urls import reverse

from oversight.policy import actions as policy_actions
from oversight.policy import evaluation
from oversight.register.models import EquipmentLine

from .conftest import TODAY
from .test_patching import figures, registers  # noqa: F401  (a fixture)
from .test_stored import main

# The pages are worked out on the day the evaluations are (a decision accepted until June is in force).
NOON = datetime.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=datetime.UTC)

# Filters of lines, of obligations, and of both; with other pages and orders of their tables.
FILTERS = [
    '?severity=must',
    '?severity=should&o-sort=-due',
    '?rule_set=ndaa-889&o-page=2',
    '?sensitive=true',
    '?sensitive=false&severity=must&p-sort=-cost',
    '?category=external_cctv&v-sort=cve',
    '?network=isolated',
    '?state=accepted',
    '?state=open&severity=should',
    '?site={site}&o-sort=equipment',
]


@pytest.fixture
def kent(registers):  # noqa: F811
    kent, essex = registers
    rng = random.Random(5)
    for _ in range(40):
        kent.add(rng)
        essex.add(rng)
    whole = evaluation.evaluate_register(kent.lines(), kent.editor, TODAY)
    obligation = next(o for o in whole.obligations if o.severity == 'must')
    policy_actions.record_decision(
        kent.editor, obligation, None, decision='accept', reason='Isolated', approver='Deputy Chief Constable',
        accepted_until='2026-06-30',
    )  # fmt: skip
    return kent


def test_narrowing_gives_what_the_chosen_lines_evaluated_afresh_give(kent):
    lines = EquipmentLine.objects.filter(organisation=kent.body)
    whole = evaluation.evaluate_register(lines, kent.editor, TODAY)
    sensitive = lines.filter(site__sensitive=True)
    for selection, keep in [
        (lines, lambda o: o.severity == 'must'),
        (sensitive, None),
        (sensitive, lambda o: o.rule_set.slug == 'ndaa-889' and o.severity != 'consider'),
        (lines.filter(site=kent.sites[2]), lambda o: False),
    ]:
        ids = None if selection is lines else set(selection.values_list('pk', flat=True))
        narrowed = evaluation.narrowed(whole, ids, keep)
        assert figures(narrowed) == figures(evaluation.evaluate_register(selection, kent.editor, TODAY, keep=keep))
    assert figures(evaluation.narrowed(whole, None, None)) == figures(whole)


@pytest.fixture
def rules_applied(monkeypatch):
    """How many lines the rules were applied to."""
    applied, real = [], evaluation.evaluate
    monkeypatch.setattr(evaluation, 'evaluate', lambda lines, *args: applied.append(len(lines)) or real(lines, *args))
    return applied


@time_machine.travel(NOON)
def test_a_filtered_page_is_narrowed_from_the_kept_register_and_is_the_page_worked_out_afresh(
    kent, client_for, monkeypatch, rules_applied
):
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    queries = [query.format(site=kent.sites[1].pk) for query in FILTERS]
    with monkeypatch.context() as patch:
        # As the page was before narrowing: the filtered lines evaluated afresh, their obligations kept.
        patch.setattr(
            evaluation,
            'narrowed_evaluation',
            lambda whole, selection, ids, keep, keep_key, now: evaluation.evaluate_register(
                selection, kent.editor, TODAY, keep=keep
            ),
        )
        afresh = {}
        for query in queries:
            evaluation.forget_evaluations()
            afresh[query] = main(client.get(url + query))
    assert 'Isolated' in afresh['?state=accepted']

    evaluation.forget_evaluations()
    client.get(url)  # the whole register, kept
    rules_applied.clear()
    for query in queries:
        assert main(client.get(url + query)) == afresh[query], query
    assert rules_applied == []  # every filtered page narrowed from the register kept


@time_machine.travel(NOON)
def test_a_filtered_page_with_nothing_kept(kent, client_for, rules_applied):
    """Lines filtered: only they are evaluated. Obligations filtered: the whole register, kept for the next."""
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    evaluation.forget_evaluations()
    client.get(url + f'?site={kent.sites[0].pk}')
    assert rules_applied == [kent.lines().filter(site=kent.sites[0]).count()]
    client.get(url + '?severity=must')
    client.get(url + '?severity=should')
    client.get(url)
    assert rules_applied[1:] == [kent.lines().count()]
