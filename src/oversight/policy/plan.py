"""The replacement plan: the lines whose obligations mean replacing them, by site and date, costed.

A line enters the plan when any of its obligations comes from a rule marked `replace`. It is to
be replaced by the earliest due date among those obligations, with the most pressing severity
among them. Its cost is its quantity times the body's unit cost for the line's system category;
a category without a unit cost leaves the cost unknown, and the plan says how many devices that is.
"""

import datetime
import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.core.languages import interpolate_lazy, remembered
from oversight.register.models import Category

from .obligations import SEVERITY_RANK, Obligation
from .sorting import replaced

# Looked up once per line of the plan; get_category_display() rebuilds its choices on every call.
CATEGORY_LABELS = dict(Category.choices)


# The severities as the timeline's breakdown counts them ("59 must, 103 consider").
SEVERITY_WORDS = {
    'must': remembered(_('must')),
    'should': remembered(_('should')),
    'consider': remembered(_('consider')),
}


def unpriced_note(devices: int, categories=()) -> str:
    """What a cost leaves out, e.g. "3 devices without a unit cost (Drones)", in the active language (the
    categories are their English labels, translated here); empty when nothing."""
    if not devices:
        return ''
    note = gettext('%(devices)s devices without a unit cost') % {'devices': f'{devices:,}'}
    if not categories:
        return note
    return f'{note} ({", ".join(sorted(gettext(category) for category in categories))})'


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
    # The plan lines it adds up, so a patched plan works out again only the rows a write touched.
    entries: list = field(default_factory=list, repr=False, compare=False)

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

    label: str  # lazy: written in the reader's language
    start: datetime.date | None  # None for the overdue bar
    devices: dict = field(default_factory=lambda: dict.fromkeys(SEVERITY_RANK, 0))
    cost: Decimal = Decimal(0)
    devices_without_cost: int = 0

    @property
    def total(self) -> int:
        return sum(self.devices.values())

    @property
    def breakdown(self) -> str:
        """E.g. "59 must, 103 consider": the devices of each severity present, in the active language."""
        return ', '.join(f'{count:,} {SEVERITY_WORDS[severity]}' for severity, count in self.devices.items() if count)


@dataclass
class Day:
    """The plan lines to be replaced by one date, added up: the timeline counts days into its periods."""

    entries: list[PlanLine]
    devices: dict = field(default_factory=lambda: dict.fromkeys(SEVERITY_RANK, 0))
    cost: Decimal = Decimal(0)
    devices_without_cost: int = 0


@dataclass
class Plan:
    rows: list[PlanRow]
    lines: list[PlanLine]
    timeline: list[Period]
    # The rows by (body, site, next upgrade) and the days by date, for `patched`.
    row_of: dict = field(default_factory=dict, repr=False, compare=False)
    days: dict = field(default_factory=dict, repr=False, compare=False)

    # Cached: a kept evaluation (policy.evaluation) shows these on every request; the rows hold them added up.
    @cached_property
    def devices(self) -> int:
        return sum(r.devices for r in self.rows)

    @cached_property
    def cost(self) -> Decimal:
        return sum((r.cost for r in self.rows), Decimal(0))

    @cached_property
    def devices_without_cost(self) -> int:
        return sum(r.devices_without_cost for r in self.rows)


def _cost(line, unit_costs: dict) -> Decimal | None:
    """What replacing the line costs at its body's unit cost for its category; None when unpriced."""
    unit = unit_costs.get((line.organisation_id, line.system.category))
    return None if unit is None else unit * line.quantity


def repriced(entries: list[PlanLine], unit_costs: dict) -> list[PlanLine]:
    """The plan lines again at new unit costs: what is replaced, and when, does not depend on them."""
    return [PlanLine(e.line, e.severity, e.replace_by, e.overdue, _cost(e.line, unit_costs)) for e in entries]


def plan_lines(obligations: list[Obligation], unit_costs: dict, today: datetime.date) -> list[PlanLine]:
    """One entry per line to be replaced, in no order; `unit_costs` maps (organisation id, category) -> cost."""
    by_line: dict[int, PlanLine] = {}
    for obligation in obligations:
        if not obligation.rule.replace:
            continue
        line = obligation.line
        entry = by_line.get(line.pk)
        if entry is None:
            cost = _cost(line, unit_costs)
            by_line[line.pk] = PlanLine(line, obligation.severity, obligation.due, obligation.due < today, cost)
            continue
        if SEVERITY_RANK[obligation.severity] < SEVERITY_RANK[entry.severity]:
            entry.severity = obligation.severity
        if obligation.due < entry.replace_by:
            entry.replace_by = obligation.due
            entry.overdue = obligation.due < today
    return list(by_line.values())


def _entry_order(entry: PlanLine) -> tuple:
    return entry.replace_by, SEVERITY_RANK[entry.severity], entry.line.pk


def _row_key(entry: PlanLine) -> tuple:
    line = entry.line
    return line.organisation_id, line.site_id, line.next_upgrade


def _row(entries: list[PlanLine]) -> PlanRow:
    """The row of plan lines sharing a site and a next scheduled upgrade."""
    first = entries[0].line
    row = PlanRow(first.organisation, first.site, first.next_upgrade, entries[0].replace_by, entries[0].severity)
    row.entries = entries
    for entry in entries:
        line = entry.line
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
    return row


def _row_order(row: PlanRow) -> tuple:
    site, upgrade = row.site, row.next_upgrade or datetime.date.max
    return row.replace_by, not site.sensitive, row.organisation.name, site.name, upgrade


def _replace_by(entry: PlanLine) -> datetime.date:
    return entry.replace_by


def _day(entries: list[PlanLine]) -> Day:
    day = Day(entries)
    for entry in entries:
        day.devices[entry.severity] += entry.line.quantity
        if entry.cost is None:
            day.devices_without_cost += entry.line.quantity
        else:
            day.cost += entry.cost
    return day


def _grouped(entries, key, total) -> dict:
    """{key: total(the entries with that key)}."""
    groups: dict = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    return {name: total(group) for name, group in groups.items()}


def _regrouped(groups: dict, old: list[PlanLine], new: list[PlanLine], key, total) -> dict:
    """`groups` with the groups of `old` and `new` entries worked out again, without `old` and with `new`."""
    groups = groups.copy()
    gone = {id(entry) for entry in old}
    for name in {key(entry) for entry in (*old, *new)}:
        kept = [e for e in groups[name].entries if id(e) not in gone] if name in groups else []
        entries = kept + [e for e in new if key(e) == name]
        if entries:
            groups[name] = total(entries)
        else:
            del groups[name]
    return groups


def _quarter(date: datetime.date) -> datetime.date:
    return datetime.date(date.year, 3 * ((date.month - 1) // 3) + 1, 1)


def _quarter_index(date: datetime.date) -> int:
    return date.year * 4 + (date.month - 1) // 3


def _next(start: datetime.date, by_year: bool) -> datetime.date:
    if by_year:
        return datetime.date(start.year + 1, 1, 1)
    month = start.month + 3
    return datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


@functools.cache
def quarter_label(year: int, quarter: int):
    """E.g. "2026 Q4", lazy: a kept plan's timeline is read in either language."""
    return interpolate_lazy(_('%(year)s Q%(quarter)s'), year=year, quarter=quarter)


# Beyond four years of quarters the chart would be unreadable; it counts whole years instead.
MAX_QUARTERS = 16


def timeline(days: dict[datetime.date, Day], today: datetime.date) -> list[Period]:
    """Devices to replace per period from today's quarter to the last due date, after an overdue bar.

    A plan line is overdue exactly when its date is before today (plan_lines), so whole days are counted.
    """
    if not days:
        return []
    overdue = Period(_('Overdue'), None)
    last = max((date for date in days if date >= today), default=today)
    by_year = _quarter_index(last) - _quarter_index(today) >= MAX_QUARTERS
    start = datetime.date(today.year, 1, 1) if by_year else _quarter(today)
    periods = [overdue]
    while start <= last:
        label = str(start.year) if by_year else quarter_label(start.year, (start.month - 1) // 3 + 1)
        periods.append(Period(label, start))
        start = _next(start, by_year)
    starts = [p.start for p in periods[1:]]
    for date, day in days.items():
        # The last period starting on or before the date (periods[0] is the overdue bar).
        period = overdue if date < today else periods[bisect_right(starts, date)]
        for severity, devices in day.devices.items():
            period.devices[severity] += devices
        period.cost += day.cost
        period.devices_without_cost += day.devices_without_cost
    if not overdue.total:
        periods.remove(overdue)
    return periods


def build(obligations: list[Obligation], unit_costs: dict, today: datetime.date) -> Plan:
    return from_entries(plan_lines(obligations, unit_costs, today), today)


def from_entries(entries: list[PlanLine], today: datetime.date) -> Plan:
    """The plan of these plan lines (plan_lines): by date, by site and upgrade, and over time."""
    row_of = _grouped(entries, _row_key, _row)
    days = _grouped(entries, _replace_by, _day)
    return Plan(
        rows=sorted(row_of.values(), key=_row_order),
        lines=sorted(entries, key=_entry_order),
        timeline=timeline(days, today),
        row_of=row_of,
        days=days,
    )


def patched(plan: Plan, old: list[PlanLine], new: list[PlanLine], today: datetime.date) -> Plan:
    """The plan with the plan lines `old` (of lines since changed) replaced by `new`, as `from_entries` would
    build it afresh: only the rows and days they touch are added up again."""
    row_of = _regrouped(plan.row_of, old, new, _row_key, _row)
    touched = {_row_key(entry) for entry in (*old, *new)}
    rows = replaced(
        plan.rows,
        [plan.row_of[key] for key in touched if key in plan.row_of],
        [row_of[key] for key in touched if key in row_of],
        _row_order,
    )
    days = _regrouped(plan.days, old, new, _replace_by, _day)
    return Plan(
        rows=rows,
        lines=replaced(plan.lines, old, new, _entry_order),
        timeline=timeline(days, today),
        row_of=row_of,
        days=days,
    )
