import datetime
from decimal import Decimal

from oversight.policy import plan as replacement
from oversight.policy.chart import timeline_svg
from oversight.policy.makers import MakerFacts
from oversight.policy.obligations import evaluate
from oversight.register.models import Category

from .conftest import TODAY, line


def build(lines, unit_costs, today=TODAY):
    found = evaluate(lines, MakerFacts.from_db(today), {}, today)
    return replacement.build(found, unit_costs, today)


def test_plan_groups_by_site_and_upgrade_and_costs_from_unit_costs(estate_a, makers):
    body = estate_a.body.pk
    upgrade = datetime.date(2027, 5, 31)
    breach = line(estate_a, made_by=makers.dahua, installed_on=datetime.date(2023, 6, 1), quantity=3)
    old = line(estate_a, made_by=makers.hikvision, installed_on=datetime.date(2019, 1, 1), quantity=2)
    town = line(
        estate_a, site=estate_a.town, system=estate_a.streets, made_by=makers.dahua, next_upgrade=upgrade, quantity=5
    )
    drone = line(estate_a, site=estate_a.town, system=estate_a.drones, made_by=makers.dahua, next_upgrade=upgrade)
    line(estate_a, made_by=makers.axis, quantity=10)  # no obligations, not in the plan
    costs = {(body, Category.INTERNAL_CCTV): Decimal('900'), (body, Category.EXTERNAL_CCTV): Decimal('1500.50')}
    plan = build([breach, old, town, drone], costs)

    assert plan.devices == 3 + 2 + 5 + 1
    assert plan.cost == Decimal('900') * 5 + Decimal('1500.50') * 5
    assert plan.devices_without_cost == 1  # the drone: no unit cost for drones
    hq, town_row = plan.rows
    assert (hq.site, hq.next_upgrade, hq.lines, hq.devices, hq.cost) == (estate_a.hq, None, 2, 5, Decimal(4500))
    # The breach (must, since installation) sets the row's date and severity.
    assert (hq.replace_by, hq.severity, hq.overdue) == (datetime.date(2023, 6, 1), 'must', True)
    assert (town_row.site, town_row.next_upgrade, town_row.devices) == (estate_a.town, upgrade, 6)
    assert (town_row.replace_by, town_row.severity) == (upgrade, 'consider')
    assert town_row.cost == Decimal('7502.50')
    assert town_row.cost_note == '1 devices without a unit cost (Drones)'


def test_obligations_that_are_not_replacements_stay_out_of_the_plan(estate_a, makers):
    unknown = line(estate_a, manufacturer_declared='Acme Vision', quantity=7)  # "identify who made it"
    plan = build([unknown], {})
    assert plan.rows == [] and plan.devices == 0 and plan.timeline == []


def test_timeline_has_an_overdue_bar_then_quarters(estate_a, makers):
    breach = line(estate_a, made_by=makers.dahua, installed_on=datetime.date(2023, 6, 1), quantity=3)
    later = line(
        estate_a, site=estate_a.town, made_by=makers.dahua, next_upgrade=datetime.date(2026, 8, 15), quantity=4
    )
    costs = {(estate_a.body.pk, Category.INTERNAL_CCTV): Decimal(100)}
    periods = build([breach, later], costs).timeline
    assert [p.label for p in periods] == ['Overdue', '2026 Q1', '2026 Q2', '2026 Q3']
    assert periods[0].devices == {'must': 3, 'should': 0, 'consider': 0}
    assert periods[0].cost == Decimal(300)
    assert periods[3].devices['consider'] == 4
    assert sum(p.total for p in periods) == 7


def test_a_far_horizon_is_counted_in_years(estate_a, makers):
    far = line(estate_a, site=estate_a.town, made_by=makers.dahua, next_upgrade=datetime.date(2033, 2, 1))
    periods = build([far], {}).timeline
    assert [p.label for p in periods] == [str(y) for y in range(2026, 2034)]
    assert periods[-1].devices['consider'] == 1


def test_the_chart_is_text_svg_without_script_and_deterministic(estate_a, makers):
    breach = line(estate_a, made_by=makers.dahua, installed_on=datetime.date(2023, 6, 1), quantity=3)
    periods = build([breach], {}).timeline
    svg = timeline_svg(periods)
    assert svg.startswith('<?xml') and '<svg' in svg
    assert 'Devices to replace' in svg and 'Overdue' in svg and 'Must' in svg
    assert '<script' not in svg
    assert timeline_svg(periods) == svg
