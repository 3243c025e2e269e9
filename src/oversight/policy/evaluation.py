"""A register evaluated for the policy page, its exports and chart: obligations, plan, vulnerabilities.

Everything starts from the lines the caller passes (already scoped with `for_user`), and the body
settings and unit costs read here are scoped the same way, so no figure includes another body's data.
"""

import datetime
import gc
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Max
from django.db.models.base import ModelState

from oversight.core.audit import model_label
from oversight.core.bulk import without_cycle_collection
from oversight.core.models import ObjectChange
from oversight.organisations.models import Organisation
from oversight.register.models import EquipmentLine, Site, System
from oversight.vendors.models import Manufacturer

from . import plan as replacement
from .makers import MakerFacts
from .models import ObligationDecision, PolicySettings, UnitCost
from .obligations import SEVERITY_RANK, BodyChoices, Obligation, evaluate, sort_key
from .sorting import replaced
from .vulnerabilities import LineMatch, Status, match_lines


@dataclass
class BodySummary:
    organisation: object
    must: int = 0
    should: int = 0
    consider: int = 0
    overdue: int = 0
    plan_devices: int = 0
    cost: Decimal = Decimal(0)
    devices_without_cost: int = 0

    @property
    def cost_note(self) -> str:
        return replacement.unpriced_note(self.devices_without_cost)


@dataclass(frozen=True)
class Inputs:
    """What an evaluation read besides the lines: patching a kept one reads them again only with a new revision."""

    bodies: frozenset  # the organisations whose settings and unit costs were read
    facts: MakerFacts
    choices: dict
    unit_costs: dict


@dataclass(frozen=True)
class Found:
    """What the evaluation found for one line: its obligations (those the filters keep), its plan line, its
    vulnerability matches. A patched evaluation takes a changed line's out and puts its new one in."""

    line: object
    obligations: tuple
    plan_line: replacement.PlanLine | None
    matches: tuple

    @property
    def worst(self) -> str | None:
        """The most pressing severity of its obligations."""
        return min((o.severity for o in self.obligations), key=SEVERITY_RANK.__getitem__, default=None)


OVERDUE = 'overdue'


def _tally(found) -> dict[str, int]:
    """The devices the page counts: under each severity (the line's most pressing), overdue, and under each
    vulnerability status. Each is a sum over lines, so a patch moves it by its changed lines alone."""
    tally = dict.fromkeys([*SEVERITY_RANK, OVERDUE, *Status], 0)
    for each in found:
        quantity = each.line.quantity
        if worst := each.worst:
            tally[worst] += quantity
        if any(o.overdue for o in each.obligations):
            tally[OVERDUE] += quantity
        for status in {m.match.status for m in each.matches}:
            tally[status] += quantity
    return tally


@dataclass
class Evaluation:
    today: datetime.date
    lines: list
    obligations: list[Obligation]
    plan: replacement.Plan
    vulnerabilities: list[LineMatch]
    inputs: Inputs
    found: dict[int, Found] = field(repr=False)  # by line id
    tally: dict[str, int] = field(repr=False)
    # A kept evaluation serves many requests: its summaries (and the page's chart) are worked out once.
    _memo: dict = field(default_factory=dict, repr=False)

    def once(self, name: str, compute):
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def devices_by_severity(self) -> dict[str, int]:
        """Devices counted once each, under the most pressing severity of their obligations."""
        return {severity: self.tally[severity] for severity in SEVERITY_RANK}

    def overdue_devices(self) -> int:
        return self.tally[OVERDUE]

    def vulnerable_devices(self, status: Status) -> int:
        return self.tally[status]

    def by_body(self) -> list[BodySummary]:
        return self.once('by_body', self._by_body)

    def _by_body(self) -> list[BodySummary]:
        """One summary per body with lines in the selection (for the regulator's overview)."""
        bodies = {line.organisation_id: BodySummary(line.organisation) for line in self.lines}
        found_by_body: dict[int, list] = {}
        for each in self.found.values():
            found_by_body.setdefault(each.line.organisation_id, []).append(each)
        for organisation_id, found in found_by_body.items():
            tally = _tally(found)
            for name in (*SEVERITY_RANK, OVERDUE):
                setattr(bodies[organisation_id], name, tally[name])
        for entry in self.plan.lines:
            body = bodies[entry.line.organisation_id]
            body.plan_devices += entry.line.quantity
            if entry.cost is None:
                body.devices_without_cost += entry.line.quantity
            else:
                body.cost += entry.cost
        return sorted(bodies.values(), key=lambda b: b.organisation.name)


def listed_order(line) -> tuple:
    """The policy page's order of lines (and so of vulnerabilities): by body, site, then as entered."""
    return line.organisation.name, line.site.name, line.pk


# What the policy page reads of a line: every column but the evidence and notes, whose reading (decoding
# 100,000 evidence lists) costs seconds; a line's page reads them as usual if asked (deferred fields).
LISTED_FIELDS = [f for f in EquipmentLine._meta.concrete_fields if f.name not in ('evidence', 'notes')]
RELATIONS = ['organisation', 'site', 'system', 'manufacturer', 'made_by']


def _loaded(lines, related: dict) -> list:
    """The lines as model instances, each with its body, site, system and makers shared from `related`.

    Built from rows rather than through `Model.from_db`, whose `__init__` (field by field, with the
    init signals) took 2 of the 4 s a fresh evaluation of 100,000 lines spent: the instance is what
    `from_db` makes of a row (the columns' attributes, a state that says it was loaded from `lines.db`,
    its relations cached), and the models involved have no init signal receivers. A test compares it
    with what the ORM loads.
    """
    attnames = [f.attname for f in LISTED_FIELDS]
    relations = [EquipmentLine._meta.get_field(name) for name in RELATIONS]
    where = [(relation.attname, relation.cache_name, related[relation.name]) for relation in relations]
    make, db = EquipmentLine.__new__, lines.db
    loaded = []
    for row in lines.values_list(*attnames):
        line = make(EquipmentLine)
        values = line.__dict__
        values.update(zip(attnames, row, strict=True))
        state = line._state = ModelState()
        state.adding, state.db = False, db
        state.fields_cache = {
            name: None if values[attname] is None else objects[values[attname]] for attname, name, objects in where
        }
        loaded.append(line)
    return loaded


def loaded_lines(lines) -> list:
    """The lines in the policy page's order, each body, site, system and maker loaded once and shared.

    `select_related` would build one site (and body, system, makers) per line: 600,000 objects for
    100,000 lines where a few thousand distinct ones exist. Sorted here rather than by the database, whose
    collation may differ from Python's: a patched evaluation puts a changed line in by Python's order.
    """
    lines = lines.select_related(None).order_by()
    related = {
        'organisation': Organisation.objects.filter(pk__in=lines.values('organisation_id')).in_bulk(),
        'site': Site.objects.filter(pk__in=lines.values('site_id')).in_bulk(),
        'system': System.objects.filter(pk__in=lines.values('system_id')).in_bulk(),
    }
    makers = Manufacturer.objects.filter(pk__in=lines.values('manufacturer_id')) | Manufacturer.objects.filter(
        pk__in=lines.values('made_by_id')
    )
    related['manufacturer'] = related['made_by'] = makers.in_bulk()
    listed = _loaded(lines, related)
    # listed_order's key, read from the dictionaries rather than through each line's relations (5 times faster).
    bodies, sites = related['organisation'], related['site']
    listed.sort(key=lambda line: (bodies[line.organisation_id].name, sites[line.site_id].name, line.pk))
    return listed


def _found(lines: list, inputs: Inputs, today: datetime.date, keep) -> dict[int, Found]:
    """What each line is found to have, in the lines' order."""
    obligations = evaluate(lines, inputs.facts, inputs.choices, today)
    if keep is not None:
        obligations = [o for o in obligations if keep(o)]
    # `id` rather than `pk`, a property, read a few times for each of 100,000 lines.
    of_line: dict[int, list] = {line.id: [] for line in lines}
    for obligation in obligations:
        of_line[obligation.line.id].append(obligation)
    matched: dict[int, list] = {line.id: [] for line in lines}
    for line_match in match_lines(lines):
        matched[line_match.line.id].append(line_match)
    planned = {entry.line.id: entry for entry in replacement.plan_lines(obligations, inputs.unit_costs, today)}
    return {
        line.id: Found(line, tuple(of_line[line.id]), planned.get(line.id), tuple(matched[line.id])) for line in lines
    }


def body_inputs(user, bodies, today: datetime.date, facts: MakerFacts | None = None) -> Inputs:
    """The settings and unit costs of these bodies the user may see (all of them for the worker, `user` None),
    and the maker facts as of `today` (unless given: those read before, when the reference data is unchanged)."""
    settings, costs = PolicySettings.objects.all(), UnitCost.objects.all()
    if user is not None:
        settings, costs = settings.for_user(user), costs.for_user(user)
    return Inputs(
        bodies=frozenset(bodies),
        facts=MakerFacts.from_db(today) if facts is None else facts,
        choices={
            s.organisation_id: BodyChoices(tuple(s.rule_sets), s.review_by)
            for s in settings.filter(organisation_id__in=bodies)
        },
        unit_costs=costs.by_category(bodies),
    )


@without_cycle_collection()
def evaluate_register(lines, user, today: datetime.date, keep=None) -> Evaluation:
    """Evaluate scoped equipment lines; `keep(obligation)` narrows the obligations (page filters). `user` None:
    the worker, evaluating a body's own lines or every body's (policy.stored)."""
    lines = loaded_lines(lines)
    inputs = body_inputs(user, {line.organisation_id for line in lines}, today)
    return _evaluation(today, lines, inputs, _found(lines, inputs, today, keep))


def _evaluation(today: datetime.date, lines: list, inputs: Inputs, found: dict[int, Found]) -> Evaluation:
    return Evaluation(
        today=today,
        lines=lines,
        obligations=sorted((o for each in found.values() for o in each.obligations), key=sort_key),
        plan=replacement.from_entries([each.plan_line for each in found.values() if each.plan_line], today),
        vulnerabilities=[m for each in found.values() for m in each.matches],
        inputs=inputs,
        found=found,
        tally=_tally(found.values()),
    )


def narrowed(whole: Evaluation, lines: set[int] | None, keep) -> Evaluation:
    """What `evaluate_register` finds for the whole's lines with these ids (None: every one) and the obligations
    `keep` keeps, read from the whole's findings: the rules are not applied again, and a line's place in the plan
    is made again only when the filter drops some of its obligations. 0.2 to 0.35 s for 100,000 lines, where
    evaluating them takes 3 s."""
    before, unit_costs, today = whole.found, whole.inputs.unit_costs, whole.today
    # `id` rather than `pk`, a property, read a few times for each of 100,000 lines.
    chosen = whole.lines if lines is None else [line for line in whole.lines if line.id in lines]
    found = {}
    for line in chosen:
        each = before[line.id]
        if keep is not None:
            obligations = tuple(o for o in each.obligations if keep(o))
            if len(obligations) != len(each.obligations):
                # A line's place in the plan comes from its own obligations alone.
                planned = replacement.plan_lines(obligations, unit_costs, today)
                each = Found(line, obligations, planned[0] if planned else None, each.matches)
        found[line.id] = each
    return _evaluation(today, chosen, whole.inputs, found)


@without_cycle_collection()
def with_new_settings(kept: Evaluation, user, keep, rules: bool) -> Evaluation:
    """`kept` as the bodies' policy settings and unit costs now stand, its lines unchanged: after new unit costs
    only the plan is priced again; after new settings (`rules`) the rules are applied again to the lines kept,
    which are not read again. For 100,000 lines on a loaded machine: 0.6 s and 4.4 to 5.4 s, where evaluating
    afresh took 7 to 9.6 s."""
    today = kept.today
    inputs = body_inputs(user, kept.inputs.bodies, today, facts=kept.inputs.facts)
    if rules:
        return _evaluation(today, kept.lines, inputs, _found(kept.lines, inputs, today, keep))
    entries = replacement.repriced(
        [each.plan_line for each in kept.found.values() if each.plan_line], inputs.unit_costs
    )
    priced = {entry.line.id: entry for entry in entries}
    evaluation = Evaluation(
        today=today,
        lines=kept.lines,
        obligations=kept.obligations,
        plan=replacement.from_entries(entries, today),
        vulnerabilities=kept.vulnerabilities,
        inputs=inputs,
        found={pk: Found(e.line, e.obligations, priced.get(pk), e.matches) for pk, e in kept.found.items()},
        tally=kept.tally,  # devices, not costs
    )
    evaluation._memo.update({name: chart for name, chart in kept._memo.items() if name.startswith('chart')})
    return evaluation


def _vulnerability_order(line_match: LineMatch) -> tuple:
    return listed_order(line_match.line)


def _chart_figures(plan: replacement.Plan) -> list:
    """What the page's chart draws (chart.timeline_svg): a patch that leaves them alone keeps the chart."""
    return [(period.label, period.devices) for period in plan.timeline]


def patched(kept: Evaluation, lines, changed: set[int], keep=None) -> Evaluation | None:
    """`kept` with the lines `changed` (by id) since evaluated again as `lines` (its query) now holds them:
    what `evaluate_register` would find afresh. None when a line now belongs to a body whose settings the
    kept evaluation did not read."""
    if not changed:
        return kept
    fresh = loaded_lines(lines.filter(pk__in=changed))
    if any(line.organisation_id not in kept.inputs.bodies for line in fresh):
        return None
    new = _found(fresh, kept.inputs, kept.today, keep)
    old = [kept.found[pk] for pk in changed if pk in kept.found]
    found = kept.found.copy()
    for pk in changed:
        found.pop(pk, None)
    found.update(new)
    added, removed = _tally(new.values()), _tally(old)
    evaluation = Evaluation(
        today=kept.today,
        lines=replaced(kept.lines, [each.line for each in old], fresh, listed_order),
        obligations=replaced(
            kept.obligations,
            [o for each in old for o in each.obligations],
            [o for each in new.values() for o in each.obligations],
            sort_key,
        ),
        plan=replacement.patched(
            kept.plan,
            [each.plan_line for each in old if each.plan_line],
            [each.plan_line for each in new.values() if each.plan_line],
            kept.today,
        ),
        vulnerabilities=replaced(
            kept.vulnerabilities,
            [m for each in old for m in each.matches],
            [m for each in new.values() for m in each.matches],
            _vulnerability_order,
        ),
        inputs=kept.inputs,
        found=found,
        tally={name: count + added[name] - removed[name] for name, count in kept.tally.items()},
    )
    charts = {name: chart for name, chart in kept._memo.items() if name.startswith('chart')}  # one per language
    if charts and _chart_figures(kept.plan) == _chart_figures(evaluation.plan):
        evaluation._memo.update(charts)
    return evaluation


# Across bodies, a national register (a million lines) is too much to evaluate in one request: past this
# many lines the regulator chooses a body, or narrows the filters, first.
ACROSS_BODIES_MAX_LINES = 300_000

# Evaluations kept by this process with their revisions, newest last, bounded by the lines they hold (about
# 2 KB a line: 195 MB for 100,000 lines, with what each line was found to have).
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()
CACHE_LINES = 300_000

# Filtered pages narrowed from a kept evaluation (`narrowed`), by their query and revision: a few, as a person
# pages and sorts through one filter after another, holding CACHE_LINES lines between them. They share the lines
# and findings of the one they narrow (each adds a few per cent: 13 MB beside 219 MB for 100,000 lines), and go
# with it.
_narrowed: OrderedDict = OrderedDict()
NARROWED_KEPT = 8


def forget_evaluations() -> None:
    with _cache_lock:
        _cache.clear()
        _narrowed.clear()


def revision(organisation=None) -> tuple:
    """What an evaluation depends on besides the rules, as of now. Every write to a register, a body's
    policy settings and unit costs, or the makers and concern lists goes through an action that records
    an audit row (core.audit) in the same transaction, so the newest audit row of the body and of the
    reference data (rows of no body) changes whenever any of them does; reference data a release's data
    migration loads writes none (policy.stored's engine covers it). Across bodies, the newest audit row of all.
    """
    changes = ObjectChange.objects.order_by()
    if organisation is None:
        every = changes.aggregate(n=Max('pk'), count=Count('pk'))
        return (every['n'], every['count'])
    settings = PolicySettings.objects.filter(organisation=organisation).values_list('version', flat=True).first()
    # With counts of rows: on PostgreSQL a write can commit after a later one, below the newest row.
    body = changes.filter(organisation=organisation).aggregate(n=Max('pk'), count=Count('pk'))
    reference = changes.filter(organisation__isnull=True).aggregate(n=Max('pk'), count=Count('pk'))
    return (body['n'], body['count'], reference['n'], reference['count'], settings)


# Past this many lines, a fresh evaluation that is kept is moved out of the cycle collector's sight (gc.freeze).
# It holds about 12 tracked objects a line and no reference cycles; the collector's passes over it cost 1.2 s
# of the first request at 100,000 lines (0.4 s as collection resumed, 0.8 s collecting it at once so that the
# pass did not land on a later request), and the full passes of every later request grew with it. Frozen, it is
# still freed when it is replaced. What else the process held when it froze, such as the few dozen objects in
# cycles each evaluation leaves behind, stays until the process ends: gunicorn replaces its processes
# (max_requests), so that stays bounded.
FREEZE_AFTER_LINES = 10_000

# Past this many lines written since an evaluation was kept (an import), it is worked out afresh.
PATCH_MAX_LINES = 2_000

# The apps whose data an evaluation reads: the register, bodies, makers and concern lists, and policy's own
# settings, unit costs, decisions (the decision filter) and KEV catalogue. Audit rows of other apps' objects,
# such as account events or the DPIA review task a line write raises (compliance.reviews), leave it as it was.
READ_APPS = ('register', 'organisations', 'vendors', 'policy')


def reads(label: str, reads_decisions: bool = True) -> bool:
    """Whether an evaluation reads what an audit row of this model ("register.equipmentline") records: the
    models of READ_APPS, less the body's decisions for an evaluation without the decision filter, the only
    part of it that reads them (`reads_decisions` False)."""
    return label.split('.')[0] in READ_APPS and (reads_decisions or label != ObligationDecision._meta.label_lower)


def _read_types(reads_decisions: bool) -> list[int]:
    """The content types of what an evaluation reads (`reads`)."""
    models = [model for label in READ_APPS for model in apps.get_app_config(label).get_models()]
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return [t.pk for model, t in types.items() if reads(model._meta.label_lower, reads_decisions)]


def _rows_between(
    changes, kept_newest, now_newest, counts: tuple | None = None, reads_decisions: bool = True
) -> list | None:
    """(model label, object id) of the audit rows in `changes` after `kept_newest` up to `now_newest`: None past
    PATCH_MAX_LINES rows of what an evaluation reads or, given the two revisions' counts of rows, when the count
    moved by more than the rows found (a write committed below the newest row kept)."""
    between = changes.filter(pk__gt=kept_newest or 0, pk__lte=now_newest or 0)
    rows = list(between.values_list('content_type_id', 'object_id')[: PATCH_MAX_LINES + 1])
    if len(rows) > PATCH_MAX_LINES:
        # Many rows, perhaps few an evaluation reads (a day of sign-ins and returns across bodies): those,
        # chosen by the database, and the rest only counted.
        if counts is not None and between.count() != counts[1] - counts[0]:
            return None
        read = between.filter(content_type__in=_read_types(reads_decisions))
        rows = list(read.values_list('content_type_id', 'object_id')[: PATCH_MAX_LINES + 1])
        if len(rows) > PATCH_MAX_LINES:
            return None
    elif counts is not None and len(rows) != counts[1] - counts[0]:
        return None
    return [(model_label(ContentType.objects.get_for_id(type_id)), pk) for type_id, pk in rows]


@dataclass(frozen=True)
class Written:
    """What an evaluation reads that was written between two revisions: equipment lines (by id), and whether
    the bodies' unit costs or policy settings changed."""

    lines: set[int]
    unit_costs: bool = False
    settings: bool = False


def written_since(organisation, kept: tuple, now: tuple, reads_decisions: bool = True) -> Written | None:
    """What was written between the revisions `kept` and `now`, when it is only equipment lines, unit costs
    and policy settings: None after a change to the reference data, a site, a system, an import's batch or
    anything else in READ_APPS, to more than PATCH_MAX_LINES lines, or when a write committed below the kept
    revision's newest row (its count of rows says so). Rows of other apps, such as sign-ins (with a body or,
    failed, without), change nothing. The body's decisions are read only by the decision filter: without it
    (`reads_decisions` False) a decision recorded changes nothing."""
    changes = ObjectChange.objects.order_by()
    # A kept evaluation of the same lines across bodies (the regulator's, filtered to this body) has the
    # revision of all bodies: it is not compared with a body's.
    if len(kept) != len(now):
        return None
    settings = False
    if organisation is None:
        rows = _rows_between(changes, kept[0], now[0], (kept[1], now[1]), reads_decisions)
    else:
        settings = kept[4] != now[4]  # the settings' version
        reference = _rows_between(changes.filter(organisation__isnull=True), kept[2], now[2], (kept[3], now[3]))
        if reference is None or any(reads(label) for label, _ in reference):
            return None
        body = changes.filter(organisation=organisation)
        rows = _rows_between(body, kept[0], now[0], (kept[1], now[1]), reads_decisions)
    if rows is None:
        return None
    lines, kinds = set(), set()
    for label, pk in rows:
        if label == EquipmentLine._meta.label_lower:
            lines.add(int(pk))
        elif reads(label, reads_decisions):
            kinds.add(label)
    if kinds - {UnitCost._meta.label_lower, PolicySettings._meta.label_lower}:
        return None
    return Written(lines, UnitCost._meta.label_lower in kinds, settings or PolicySettings._meta.label_lower in kinds)


def written_lines(organisation, kept: tuple, now: tuple, reads_decisions: bool = True) -> set[int] | None:
    """The equipment lines (by id) written between two revisions when nothing else an evaluation reads was
    (`written_since`), not even unit costs or policy settings; None otherwise."""
    written = written_since(organisation, kept, now, reads_decisions)
    if written is None or written.unit_costs or written.settings:
        return None
    return written.lines


def cached_evaluation(
    lines, user, today: datetime.date, organisation=None, keep=None, keep_key=(), now=None, afresh=True, freeze=True
) -> Evaluation | None:
    """`evaluate_register`, kept and brought up to date as the register, the settings or the reference data change.

    The key is the lines' own query (scope and filters), what `keep` keeps (`keep_key`) and the day; the
    evaluation is kept with the revision it was worked out at. When only equipment lines were written since,
    it is patched with those lines (`patched`); otherwise it is worked out afresh. The rules are read once
    per process (rules.rule_sets), so new rules arrive with a restart, which empties this cache too.
    `now` is the revision, if the caller has read it; with `afresh` False, None rather than a fresh evaluation.
    `freeze` False for a process that is never replaced (the worker): see FREEZE_AFTER_LINES.
    """
    try:
        sql, params = lines.query.sql_with_params()
    except EmptyResultSet:  # .none(): nothing to keep
        return evaluate_register(lines, user, today, keep=keep)
    key = (sql, tuple(map(str, params)), today, tuple(keep_key))
    now = revision(organisation) if now is None else now
    with _cache_lock:
        held = _cache.get(key)
        if held is not None:
            _cache.move_to_end(key)
    if held is not None and held[0] == now:
        return held[1]
    evaluation = None
    if held is not None:
        written = written_since(organisation, held[0], now, reads_decisions=keep is not None)
        if written is not None:
            evaluation = held[1]
            if written.unit_costs or written.settings:
                evaluation = with_new_settings(evaluation, user, keep, rules=written.settings)
            evaluation = patched(evaluation, lines, written.lines, keep)
    if evaluation is None:
        if not afresh:
            return None
        with without_cycle_collection():
            evaluation = evaluate_register(lines, user, today, keep=keep)
            if freeze and len(evaluation.lines) >= FREEZE_AFTER_LINES:
                gc.freeze()  # before collection resumes, which would otherwise pass over all it made at once
    with _cache_lock:
        _cache[key] = (now, evaluation)
        _trim(_cache)
        _forget_narrowed_of_others()
    return evaluation


def _trim(store: OrderedDict, entries: int | None = None) -> None:
    """Drop a store's oldest evaluations past `entries`, or past CACHE_LINES lines between them; the newest
    always stays. Under the cache lock."""
    while len(store) > 1 and (
        (entries is not None and len(store) > entries) or sum(len(e.lines) for _, e in store.values()) > CACHE_LINES
    ):
        store.popitem(last=False)


def _forget_narrowed_of_others() -> None:
    """Forget the filtered pages narrowed from evaluations no longer kept (replaced or pushed out): they would
    hold on to their lines and findings. Under the cache lock."""
    held = {id(evaluation) for _, evaluation in _cache.values()}
    for key in [key for key, (whole, _) in _narrowed.items() if id(whole) not in held]:
        del _narrowed[key]


def narrowed_evaluation(whole: Evaluation, selection, ids, keep, keep_key, now) -> Evaluation:
    """`narrowed(whole, ids(), keep)`, kept for the filtered page's next requests (its other pages and orders)
    until anything is written; `ids` None when no filter narrows the lines, `selection` their query."""
    sql, params = selection.query.sql_with_params()
    key = (sql, tuple(map(str, params)), tuple(keep_key), whole.today, tuple(now))
    with _cache_lock:
        held = _narrowed.get(key)
        if held is not None:
            _narrowed.move_to_end(key)
    if held is not None and held[0] is whole:
        return held[1]
    evaluation = narrowed(whole, None if ids is None else ids(), keep)
    with _cache_lock:
        _forget_narrowed_of_others()
        if not any(kept is whole for _, kept in _cache.values()):
            return evaluation  # pushed out meanwhile by another thread: kept, it would keep the whole alive
        _narrowed[key] = (whole, evaluation)
        _trim(_narrowed, NARROWED_KEPT)
    return evaluation


def filtered_evaluation(
    lines, selection, user, today: datetime.date, organisation, narrows_lines: bool, keep, keep_key, now
) -> Evaluation:
    """A filtered page's evaluation (or an export's, or the API's): `selection` of the scoped `lines`, filtered by
    line (`narrows_lines`) and by obligation (`keep`). Narrowed from the whole register's evaluation when this
    process keeps it, or when only obligations are filtered (which evaluates the whole register anyway, kept for
    the next); worked out for the lines chosen when they are filtered and nothing is kept (a site's lines take
    less than a register)."""
    whole = cached_evaluation(lines, user, today, organisation=organisation, now=now, afresh=False)
    if whole is None and narrows_lines:
        return cached_evaluation(selection, user, today, organisation, keep, keep_key, now=now)
    whole = whole or cached_evaluation(lines, user, today, organisation=organisation, now=now)
    if not narrows_lines and keep is None:
        return whole
    ids = (lambda: set(selection.values_list('pk', flat=True))) if narrows_lines else None
    return narrowed_evaluation(whole, selection, ids, keep, keep_key, now)
