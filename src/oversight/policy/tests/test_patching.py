"""A kept evaluation patched after writes to equipment lines equals the register evaluated afresh.

Random sequences of audited writes (register.actions: add, edit what the rules read, delete) are applied,
and after each few the kept evaluation (brought up to date by cached_evaluation) is compared with a fresh
`evaluate_register` in every figure the page, its exports and its chart show.
"""

import datetime
import random
from decimal import Decimal

import pytest

from oversight.accounts.events import AccountEvent, record_event
from oversight.compliance.actions import record_governance
from oversight.compliance.models import ReviewTask
from oversight.core.models import ObjectChange
from oversight.policy import actions as policy_actions
from oversight.policy import evaluation
from oversight.register import actions as register_actions
from oversight.register.models import Category, EquipmentLine, Site, System

from .conftest import TODAY

# (declared maker, brand, model, firmware): makers of concern and their relabels, others, and unknowns, with
# models and firmware the vulnerability matching tells apart.
IDENTITIES = [
    ('Hikvision', '', 'DS-2CD2143G2-I', 'V5.7.3'),
    ('Hikvision', '', 'DS-2CD2386G2-IU', 'V5.4.0'),
    ('HIKVISION', '', 'DS-2DE4425IW-DE', ''),
    ('Dahua Technology', '', 'IPC-HFW2431S-S-S2', 'V2.800'),
    ('Dahua', '', '', ''),
    ('Lorex', '', 'LNB4421', ''),
    ('EZVIZ', 'EZVIZ', 'C3W', ''),
    ('Honeywell', 'Performance', 'HEN28103', ''),
    ('Axis', '', 'P3245-LVE', '10.12.1'),
    ('Nuuo', '', 'NVRmini 2', ''),
    ('Acme CCTV Ltd', '', 'AC-100', ''),
]
INSTALLED = [None, datetime.date(2019, 1, 1), datetime.date(2023, 6, 1), datetime.date(2025, 12, 1)]
UPGRADES = [None, datetime.date(2025, 10, 1), datetime.date(2026, 8, 15), datetime.date(2027, 5, 31)]


def identity(rng) -> dict:
    maker, brand, model, firmware = rng.choice(IDENTITIES)
    return {'manufacturer_declared': maker, 'brand': brand, 'model': model, 'firmware': firmware}


class Register:
    """One body's estate, written to only through its editor's audited actions."""

    def __init__(self, editor, prefix: str):
        self.editor, self.body = editor, editor.organisation
        self.sites = [
            register_actions.create_site(editor, self.body, name=f'{prefix} {name}', sensitive=sensitive, kind=kind)
            for name, sensitive, kind in [
                ('HQ', True, Site.Kind.HEADQUARTERS),
                ('custody suite', True, Site.Kind.CUSTODY),
                ('town centre', False, Site.Kind.PUBLIC_SPACE),
                ('ring road', False, Site.Kind.ROADSIDE),
            ]
        ]
        self.systems = [
            register_actions.create_system(editor, self.body, name=name, category=category)
            for name, category in [
                ('Custody CCTV', Category.INTERNAL_CCTV),
                ('Town CCTV', Category.EXTERNAL_CCTV),
                ('ANPR', Category.ANPR),
                ('Drone unit', Category.DRONE),
            ]
        ]
        # Some categories priced, with and without pence, and drones not at all.
        policy_actions.set_unit_costs(
            editor,
            self.body,
            {Category.INTERNAL_CCTV: Decimal('900'), Category.EXTERNAL_CCTV: Decimal('1500.50'), Category.ANPR: None},
        )

    def lines(self):
        return EquipmentLine.objects.filter(organisation=self.body).order_by('pk')

    def fields(self, rng) -> dict:
        return {
            **identity(rng),
            'site': rng.choice(self.sites),
            'system': rng.choice(self.systems),
            'quantity': rng.randint(1, 40),
            'installed_on': rng.choice(INSTALLED),
            'next_upgrade': rng.choice(UPGRADES),
            'network': rng.choice(EquipmentLine.Network.values),
        }

    def add(self, rng) -> None:
        register_actions.create_line(self.editor, self.body, **self.fields(rng))

    def edit(self, rng) -> None:
        line = rng.choice(list(self.lines()))
        # What the rules, the plan and the matching read: who made it, where, in what, how many, when, how connected.
        change = rng.choice(
            [
                lambda: identity(rng),
                lambda: {'model': rng.choice(IDENTITIES)[2]},
                lambda: {'firmware': rng.choice(['V5.4.0', 'V5.7.3', 'build 200101', ''])},
                lambda: {'site': rng.choice(self.sites)},
                lambda: {'system': rng.choice(self.systems)},
                lambda: {'quantity': rng.randint(1, 40)},
                lambda: {'installed_on': rng.choice(INSTALLED)},
                lambda: {'next_upgrade': rng.choice(UPGRADES)},
                lambda: {'network': rng.choice(EquipmentLine.Network.values)},
                lambda: self.fields(rng),
            ]
        )()
        register_actions.update_line(self.editor, line, line.version, **change)

    def delete(self, rng) -> None:
        line = rng.choice(list(self.lines()))
        register_actions.delete_line(self.editor, line, line.version)

    def write(self, rng) -> None:
        count = self.lines().count()
        operation = rng.choices([self.add, self.edit, self.delete], weights=[3, 5, 2 if count > 3 else 0])[0]
        operation(rng)


def figures(found: evaluation.Evaluation) -> dict:
    """Everything an evaluation shows, by value (a line by its id and what the page reads of it)."""

    def line(each):
        return (each.pk, each.site_id, each.system_id, each.quantity, each.model, each.firmware, each.made_by_id)

    plan = found.plan
    return {
        'lines': [line(each) for each in found.lines],
        'obligations': [
            (line(o.line), o.rule.key, o.rule_set.slug, o.due, o.due_basis, o.reason, o.overdue, o.severity)
            for o in found.obligations
        ],
        'plan lines': [(line(p.line), p.severity, p.replace_by, p.overdue, str(p.cost)) for p in plan.lines],
        'plan rows': [
            (
                r.organisation.pk,
                r.site.pk,
                r.next_upgrade,
                r.replace_by,
                r.severity,
                r.overdue,
                r.lines,
                r.devices,
                str(r.cost),
                r.devices_without_cost,
                sorted(r.categories_without_cost),
                r.cost_note,
            )
            for r in plan.rows
        ],  # fmt: skip
        'plan totals': (plan.devices, str(plan.cost), plan.devices_without_cost),
        'timeline': [(p.label, p.start, p.devices, str(p.cost), p.devices_without_cost) for p in plan.timeline],
        'vulnerabilities': [
            (line(m.line), m.match.vulnerability.cve, m.match.status, m.match.reason, m.match.family)
            for m in found.vulnerabilities
        ],
        'summaries': (
            found.devices_by_severity(),
            found.overdue_devices(),
            {status: found.vulnerable_devices(status) for status in evaluation.Status},
            [
                (
                    b.organisation.pk,
                    b.must,
                    b.should,
                    b.consider,
                    b.overdue,
                    b.plan_devices,
                    str(b.cost),
                    b.devices_without_cost,
                )
                for b in found.by_body()
            ],
        ),  # fmt: skip
    }


@pytest.fixture
def registers(editor_a, editor_b, makers):
    policy_actions.set_policy_settings(
        editor_a, editor_a.organisation, rule_sets=['ndaa-889'], review_by=datetime.date(2027, 3, 31)
    )
    return Register(editor_a, 'Maidstone'), Register(editor_b, 'Chelmsford')


@pytest.fixture
def full_evaluations(monkeypatch):
    """How many times the register was evaluated afresh by cached_evaluation."""
    counted = []
    real = evaluation.evaluate_register
    monkeypatch.setattr(evaluation, 'evaluate_register', lambda *a, **k: counted.append(1) or real(*a, **k))
    return counted, real


def not_consider(obligation) -> bool:
    return obligation.severity != 'consider'


# (name, the selection of lines, keep): a body's whole register, a filtered one (lines moving in and out of
# it, obligations narrowed), and the regulator's across bodies.
SELECTIONS = ['body', 'filtered', 'across bodies']


def _selection(selection: str, kent, regulator) -> tuple:
    """(lines, user, organisation, keep, keep_key) of the selection."""
    user, organisation, keep, keep_key = kent.editor, kent.body, None, ()
    if selection == 'across bodies':
        user, organisation = regulator, None
    lines = EquipmentLine.objects.for_user(user)
    if selection == 'filtered':
        lines = lines.filter(organisation=kent.body, site__sensitive=True)
        keep, keep_key = not_consider, ('not consider',)
    elif selection == 'body':
        lines = lines.filter(organisation=kent.body)
    return lines, user, organisation, keep, keep_key


@pytest.mark.parametrize('selection', SELECTIONS)
@pytest.mark.parametrize('seed', [1, 2, 3])
def test_a_patched_evaluation_equals_the_register_evaluated_afresh(
    selection, seed, registers, regulator, full_evaluations
):
    counted, fresh = full_evaluations
    rng = random.Random(seed)
    kent, essex = registers
    for _ in range(12):
        kent.add(rng)
        essex.add(rng)
    lines, user, organisation, keep, keep_key = _selection(selection, kent, regulator)

    def kept():
        return evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation, keep=keep, keep_key=keep_key)

    kept().once('chart', lambda: 'drawn')
    for _ in range(25):
        for _ in range(rng.randint(1, 3)):
            rng.choice([kent, kent, essex] if selection == 'across bodies' else [kent]).write(rng)
        patched = kept()
        assert figures(patched) == figures(fresh(lines, user, TODAY, keep=keep))
    assert patched.obligations and patched.plan.rows and patched.vulnerabilities  # there was something to patch
    assert len(counted) == 1  # the first evaluation only: every later one was patched


def test_a_kept_chart_is_kept_only_while_its_figures_stay(registers, full_evaluations):
    kent, _ = registers
    rng = random.Random(4)
    for _ in range(5):
        kent.add(rng)
    lines = EquipmentLine.objects.filter(organisation=kent.body)

    def kept():
        return evaluation.cached_evaluation(lines, kent.editor, TODAY, organisation=kent.body)

    kept().once('chart', lambda: 'drawn')
    register_actions.create_line(
        kent.editor, kent.body, site=kent.sites[2], system=kent.systems[1], quantity=1, **IDENTITIES_OF['Axis']
    )
    assert kept().once('chart', lambda: 'drawn again') == 'drawn'  # no obligation, nothing in the timeline moved
    register_actions.create_line(
        kent.editor, kent.body, site=kent.sites[0], system=kent.systems[0], quantity=2, **IDENTITIES_OF['Dahua']
    )
    assert kept().once('chart', lambda: 'drawn again') == 'drawn again'


IDENTITIES_OF = {
    'Axis': {'manufacturer_declared': 'Axis', 'model': 'P3245-LVE', 'firmware': '10.12.1'},
    'Dahua': {'manufacturer_declared': 'Dahua', 'model': 'IPC-HFW2431S-S-S2', 'firmware': ''},
}


def kent_evaluation(kent):
    lines = EquipmentLine.objects.filter(organisation=kent.body)
    return evaluation.cached_evaluation(lines, kent.editor, TODAY, organisation=kent.body)


def test_writes_to_what_the_evaluation_does_not_read_keep_it(registers, full_evaluations):
    counted, fresh = full_evaluations
    kent, essex = registers
    rng = random.Random(5)
    custody = kent.systems[0]
    record_governance(kent.editor, custody, dpia_completed_on=datetime.date(2025, 6, 1))
    kent.add(rng)
    first = kent_evaluation(kent)
    record_event(AccountEvent.SIGNED_IN, user=kent.editor)
    essex.add(rng)
    assert kent_evaluation(kent) is first
    # A line added to a system with a DPIA raises its review task (an audited write of the compliance app).
    register_actions.create_line(
        kent.editor, kent.body, site=kent.sites[0], system=custody, quantity=4, **IDENTITIES_OF['Dahua']
    )
    assert ReviewTask.objects.filter(system=custody, resolved_at__isnull=True).exists()
    kept = kent_evaluation(kent)
    assert len(counted) == 1
    assert figures(kept) == figures(fresh(EquipmentLine.objects.filter(organisation=kent.body), kent.editor, TODAY))

    # A decision is read only by the decision filter: the unfiltered evaluation keeps, a filtered one does not.
    def filtered():
        return evaluation.cached_evaluation(
            EquipmentLine.objects.filter(organisation=kent.body), kent.editor, TODAY, organisation=kent.body,
            keep=lambda obligation: True, keep_key=('', '', 'open'),
        )  # fmt: skip

    filtered()
    policy_actions.record_decision(kent.editor, kept.obligations[0], decision='replace', progress='planned')
    assert kent_evaluation(kent) is kept
    assert len(counted) == 2
    filtered()
    assert len(counted) == 3


@pytest.mark.parametrize('across_bodies', [False, True])
def test_more_writes_than_a_patch_takes_of_what_the_evaluation_does_not_read_keep_it(
    registers, regulator, full_evaluations, monkeypatch, across_bodies
):
    """A day of sign-ins (and returns, tasks…) is many audit rows: past PATCH_MAX_LINES of them, the few the
    evaluation reads are still found and patched in, not the register worked out afresh."""
    counted, fresh = full_evaluations
    kent, essex = registers
    monkeypatch.setattr(evaluation, 'PATCH_MAX_LINES', 3)
    rng = random.Random(9)
    kent.add(rng)
    if across_bodies:
        lines, user, organisation = EquipmentLine.objects.for_user(regulator), regulator, None
    else:
        lines, user, organisation = EquipmentLine.objects.filter(organisation=kent.body), kent.editor, kent.body
    evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation)
    for editor in (kent.editor, essex.editor):
        for _ in range(5):
            record_event(AccountEvent.SIGNED_IN, user=editor)
        kent.add(rng)
    kept = evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation)
    assert len(counted) == 1
    assert figures(kept) == figures(fresh(lines, user, TODAY))
    # More lines written than a patch takes, among the sign-ins, and the register is worked out afresh.
    for _ in range(4):
        kent.add(rng)
    evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation)
    assert len(counted) == 2


@pytest.mark.parametrize('across_bodies', [False, True])
def test_a_write_committed_below_the_kept_revision_is_not_missed(registers, regulator, full_evaluations, across_bodies):
    """On PostgreSQL a write can take its audit row's id before another write and commit after it, below the
    newest row the kept evaluation saw. Emulated by moving an audited edit's row into a gap left earlier: for a
    body's page, and for the regulator's across bodies, whose revision is every body's (a write of one body
    committing after another body's later row)."""
    counted, fresh = full_evaluations
    kent, essex = registers
    rng = random.Random(7)
    kent.add(rng)
    gap = record_event(AccountEvent.SIGNED_IN, user=kent.editor).pk
    ObjectChange.objects.filter(pk=gap).delete()
    (essex if across_bodies else kent).add(rng)
    if across_bodies:
        lines, user, organisation = EquipmentLine.objects.for_user(regulator), regulator, None
    else:
        lines, user, organisation = EquipmentLine.objects.filter(organisation=kent.body), kent.editor, kent.body
    evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation)
    line = kent.lines().first()
    register_actions.update_line(kent.editor, line, line.version, quantity=line.quantity + 7)
    ObjectChange.objects.filter(pk=ObjectChange.objects.order_by('-pk').first().pk).update(id=gap)
    kept = evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation)
    assert figures(kept) == figures(fresh(lines, user, TODAY))
    assert len(counted) == 2


@pytest.mark.parametrize('selection', SELECTIONS)
@pytest.mark.parametrize('write', ['unit costs', 'policy settings', 'both, and a line'])
def test_new_unit_costs_or_settings_rework_the_kept_lines_without_reading_the_register(
    write, selection, registers, regulator, full_evaluations, monkeypatch
):
    """After saving unit costs or policy settings a person lands on the policy page: the kept lines are
    priced, or the rules applied to them, again, as a fresh evaluation would."""
    counted, fresh = full_evaluations
    kent, essex = registers
    rng = random.Random(6)
    for _ in range(6):
        kent.add(rng)
        essex.add(rng)
    lines, user, organisation, keep, keep_key = _selection(selection, kent, regulator)
    before = evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation, keep=keep, keep_key=keep_key)
    editor, body = kent.editor, kent.body
    if write != 'policy settings':
        policy_actions.set_unit_costs(editor, body, {Category.DRONE: Decimal('3000'), Category.ANPR: Decimal('75')})
    if write != 'unit costs':
        policy_actions.set_policy_settings(editor, body, rule_sets=[], review_by=datetime.date(2026, 12, 31))
    if write == 'both, and a line':
        kent.add(rng)
    reads = []
    monkeypatch.setattr(
        evaluation, 'loaded_lines', lambda query, real=evaluation.loaded_lines: reads.append(1) or real(query)
    )
    kept = evaluation.cached_evaluation(lines, user, TODAY, organisation=organisation, keep=keep, keep_key=keep_key)
    assert kept is not before and len(counted) == 1
    assert len(reads) == (1 if write == 'both, and a line' else 0)  # only the line written is read
    assert figures(kept) == figures(fresh(lines, user, TODAY, keep=keep))
    assert figures(kept) != figures(before)


@pytest.mark.parametrize('write', ['site', 'system', 'too many lines'])
def test_anything_but_a_few_lines_written_evaluates_the_register_afresh(
    write, registers, full_evaluations, monkeypatch
):
    counted, fresh = full_evaluations
    kent, _ = registers
    rng = random.Random(6)
    for _ in range(4):
        kent.add(rng)
    kent_evaluation(kent)
    editor, body = kent.editor, kent.body
    if write == 'site':
        site = kent.sites[2]
        register_actions.update_site(editor, site, site.version, sensitive=True)
    elif write == 'system':
        system = System.objects.get(pk=kent.systems[0].pk)
        register_actions.update_system(editor, system, system.version, category=Category.DRONE)
    else:
        monkeypatch.setattr(evaluation, 'PATCH_MAX_LINES', 2)
        for _ in range(3):
            kent.add(rng)
    kept = kent_evaluation(kent)
    assert len(counted) == 2
    assert figures(kept) == figures(fresh(EquipmentLine.objects.filter(organisation=body), editor, TODAY))


def test_the_same_lines_kept_across_bodies_and_for_the_body_are_told_apart(registers, regulator, full_evaluations):
    """The regulator's page across bodies filtered to Kent and Kent's own page read the same lines (one cache
    key) with revisions of different shapes: moving from one to the other after a write evaluates afresh."""
    counted, fresh = full_evaluations
    kent, _ = registers
    kent.add(random.Random(9))
    lines = EquipmentLine.objects.for_user(regulator).filter(organisation=kent.body)
    evaluation.cached_evaluation(lines, regulator, TODAY)
    kent.add(random.Random(10))
    kept = evaluation.cached_evaluation(lines, regulator, TODAY, organisation=kent.body)
    assert len(counted) == 2
    assert figures(kept) == figures(fresh(lines, regulator, TODAY))
