"""A large body's policy page, and the regulator's across bodies, worked out and stored by the worker
(models.StoredEvaluation); stored_page reads it.

A web process keeps the evaluations it works out (evaluation.cached_evaluation) and patches them after small
writes, but a process that holds none, after a start, after gunicorn replaces it or after a change that needs
a fresh evaluation, worked a register of 100,000 lines out in about 3 s. For a register of at least
`settings.OVERSIGHT_STORED_POLICY_LINES` lines the worker keeps the unfiltered page in the database instead
(and the regulator's across bodies, up to the ACROSS_BODIES_MAX_LINES it evaluates at all):
its counts, plan rows, timeline days and charts, and one row per obligation and vulnerability giving its
place in each of the table's orders. A page of the tables reads its 50 rows and evaluates those rows' lines
again, with the same engine, so what is shown is written in the reader's language exactly as a fresh
evaluation writes it.

The stored page is shown only while it is current: worked out on the day, by this release's rules and code, and
with nothing an evaluation reads written since (evaluation.revision and written_lines). Otherwise the request
works the page out as before; a write to what it reads, or a page that finds it out of date, asks the worker
(tasks.work_out_policy) to store it again, once while the request is queued.
What is stored is a cache of what the register says, written by no person: it is not audited.
"""

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from oversight.core import bulk
from oversight.core.bulk import without_cycle_collection
from oversight.register.models import EquipmentLine

from . import plan as replacement
from .chart import chart_src
from .evaluation import ACROSS_BODIES_MAX_LINES, cached_evaluation, reads, revision, written_lines
from .models import StoredEvaluation, StoredObligation, StoredVulnerability


def _ranks(items: list, key) -> list[int]:
    """Each item's rank by `key`, equal keys sharing one: ordering by (rank, position) is the stable sort by key
    that the table applies to a kept evaluation's list."""
    keys = [key(item) for item in items]
    rank = {value: index for index, value in enumerate(sorted(set(keys)))}
    return [rank[value] for value in keys]


def _by_site(item) -> tuple:
    return (item.line.site.name, item.line.pk)


def _by_body(item) -> str:
    return item.line.organisation.name


def _cve(match) -> str:
    return match.match.vulnerability.cve


@dataclass(frozen=True)
class StoredTable:
    """What a stored table keeps of each obligation or vulnerability: its line and `name` (`name_of` it), and
    for each column the page's table sorts by (as its order_by names it), the rank field that keeps that order
    and the key the rank is taken by."""

    model: type
    name: str
    name_of: Callable
    ranks: dict[str, tuple[str, Callable]]

    def identity(self, item) -> tuple:
        """The (line id, name) of an obligation or vulnerability, as its stored row holds it."""
        return (item.line.pk, self.name_of(item))


OBLIGATIONS = StoredTable(
    StoredObligation,
    'rule',
    lambda o: o.rule.key,
    {
        'organisation': ('body_rank', _by_body),
        'equipment': ('equipment_rank', _by_site),
        'rule': ('rule_rank', lambda o: (o.severity_rank, o.due)),
        'due': ('due_rank', lambda o: o.due),
    },
)
VULNERABILITIES = StoredTable(
    StoredVulnerability,
    'cve',
    _cve,
    {
        'organisation': ('body_rank', _by_body),
        'equipment': ('equipment_rank', _by_site),
        'cve': ('cve_rank', _cve),
        'status': ('status_rank', lambda m: str(m.match.status)),
    },
)


def _plan_figures(plan: replacement.Plan) -> dict:
    rows = [
        [row.site.pk, _iso(row.next_upgrade), row.replace_by.isoformat(),
         row.severity, row.overdue, row.lines, row.devices, str(row.cost), row.devices_without_cost,
         sorted(row.categories_without_cost)]
        for row in plan.rows
    ]  # fmt: skip
    days = [[date.isoformat(), day.devices, str(day.cost), day.devices_without_cost] for date, day in plan.days.items()]
    return {'rows': rows, 'days': days}


def _summary_by_body(evaluation) -> list:
    return [
        [body.organisation.pk, body.must, body.should, body.consider, body.overdue, body.plan_devices, str(body.cost),
         body.devices_without_cost]
        for body in evaluation.by_body()
    ]  # fmt: skip


def _iso(date: datetime.date | None) -> str | None:
    return None if date is None else date.isoformat()


def _charts(evaluation) -> dict:
    """The chart's data URI in each language (its labels are written in the reader's): drawn once per kept
    evaluation, as the page draws it, and kept by a patch that leaves its figures alone."""
    timeline = evaluation.plan.timeline
    charts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            charts[language] = evaluation.once(f'chart-{language}', lambda: chart_src(timeline)) if timeline else ''
    return charts


# Rows are written and removed this many to a transaction: on SQLite a transaction holds the database's one
# write lock, and a page's write (a sign-in, the cache) waited for the whole of a store's (2 to 3 s).
CHUNK = 10_000


def _write_rows(table: StoredTable, stored: StoredEvaluation, generation: int, items: list) -> bool:
    """One row per item of the stored table: its identity, its place in the page's order and its rank in each
    of the table's orders; CHUNK rows to a transaction. False when the stored evaluation was removed meanwhile."""
    names = ['evaluation_id', 'generation', 'line_id', table.name, 'position']
    names += [rank for rank, _key in table.ranks.values()]
    ranked = zip(*[_ranks(items, key) for _rank, key in table.ranks.values()], strict=True)
    rows = [
        (stored.pk, generation, *table.identity(item), position, *item_ranks)
        for position, (item, item_ranks) in enumerate(zip(items, ranked, strict=True))
    ]
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            # Locked while a chunk is written, so a removal (`_remove`) waits for it and the next chunk finds
            # the evaluation gone, rather than writing rows that point at nothing.
            if not StoredEvaluation.objects.select_for_update().filter(pk=stored.pk).exists():
                return False
            bulk.copy_values(table.model, names, rows[start : start + CHUNK])
    return True


def _remove_before(stored: StoredEvaluation, generation: int) -> None:
    """Remove the rows of generations before `generation`: those of runs before the one shown last, and of
    runs that lost to a newer one or died midway."""
    for model in (StoredObligation, StoredVulnerability):
        older = model.objects.filter(evaluation=stored, generation__lt=generation)
        # Each chunk chosen by the database in the same statement (the keys do not travel to Python and back).
        while model.objects.filter(pk__in=older.values('pk')[:CHUNK]).delete()[0]:
            pass


def _remove(stored: StoredEvaluation) -> None:
    """Remove a stored evaluation and its rows: most of them a chunk at a time, then, under the lock a run
    writing rows takes for each chunk, whatever such a run wrote since, and the evaluation itself."""
    _remove_before(stored, stored.issued + 1)
    with transaction.atomic():
        if StoredEvaluation.objects.select_for_update().filter(pk=stored.pk).exists():
            for model in (StoredObligation, StoredVulnerability):
                model.objects.filter(evaluation=stored).delete()
            StoredEvaluation.objects.filter(pk=stored.pk).delete()


def _next_generation(organisation, today: datetime.date) -> tuple[StoredEvaluation, int]:
    """The body's stored evaluation (None: the one across bodies; a placeholder, never current, the first
    time) and a generation issued by the database: a run that starts later has a later one, whichever machine it
    runs on."""
    with transaction.atomic():
        stored, _created = StoredEvaluation.objects.select_for_update().get_or_create(
            organisation=organisation,
            defaults={'revision': [], 'today': today, 'engine': '', 'worked_out_at': timezone.now(), 'lines': 0,
                      'figures': {}, 'plan': {}},
        )  # fmt: skip
        stored.issued += 1
        stored.save(update_fields=['issued'])
    return stored, stored.issued


def register(organisation):
    """The lines a stored page evaluates: the body's, or (None) every body's."""
    lines = EquipmentLine.objects.all()
    return lines if organisation is None else lines.filter(organisation=organisation)


@without_cycle_collection()
def work_out(organisation) -> StoredEvaluation | None:
    """Evaluate the body's whole register (or, None, every body's) and store it; None when the register is
    below the size worth storing (across bodies, above the size the page evaluates), when what is stored is
    current already (its revision is brought forward, past audit rows that change nothing, so later checks
    read fewer), when a run that started later switched first, or when the stored evaluation was removed while
    this run wrote its rows (the register across bodies grew past what the page evaluates).

    The new rows are written as a new generation beside those shown, in short transactions, then the stored
    evaluation is switched to them in one. The generation shown before is kept until the next run, for a page
    that read the stored evaluation just before the switch and reads its rows after it.
    """
    today = timezone.localdate()
    lines = register(organisation)
    if organisation is None and lines.count() > ACROSS_BODIES_MAX_LINES:
        # The page asks the regulator to choose a body instead: what was stored before is never shown again.
        for held in StoredEvaluation.objects.filter(organisation=None):
            _remove(held)
        return None
    now = list(revision(organisation))
    held = StoredEvaluation.objects.filter(organisation=organisation).only('revision', 'today', 'engine').first()
    if held is not None and current(organisation, held.revision, held.today, held.engine, tuple(now)):
        if held.revision != now:
            StoredEvaluation.objects.filter(pk=held.pk, revision=held.revision).update(revision=now)
        return None
    if held is None and lines.count() < settings.OVERSIGHT_STORED_POLICY_LINES:
        return None
    stored, generation = _next_generation(organisation, today)
    # Kept by the worker's process as a web process keeps it: after a few lines written, patched (0.1 s for
    # 100,000 lines) rather than worked out again (3 s). Not frozen: the worker is never replaced, so what a
    # freeze kept of other tasks' garbage would stay for good.
    evaluation = cached_evaluation(lines, None, today, organisation=organisation, now=tuple(now), freeze=False)
    obligations, matches = evaluation.obligations, evaluation.vulnerabilities
    written = _write_rows(OBLIGATIONS, stored, generation, obligations)
    written = written and _write_rows(VULNERABILITIES, stored, generation, matches)
    shown = StoredEvaluation.objects.filter(pk=stored.pk).values_list('generation', flat=True).first()
    if not written or shown is None:
        return None  # removed while this run wrote its rows: the removal took them too
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
            **({'by_body': _summary_by_body(evaluation)} if organisation is None else {}),
        },
        plan=_plan_figures(evaluation.plan),
        charts=_charts(evaluation),
    )
    _remove_before(stored, min(shown, generation))
    if not switched:
        return None
    stored.refresh_from_db()
    return stored


# What an evaluation is worked out by besides its database rows and audit trail: the rules and matching data,
# the code of the policy engine, of the maker facts it reads and of the labels it stores, the chart's words and
# drawing library, and the migrations applied (a release's data migration loads makers and their names without
# an audit row). A release that changes any of them makes what was stored before out of date. The files are
# read as the module loads (with a process's first policy page, audited write or task), not at each store, so
# a process that has run the old code does not sign its pages with the new files.
_PACKAGE = Path(__file__).resolve().parent.parent
ENGINE_FILES = [
    *sorted((_PACKAGE / 'policy' / 'data').glob('*.json')),
    *sorted((_PACKAGE / 'policy').glob('*.py')),
    _PACKAGE / 'vendors' / 'concerns.py',
    _PACKAGE / 'vendors' / 'resolution.py',
    _PACKAGE / 'register' / 'models.py',
    *sorted(_PACKAGE.glob('locale/*/LC_MESSAGES/django.po')),
]


def _files_digest() -> str:
    digest = hashlib.sha256(metadata.version('matplotlib').encode())  # read, not imported: commands need not
    for path in ENGINE_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


_FILES = _files_digest()


@functools.cache
def engine() -> str:
    from django.db.migrations.recorder import MigrationRecorder

    applied = sorted(MigrationRecorder(connection).applied_migrations())
    return hashlib.sha256(f'{_FILES} {applied}'.encode()).hexdigest()


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

# The page across bodies is out of date after a write in any body: its store waits this long, so that a minute
# of editing anywhere is one evaluation of every register (9 s at 150,000 lines), not one per body's burst.
ACROSS_BODIES_AFTER = datetime.timedelta(seconds=60)


def _asked_key(organisation_id: int | None) -> str:
    return f'policy-stored-asked-{"all" if organisation_id is None else organisation_id}'


def ask_worker(organisation_id: int | None) -> None:
    """Ask the worker to store the body's page (None: the page across bodies) again, once the writing
    transaction commits (unless it is asked)."""

    def ask():
        # The shared cache (the database's own by default): add() succeeds for one process only.
        if cache.add(_asked_key(organisation_id), True, timeout=ASKED_FOR_SECONDS):
            from .tasks import work_out_policy  # which imports this module

            task = work_out_policy
            # A backend that cannot defer (the immediate one, in tests) stores it at once.
            if organisation_id is None and task.get_backend().supports_defer:
                task = task.using(run_after=timezone.now() + ACROSS_BODIES_AFTER)
            try:
                task.enqueue(organisation_id)
            except Exception:
                cache.delete(_asked_key(organisation_id))  # the next write or page asks again
                raise

    # Robust: the write has committed, and a failure to ask (logged) must not answer it with an error.
    transaction.on_commit(ask, robust=True)


def started(organisation_id: int | None) -> None:
    """The worker has taken the task: a write from now on asks again."""
    cache.delete(_asked_key(organisation_id))


def keep_current(organisation, now, lines: int) -> None:
    """Ask the worker to store the body's page (None: the page across bodies) again when what is stored is not
    current (or, for a register of `lines` lines worth storing, when nothing is)."""
    held = StoredEvaluation.objects.filter(organisation=organisation).values_list('revision', 'today', 'engine').first()
    if held is None and lines < settings.OVERSIGHT_STORED_POLICY_LINES:
        return
    if held is None or not current(organisation, *held, now):
        ask_worker(None if organisation is None else organisation.pk)


def register_changed(sender, changed, **kwargs) -> None:
    """After an audited write to what an evaluation reads, ask the worker to store the pages it makes out of
    date: the body's and the one across bodies, or every stored page for a change to the reference data (no
    body). Asked now rather than by the next request, a body's page is current again a few seconds after an
    editor's last change."""
    bodies = {organisation for organisation, label in changed if reads(label, reads_decisions=False)}
    if not bodies:
        return
    held = StoredEvaluation.objects.values_list('organisation_id', flat=True)
    if None not in bodies:
        held = held.filter(Q(organisation_id__in=bodies) | Q(organisation__isnull=True))
    for organisation_id in held:
        ask_worker(organisation_id)
