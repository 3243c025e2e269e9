"""The policy page of a large body (or the regulator's across bodies) read from what the worker stored
(policy.stored): its counts, plan and chart as stored, and its tables' rows paged by the database, each page's
rows evaluated again when shown.

Apart from policy.stored so that what listens to audited writes (policy's AppConfig) does not load the tables.
"""

import datetime
import functools
import threading
from decimal import Decimal

from django_tables2.data import TableData

from oversight.organisations.models import Organisation
from oversight.register.models import Site

from . import plan as replacement
from .evaluation import OVERDUE, BodySummary, body_inputs, loaded_lines
from .models import StoredEvaluation
from .obligations import SEVERITY_RANK, evaluate
from .stored import OBLIGATIONS, VULNERABILITIES, StoredTable, current, register
from .vulnerabilities import Status, match_lines

BATCH = 5_000


@functools.lru_cache(maxsize=4096)  # a plan of thousands of rows holds a few hundred dates
def _date(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date.fromisoformat(text)


# The plan last read from each stored evaluation (by body; None across bodies), by its generation: thousands
# of rows, the same for every request until the worker stores the page again. Read-only once built (the plan
# table sorts a copy).
_plans: dict = {}
_plans_lock = threading.Lock()


def _plan(stored: StoredEvaluation) -> replacement.Plan | None:
    """The stored plan of the generation read; None if the worker has switched to another since."""
    key = (stored.pk, stored.generation)
    with _plans_lock:
        held = _plans.get(stored.organisation_id)
    if held is not None and held[0] == key:
        return held[1]
    # Read only when this process has not built it (page defers it), and only of the generation read.
    stored_plan = (
        StoredEvaluation.objects.filter(pk=stored.pk, generation=stored.generation)
        .values_list('plan', flat=True)
        .first()
    )
    if stored_plan is None:
        return None
    sites = Site.objects.select_related('organisation').in_bulk({row[0] for row in stored_plan['rows']})
    rows = [
        replacement.PlanRow(sites[site_id].organisation, sites[site_id], _date(upgrade), _date(replace_by),
                            severity, overdue, lines, devices, Decimal(cost), unpriced, set(categories))
        for site_id, upgrade, replace_by, severity, overdue, lines, devices, cost, unpriced, categories
        in stored_plan['rows']
    ]  # fmt: skip
    days = {
        _date(date): replacement.Day([], devices, Decimal(cost), unpriced)
        for date, devices, cost, unpriced in stored_plan['days']
    }
    plan = replacement.Plan(rows=rows, lines=[], timeline=replacement.timeline(days, stored.today))
    with _plans_lock:
        _plans[stored.organisation_id] = (key, plan)
    return plan


class StoredPage:
    """What the policy page reads of an evaluation (as evaluation.Evaluation offers it), from a stored one."""

    def __init__(self, stored: StoredEvaluation, organisation, plan: replacement.Plan):
        self.stored, self.today, self.tally = stored, stored.today, stored.figures['tally']
        figures = stored.figures
        self.plan = plan
        self._inputs = None
        self.organisation = organisation
        self.obligations = self._rows(OBLIGATIONS, figures['obligations'], self._obligations_of)
        self.vulnerabilities = self._rows(VULNERABILITIES, figures['vulnerabilities'], self._matches_of)

    def _rows(self, table: StoredTable, count: int, materialise) -> 'StoredRows':
        shown = table.model.objects.filter(evaluation=self.stored, generation=self.stored.generation)
        return StoredRows(
            shown.values_list('line_id', table.name),
            count,
            {column: rank for column, (rank, _key) in table.ranks.items()},
            materialise,
        )

    def once(self, name: str, compute):
        """The chart, drawn by the worker in each language."""
        return self.stored.charts.get(name.removeprefix('chart-')) or compute()

    def devices_by_severity(self) -> dict[str, int]:
        return {severity: self.tally[severity] for severity in SEVERITY_RANK}

    def overdue_devices(self) -> int:
        return self.tally[OVERDUE]

    def vulnerable_devices(self, status: Status) -> int:
        return self.tally[str(status)]

    def by_body(self) -> list[BodySummary]:
        """The summary per body of the page across bodies, in the order it was stored (by the body's name)."""
        rows = self.stored.figures['by_body']
        bodies = Organisation.objects.in_bulk([row[0] for row in rows])
        return [
            BodySummary(bodies[body], must, should, consider, overdue, plan_devices, Decimal(cost), unpriced)
            for body, must, should, consider, overdue, plan_devices, cost, unpriced in rows
        ]

    def _lines(self, rows) -> dict:
        lines = register(self.organisation).filter(pk__in={r[0] for r in rows})
        return {line.pk: line for line in loaded_lines(lines)}

    def _obligations_of(self, rows) -> list:
        """The obligations of these (line id, rule key) rows, evaluated again, in the rows' order."""
        if self._inputs is None:
            bodies = {self.organisation.pk} if self.organisation else {row[0] for row in self.stored.figures['by_body']}
            self._inputs = body_inputs(None, bodies, self.today)
        lines = self._lines(rows)
        found = {
            OBLIGATIONS.identity(o): o
            for o in evaluate(list(lines.values()), self._inputs.facts, self._inputs.choices, self.today)
        }
        return [found[row] for row in rows if row in found]

    def _matches_of(self, rows) -> list:
        lines = self._lines(rows)
        found = {VULNERABILITIES.identity(m): m for m in match_lines(list(lines.values()))}
        return [found[row] for row in rows if row in found]


class StoredRows(TableData):
    """A stored table's rows for django-tables2: ordered and paged by the database, each page's rows evaluated
    again (`materialise`) when shown."""

    def __init__(self, rows, count: int, ranks: dict, materialise):
        super().__init__(rows)
        self.count, self.ranks, self.materialise = count, ranks, materialise
        self.order = ['position']

    def __len__(self):
        return self.count

    @property
    def model(self):
        # Not the stored rows' model: django-tables2 would take a column's header from its fields.
        return None

    def order_by(self, aliases):
        # A column sorted descending reverses its rank only: rows of equal rank keep the page's order, as the
        # stable sort of a kept evaluation's list does.
        order = []
        for alias in aliases:
            rank = self.ranks.get(alias.lstrip('-'))
            if rank is not None:
                order.append(f'-{rank}' if alias.startswith('-') else rank)
        self.order = [*order, 'position']

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.materialise(list(self.data.order_by(*self.order)[key]))
        return self.materialise([self.data.order_by(*self.order)[key]])[0]

    def __iter__(self):
        for start in range(0, self.count, BATCH):
            yield from self[start : start + BATCH]


def page(organisation, now) -> StoredPage | None:
    """The body's stored page (None: the one across bodies), if it is current (at revision `now`, today)."""
    stored = StoredEvaluation.objects.filter(organisation=organisation).defer('plan').first()
    if stored is None or not current(organisation, stored.revision, stored.today, stored.engine, now):
        return None
    plan = _plan(stored)
    return None if plan is None else StoredPage(stored, organisation, plan)
