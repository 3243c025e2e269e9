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
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from oversight.core import bulk
from oversight.core.bulk import without_cycle_collection
from oversight.register.models import EquipmentLine

from . import plan as replacement
from .chart import chart_src
from .evaluation import (
    READ_APPS,
    evaluate_register,
    revision,
    written_lines,
)
from .models import StoredEvaluation, StoredObligation, StoredVulnerability


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


def _charts(timeline) -> dict:
    """The chart's data URI in each language (its labels are written in the reader's)."""
    charts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            charts[language] = chart_src(timeline) if timeline else ''
    return charts


# Rows are written and removed this many to a transaction: on SQLite a transaction holds the database's one
# write lock, and a page's write (a sign-in, the cache) waited for the whole of a store's (2 to 3 s).
CHUNK = 10_000


def _in_chunks(model, rows: list) -> None:
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            bulk.copy(model, rows[start : start + CHUNK])


def _remove_older(stored: StoredEvaluation) -> None:
    """Remove the rows of generations before the one shown (and of a run that lost to a newer one)."""
    for model in (StoredObligation, StoredVulnerability):
        older = model.objects.filter(evaluation=stored, generation__lt=stored.generation)
        while ids := list(older.values_list('pk', flat=True)[:CHUNK]):
            with transaction.atomic():
                model.objects.filter(pk__in=ids).delete()


@without_cycle_collection()
def work_out(organisation) -> StoredEvaluation | None:
    """Evaluate the body's whole register and store it, replacing what was stored; None when what is stored is
    current already or the register is below the size worth storing.

    The new rows are written as a new generation beside those shown, in short transactions, then the stored
    evaluation is switched to them in one, and the old ones removed: a page reads one generation throughout.
    """
    today = timezone.localdate()
    now = list(revision(organisation))
    generation = time.time_ns()  # later runs write later generations, so a slower earlier one cannot win
    held = StoredEvaluation.objects.filter(organisation=organisation).only('revision', 'today', 'engine').first()
    if held is not None and current(organisation, held.revision, held.today, held.engine, tuple(now)):
        return None
    lines = EquipmentLine.objects.filter(organisation=organisation)
    if held is None and lines.count() < settings.OVERSIGHT_STORED_POLICY_LINES:
        return None
    evaluation = evaluate_register(lines, None, today)
    obligations, matches = evaluation.obligations, evaluation.vulnerabilities
    # Never current until switched: no engine wrote it.
    stored, _created = StoredEvaluation.objects.get_or_create(
        organisation=organisation,
        defaults={'revision': [], 'today': today, 'engine': '', 'worked_out_at': timezone.now(), 'lines': 0,
                  'figures': {}, 'plan': {}},
    )  # fmt: skip
    equipment = _ranks(obligations, lambda o: (o.line.site.name, o.line.pk))
    rule = _ranks(obligations, lambda o: (o.severity_rank, o.due))
    due = _ranks(obligations, lambda o: o.due)
    _in_chunks(
        StoredObligation,
        [
            StoredObligation(evaluation=stored, generation=generation, line_id=o.line.pk, rule=o.rule.key,
                             position=index, equipment_rank=equipment[index], rule_rank=rule[index],
                             due_rank=due[index])
            for index, o in enumerate(obligations)
        ],
    )  # fmt: skip
    equipment = _ranks(matches, lambda m: (m.line.site.name, m.line.pk))
    cve = _ranks(matches, lambda m: m.match.vulnerability.cve)
    status = _ranks(matches, lambda m: str(m.match.status))
    _in_chunks(
        StoredVulnerability,
        [
            StoredVulnerability(evaluation=stored, generation=generation, line_id=m.line.pk,
                                cve=m.match.vulnerability.cve, position=index, equipment_rank=equipment[index],
                                cve_rank=cve[index], status_rank=status[index])
            for index, m in enumerate(matches)
        ],
    )  # fmt: skip
    switched = StoredEvaluation.objects.filter(pk=stored.pk, generation__lt=generation).update(
        generation=generation,
        revision=now,
        today=today,
        engine=engine(),
        worked_out_at=timezone.now(),
        lines=len(evaluation.lines),
        figures={
            'tally': {str(name): count for name, count in evaluation.tally.items()},
            'obligations': len(obligations),
            'vulnerabilities': len(matches),
        },
        plan=_plan_figures(evaluation.plan),
        charts=_charts(evaluation.plan.timeline),
    )
    stored.refresh_from_db()
    _remove_older(stored)
    return stored if switched else None


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


def current(organisation, held: list, today: datetime.date, worked_by: str, now: tuple) -> bool:
    """Whether what was stored at revision `held` on `today` by the engine `worked_by` is what the page would show
    now: the same day and engine, and nothing an evaluation reads written since (a sign-in, say, or a decision,
    which only the decision filter reads, is an audit row of the body too)."""
    if today != timezone.localdate() or worked_by != engine():
        return False
    return held == list(now) or written_lines(organisation, tuple(held), now, reads_decisions=False) == set()


# The worker is asked at most once while a request to store a body's page is queued and not yet started: writes
# in the meantime are in what it will read. The mark is cleared as the task starts, so writes during its run ask
# once more; it lapses on its own if no worker ever takes the task.
ASKED_FOR_SECONDS = 600


def _asked_key(organisation_id: int) -> str:
    return f'policy-stored-asked-{organisation_id}'


def ask_worker(organisation_id: int) -> None:
    """Ask the worker to store the body's page again, once the writing transaction commits (unless it is asked)."""

    def ask():
        # The shared cache (the database's own by default): add() succeeds for one process only.
        if cache.add(_asked_key(organisation_id), True, timeout=ASKED_FOR_SECONDS):
            from .tasks import work_out_policy  # which imports this module

            work_out_policy.enqueue(organisation_id)

    transaction.on_commit(ask)


def started(organisation_id: int) -> None:
    """The worker has taken the task: a write from now on asks again."""
    cache.delete(_asked_key(organisation_id))


def keep_current(organisation, now, lines: int) -> None:
    """Ask the worker to store the body's page again when what is stored is not current (or, for a register of
    `lines` lines worth storing, when nothing is)."""
    held = StoredEvaluation.objects.filter(organisation=organisation).values_list('revision', 'today', 'engine').first()
    if held is None and lines < settings.OVERSIGHT_STORED_POLICY_LINES:
        return
    if held is None or not current(organisation, *held, now):
        ask_worker(organisation.pk)


def register_changed(sender, changed, **kwargs) -> None:
    """After an audited write to what an evaluation reads, ask the worker to store the pages it makes out of
    date: the body's, or every stored page for a change to the reference data (no body). Asked now rather than
    by the next request, a body's page is current again a few seconds after an editor's last change."""
    bodies = {
        organisation
        for organisation, label in changed
        if label.split('.')[0] in READ_APPS and label != 'policy.obligationdecision'  # only the filter reads those
    }
    if not bodies:
        return
    held = StoredEvaluation.objects.values_list('organisation_id', flat=True)
    if None not in bodies:
        held = held.filter(organisation_id__in=bodies)
    for organisation_id in held:
        ask_worker(organisation_id)
