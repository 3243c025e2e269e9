"""A large body's policy page served from its evaluation as the worker stored it (models.StoredEvaluation).

A web process keeps the evaluations it works out (evaluation.cached_evaluation) and patches them after small
writes, but a process that holds none, after a start, after gunicorn replaces it or after a change that needs
a fresh evaluation, worked a register of 100,000 lines out in about 3 s. For a register of at least
`settings.OVERSIGHT_STORED_POLICY_LINES` lines the worker keeps the unfiltered page in the database instead:
its counts, plan rows, timeline days and charts, and one row per obligation and vulnerability giving its
place in each of the table's orders. A page of the tables reads its 50 rows and evaluates those rows' lines
again, with the same engine, so what is shown is written in the reader's language exactly as a fresh
evaluation writes it.

The stored page is shown only while it is current: worked out on the day, by this release's rules and code, and
with nothing an evaluation reads written since (evaluation.revision and written_lines). Otherwise the request
works the page out as before and asks the worker (tasks.work_out_policy) to store it again, once per revision.
What is stored is a cache of what the register says, written by no person: it is not audited.
"""

import datetime
import functools
import hashlib
import threading
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django_tables2.data import TableData

from oversight.core import bulk
from oversight.core.bulk import without_cycle_collection
from oversight.register.models import EquipmentLine, Site

from . import plan as replacement
from .chart import chart_src
from .evaluation import OVERDUE, body_inputs, evaluate_register, loaded_lines, revision, written_lines
from .models import StoredEvaluation, StoredObligation, StoredVulnerability
from .obligations import SEVERITY_RANK, evaluate
from .vulnerabilities import Status, match_lines

BATCH = 5_000


def _ranks(items: list, key) -> list[int]:
    """Each item's rank by `key`, equal keys sharing one: ordering by (rank, position) is the stable sort by key
    that the table applies to a kept evaluation's list."""
    keys = [key(item) for item in items]
    rank = {value: index for index, value in enumerate(sorted(set(keys)))}
    return [rank[value] for value in keys]


def _plan_figures(plan: replacement.Plan) -> dict:
    rows = [
        [row.site.pk, _iso(row.next_upgrade), row.replace_by.isoformat(),
         row.severity, row.overdue, row.lines, row.devices, str(row.cost), row.devices_without_cost,
         sorted(row.categories_without_cost)]
        for row in plan.rows
    ]  # fmt: skip
    days = [[date.isoformat(), day.devices, str(day.cost), day.devices_without_cost] for date, day in plan.days.items()]
    return {'rows': rows, 'days': days}


def _iso(date: datetime.date | None) -> str | None:
    return None if date is None else date.isoformat()


@functools.lru_cache(maxsize=4096)  # a plan of thousands of rows holds a few hundred dates
def _date(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date.fromisoformat(text)


def _charts(timeline) -> dict:
    """The chart's data URI in each language (its labels are written in the reader's)."""
    charts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            charts[language] = chart_src(timeline) if timeline else ''
    return charts


@without_cycle_collection()
def work_out(organisation) -> StoredEvaluation | None:
    """Evaluate the body's whole register and store it, replacing what was stored; None when what is stored is
    current already or the register is below the size worth storing."""
    today = timezone.localdate()
    now = list(revision(organisation))
    held = StoredEvaluation.objects.filter(organisation=organisation).only('revision', 'today', 'engine').first()
    if held is not None and _current(organisation, held.revision, held.today, held.engine, tuple(now)):
        return None
    lines = EquipmentLine.objects.filter(organisation=organisation)
    if held is None and lines.count() < settings.OVERSIGHT_STORED_POLICY_LINES:
        return None
    evaluation = evaluate_register(lines, None, today)
    obligations, matches = evaluation.obligations, evaluation.vulnerabilities
    figures = {
        'tally': {str(name): count for name, count in evaluation.tally.items()},
        'obligations': len(obligations),
        'vulnerabilities': len(matches),
    }
    charts = _charts(evaluation.plan.timeline)
    with transaction.atomic():
        stored, _created = StoredEvaluation.objects.select_for_update().update_or_create(
            organisation=organisation,
            defaults={
                'revision': now,
                'today': today,
                'engine': engine(),
                'worked_out_at': timezone.now(),
                'lines': len(evaluation.lines),
                'figures': figures,
                'plan': _plan_figures(evaluation.plan),
                'charts': charts,
            },
        )
        StoredObligation.objects.filter(evaluation=stored).delete()
        StoredVulnerability.objects.filter(evaluation=stored).delete()
        equipment = _ranks(obligations, lambda o: (o.line.site.name, o.line.pk))
        rule = _ranks(obligations, lambda o: (o.severity_rank, o.due))
        due = _ranks(obligations, lambda o: o.due)
        bulk.copy(
            StoredObligation,
            [
                StoredObligation(evaluation=stored, line_id=o.line.pk, rule=o.rule.key, position=index,
                                 equipment_rank=equipment[index], rule_rank=rule[index], due_rank=due[index])
                for index, o in enumerate(obligations)
            ],
        )  # fmt: skip
        equipment = _ranks(matches, lambda m: (m.line.site.name, m.line.pk))
        cve = _ranks(matches, lambda m: m.match.vulnerability.cve)
        status = _ranks(matches, lambda m: str(m.match.status))
        bulk.copy(
            StoredVulnerability,
            [
                StoredVulnerability(evaluation=stored, line_id=m.line.pk, cve=m.match.vulnerability.cve,
                                    position=index, equipment_rank=equipment[index], cve_rank=cve[index],
                                    status_rank=status[index])
                for index, m in enumerate(matches)
            ],
        )  # fmt: skip
    return stored


# What an evaluation is worked out by besides the database: the rules and matching data, and the code of the
# policy engine and of the maker facts it reads. A release that changes any of them makes what was stored before
# out of date (a process reads them once, at its start, as it reads the rules).
ENGINE_FILES = [
    *sorted((Path(__file__).resolve().parent / 'data').glob('*.json')),
    *sorted(Path(__file__).resolve().parent.glob('*.py')),
    *(Path(__file__).resolve().parent.parent / 'vendors' / name for name in ('concerns.py', 'resolution.py')),
]


@functools.cache
def engine() -> str:
    digest = hashlib.sha256()
    for path in ENGINE_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _current(organisation, held: list, today: datetime.date, worked_by: str, now: tuple) -> bool:
    """Whether what was stored at revision `held` on `today` by the engine `worked_by` is what the page would show
    now: the same day and engine, and nothing an evaluation reads written since (a sign-in, say, is an audit
    row of the body too)."""
    if today != timezone.localdate() or worked_by != engine():
        return False
    return held == list(now) or written_lines(organisation, tuple(held), now) == set()


def _queued_key(organisation, now) -> str:
    asked = (organisation.pk, list(now), timezone.localdate(), engine())
    return f'policy-stored-{hashlib.sha256(repr(asked).encode()).hexdigest()[:32]}'


def keep_current(organisation, now, lines: int) -> None:
    """Ask the worker to store the body's page again when what is stored is not current (or, for a register of
    `lines` lines worth storing, when nothing is): once per revision, whichever process asks first."""
    held = StoredEvaluation.objects.filter(organisation=organisation).values_list('revision', 'today', 'engine').first()
    if held is None and lines < settings.OVERSIGHT_STORED_POLICY_LINES:
        return
    if held is not None and _current(organisation, *held, now):
        return
    # The shared cache (the database's own by default): add() succeeds for one process only.
    if cache.add(_queued_key(organisation, now), True, timeout=600):
        from .tasks import work_out_policy  # which imports this module

        transaction.on_commit(lambda: work_out_policy.enqueue(organisation.pk))


# The plan last read from each body's stored evaluation, by when it was stored: thousands of rows, the same for
# every request until the worker stores the page again. Read-only once built (the plan table sorts a copy).
_plans: dict = {}
_plans_lock = threading.Lock()


def _plan(stored: StoredEvaluation, organisation) -> replacement.Plan:
    key = (stored.pk, stored.worked_out_at, stored.today)
    with _plans_lock:
        held = _plans.get(organisation.pk)
    if held is not None and held[0] == key:
        return held[1]
    stored_plan = stored.plan  # deferred (page): read only when this process has not built it
    sites = Site.objects.filter(pk__in={row[0] for row in stored_plan['rows']}).in_bulk()
    rows = [
        replacement.PlanRow(organisation, sites[site_id], _date(upgrade), _date(replace_by), severity, overdue, lines,
                            devices, Decimal(cost), unpriced, set(categories))
        for site_id, upgrade, replace_by, severity, overdue, lines, devices, cost, unpriced, categories
        in stored_plan['rows']
    ]  # fmt: skip
    days = {
        _date(date): replacement.Day([], devices, Decimal(cost), unpriced)
        for date, devices, cost, unpriced in stored_plan['days']
    }
    plan = replacement.Plan(rows=rows, lines=[], timeline=replacement.timeline(days, stored.today))
    with _plans_lock:
        _plans[organisation.pk] = (key, plan)
    return plan


class StoredPage:
    """What the policy page reads of an evaluation (as evaluation.Evaluation offers it), from a stored one."""

    def __init__(self, stored: StoredEvaluation, organisation):
        self.stored, self.today, self.tally = stored, stored.today, stored.figures['tally']
        figures = stored.figures
        self.plan = _plan(stored, organisation)
        self._inputs = None
        self.organisation = organisation
        self.obligations = StoredRows(
            StoredObligation.objects.filter(evaluation=stored).values_list('line_id', 'rule'),
            figures['obligations'],
            {'equipment': 'equipment_rank', 'rule': 'rule_rank', 'due': 'due_rank'},
            self._obligations_of,
        )
        self.vulnerabilities = StoredRows(
            StoredVulnerability.objects.filter(evaluation=stored).values_list('line_id', 'cve'),
            figures['vulnerabilities'],
            {'equipment': 'equipment_rank', 'cve': 'cve_rank', 'status': 'status_rank'},
            self._matches_of,
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

    def _lines(self, rows) -> dict:
        lines = loaded_lines(EquipmentLine.objects.filter(organisation=self.organisation, pk__in={r[0] for r in rows}))
        return {line.pk: line for line in lines}

    def _obligations_of(self, rows) -> list:
        """The obligations of these (line id, rule key) rows, evaluated again, in the rows' order."""
        if self._inputs is None:
            self._inputs = body_inputs(None, {self.organisation.pk}, self.today)
        lines = self._lines(rows)
        found = {
            (o.line.pk, o.rule.key): o
            for o in evaluate(list(lines.values()), self._inputs.facts, self._inputs.choices, self.today)
        }
        return [found[row] for row in rows if row in found]

    def _matches_of(self, rows) -> list:
        lines = self._lines(rows)
        found = {(m.line.pk, m.match.vulnerability.cve): m for m in match_lines(list(lines.values()))}
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
    """The body's stored page, if it is current (at revision `now`, today)."""
    stored = StoredEvaluation.objects.filter(organisation=organisation).defer('plan').first()
    if stored is None or not _current(organisation, stored.revision, stored.today, stored.engine, now):
        return None
    return StoredPage(stored, organisation)
