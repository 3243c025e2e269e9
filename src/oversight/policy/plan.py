"""The replacement plan: the lines whose obligations mean replacing them, by site and date, costed.

A line enters the plan when any of its obligations comes from a rule marked `replace`. It is to
be replaced by the earliest due date among those obligations, with the most pressing severity
among them. Its cost is its quantity times the body's unit cost for the line's system category;
a category without a unit cost leaves the cost unknown, and the plan says how many devices that is.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from oversight.register.models import Category

from .obligations import SEVERITY_RANK, Obligation

# Looked up once per line of the plan; get_category_display() rebuilds its choices on every call.
CATEGORY_LABELS = dict(Category.choices)


def unpriced_note(devices: int, categories=()) -> str:
    """What a cost leaves out, e.g. "3 devices without a unit cost (Drones)"; empty when nothing."""
    if not devices:
        return ''
    named = f' ({", ".join(sorted(categories))})' if categories else ''
    return f'{devices:,} devices without a unit cost{named}'


@dataclass
class PlanLine:
    line: object
    severity: str
    replace_by: datetime.date
    overdue: bool
    cost: Decimal | None


@dataclass
class PlanRow:
    """The lines of one site sharing a next scheduled upgrade."""

    organisation: object
    site: object
    next_upgrade: datetime.date | None
    replace_by: datetime.date
    severity: str
    overdue: bool = False
    lines: int = 0
    devices: int = 0
    cost: Decimal = Decimal(0)
    devices_without_cost: int = 0
    categories_without_cost: set = field(default_factory=set)

    @property
    def sensitive(self) -> bool:
        return self.site.sensitive

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    @property
    def cost_note(self) -> str:
        return unpriced_note(self.devices_without_cost, self.categories_without_cost)


@dataclass
class Period:
    """One bar of the timeline: devices to be replaced in a quarter or year (or already overdue)."""

    label: str
    start: datetime.date | None  # None for the overdue bar
    devices: dict = field(default_factory=lambda: dict.fromkeys(SEVERITY_RANK, 0))
    cost: Decimal = Decimal(0)
    devices_without_cost: int = 0

    @property
    def total(self) -> int:
        return sum(self.devices.values())

    @property
    def breakdown(self) -> str:
        """E.g. "59 must, 103 consider": the devices of each severity present."""
        return ', '.join(f'{count:,} {severity}' for severity, count in self.devices.items() if count)


@dataclass
class Plan:
    rows: list[PlanRow]
    lines: list[PlanLine]
    timeline: list[Period]

    # Cached: a kept evaluation (policy.evaluation) shows these on every request, over up to 1M lines.
    @cached_property
    def devices(self) -> int:
        return sum(p.line.quantity for p in self.lines)

    @cached_property
    def cost(self) -> Decimal:
        return sum((p.cost for p in self.lines if p.cost is not None), Decimal(0))

    @cached_property
    def devices_without_cost(self) -> int:
        return sum(p.line.quantity for p in self.lines if p.cost is None)


def plan_lines(obligations: list[Obligation], unit_costs: dict, today: datetime.date) -> list[PlanLine]:
    """One entry per line to be replaced; `unit_costs` maps (organisation id, category) -> cost."""
    by_line: dict[int, PlanLine] = {}
    for obligation in obligations:
        if not obligation.rule.replace:
            continue
        line = obligation.line
        entry = by_line.get(line.pk)
        if entry is None:
            unit = unit_costs.get((line.organisation_id, line.system.category))
            cost = None if unit is None else unit * line.quantity
            by_line[line.pk] = PlanLine(line, obligation.severity, obligation.due, obligation.due < today, cost)
            continue
        if SEVERITY_RANK[obligation.severity] < SEVERITY_RANK[entry.severity]:
            entry.severity = obligation.severity
        if obligation.due < entry.replace_by:
            entry.replace_by = obligation.due
            entry.overdue = obligation.due < today
    return sorted(by_line.values(), key=lambda p: (p.replace_by, SEVERITY_RANK[p.severity], p.line.pk))


def _rows(lines: list[PlanLine]) -> list[PlanRow]:
    rows: dict[tuple, PlanRow] = {}
    for entry in lines:
        line = entry.line
        key = (line.organisation_id, line.site_id, line.next_upgrade)
        row = rows.get(key)
        if row is None:
            row = rows[key] = PlanRow(line.organisation, line.site, line.next_upgrade, entry.replace_by, entry.severity)
        row.replace_by = min(row.replace_by, entry.replace_by)
        if SEVERITY_RANK[entry.severity] < SEVERITY_RANK[row.severity]:
            row.severity = entry.severity
        row.overdue = row.overdue or entry.overdue
        row.lines += 1
        row.devices += line.quantity
        if entry.cost is None:
            row.devices_without_cost += line.quantity
            row.categories_without_cost.add(CATEGORY_LABELS[line.system.category])
        else:
            row.cost += entry.cost
    return sorted(
        rows.values(),
        key=lambda r: (
            r.replace_by,
            not r.site.sensitive,
            r.organisation.name,
            r.site.name,
            r.next_upgrade or datetime.date.max,
        ),
    )


def _quarter(date: datetime.date) -> datetime.date:
    return datetime.date(date.year, 3 * ((date.month - 1) // 3) + 1, 1)


def _quarter_index(date: datetime.date) -> int:
    return date.year * 4 + (date.month - 1) // 3


def _next(start: datetime.date, by_year: bool) -> datetime.date:
    if by_year:
        return datetime.date(start.year + 1, 1, 1)
    month = start.month + 3
    return datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


# Beyond four years of quarters the chart would be unreadable; it counts whole years instead.
MAX_QUARTERS = 16


def timeline(lines: list[PlanLine], today: datetime.date) -> list[Period]:
    """Devices to replace per period from today's quarter to the last due date, after an overdue bar."""
    if not lines:
        return []
    overdue = Period('Overdue', None)
    future = [p for p in lines if not p.overdue]
    last = max((p.replace_by for p in future), default=today)
    by_year = _quarter_index(last) - _quarter_index(today) >= MAX_QUARTERS
    start = datetime.date(today.year, 1, 1) if by_year else _quarter(today)
    periods = [overdue]
    while start <= last:
        label = str(start.year) if by_year else f'{start.year} Q{(start.month - 1) // 3 + 1}'
        periods.append(Period(label, start))
        start = _next(start, by_year)
    for entry in lines:
        period = overdue
        if not entry.overdue:
            period = next(p for p in reversed(periods[1:]) if p.start <= entry.replace_by)
        period.devices[entry.severity] += entry.line.quantity
        if entry.cost is None:
            period.devices_without_cost += entry.line.quantity
        else:
            period.cost += entry.cost
    if not overdue.total:
        periods.remove(overdue)
    return periods


def build(obligations: list[Obligation], unit_costs: dict, today: datetime.date) -> Plan:
    lines = plan_lines(obligations, unit_costs, today)
    return Plan(rows=_rows(lines), lines=lines, timeline=timeline(lines, today))
