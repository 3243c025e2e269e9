"""The findings engine: a campaign's figures per category, counted from its returns (docs/findings.md).

A handful of queries read the whole campaign (its submitted returns, its corrections, the name and
concern reference data); everything else happens in memory, so a national campaign of 150,000
manufacturer lines is counted in well under a second.

Definitions, each with its denominator:

- operating: respondents who answered "yes" to operating the category (of every respondent);
- with_concern: respondents with at least one manufacturer line in the category whose maker,
  resolved through names, sub-brands and relabels, is on the campaign's concern list (of every
  respondent; read against operating);
- aware: of those with equipment of concern, the ones who answered "yes" to being aware of the concerns.

Unknown counts as "not": an answer of "not known", no answer, or a line whose maker the reference
data cannot resolve never adds to a figure, so every figure is a lower bound ("at least"). How many
unknowns each figure left out is counted beside it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from oversight.register.models import Category
from oversight.surveys.answers import AWARE, MANUFACTURERS, OPERATES, answer_key
from oversight.surveys.concerns import ConcernResolver, LineVerdict

from .governance import GovernanceFigures, count_governance

CATEGORIES = tuple(Category.values)
CATEGORY_LABELS = dict(Category.choices)
YES, NO = 'yes', 'no'
_KEYS = {c: (answer_key(c, OPERATES), answer_key(c, AWARE), answer_key(c, MANUFACTURERS)) for c in CATEGORIES}


class Basis(StrEnum):
    """Which answers the figures are counted from."""

    PUBLISHED = 'published'  # the returns as the bodies gave them: no correction applied
    CORRECTED = 'corrected'  # with the corrections flagged for publication as an Update applied


@dataclass
class CategoryFigures:
    code: str
    label: str
    respondents: int = 0  # denominator of operating and with_concern: every submitted return
    operating: int = 0
    operating_unknown: int = 0  # answered "not known", or did not answer
    with_concern: int = 0
    # Not counted with concern although they might be: they operate (or may) and named no maker, or named
    # one the reference data cannot resolve.
    concern_unknown: int = 0
    aware: int = 0  # denominator: with_concern
    aware_unknown: int = 0
    respondents_by_maker: dict[str, int] = field(default_factory=dict)
    devices_by_maker: dict[str, int] = field(default_factory=dict)
    lines: int = 0
    lines_unresolved: int = 0
    devices: int = 0  # the quantities given; a line without one adds nothing (counted in quantity_unknown)
    devices_of_concern: int = 0
    quantity_unknown: int = 0

    @property
    def manufacturers_of_concern(self) -> list[str]:
        return sorted(self.respondents_by_maker)

    def as_dict(self) -> dict:
        return {
            'code': self.code,
            'label': self.label,
            'respondents': self.respondents,
            'operating': self.operating,
            'operating_unknown': self.operating_unknown,
            'with_concern': self.with_concern,
            'concern_unknown': self.concern_unknown,
            'aware': self.aware,
            'aware_unknown': self.aware_unknown,
            'manufacturers_of_concern': self.manufacturers_of_concern,
            'respondents_by_maker': dict(sorted(self.respondents_by_maker.items())),
            'devices_by_maker': dict(sorted(self.devices_by_maker.items())),
            'lines': self.lines,
            'lines_unresolved': self.lines_unresolved,
            'devices': self.devices,
            'devices_of_concern': self.devices_of_concern,
            'quantity_unknown': self.quantity_unknown,
        }


@dataclass
class Counted:
    """Every category's figures, and the respondents with equipment of concern in any category."""

    categories: dict[str, CategoryFigures]
    respondents: int
    with_concern_any: int
    manufacturers_of_concern: list[str]


def count(answers_of_returns: Iterable[dict], judge: Callable[[str, str], LineVerdict]) -> Counted:
    """Count the figures from each submitted return's answers. Pure: no query, no clock.

    `judge(manufacturer, brand)` says whether a line is of concern; it is called once per distinct
    pair (memoised here), so its cost does not grow with the number of lines. The loop over lines
    keeps to local variables: a national campaign has 150,000 of them.
    """
    verdicts: dict[tuple[str, str], tuple[str | None, bool]] = {}
    figures = {c: CategoryFigures(c, CATEGORY_LABELS[c]) for c in CATEGORIES}
    keyed = [(figures[c], *keys) for c, keys in _KEYS.items()]
    respondents = with_concern_any = 0
    makers_any: set[str] = set()
    for answers in answers_of_returns:
        respondents += 1
        concern_here = False
        get = answers.get
        for row, operates_key, aware_key, lines_key in keyed:
            operates = get(operates_key)
            if operates == YES:
                row.operating += 1
            elif operates != NO:
                row.operating_unknown += 1
            makers: set[str] = set()
            live = devices = no_quantity = unresolved = 0
            for line in get(lines_key) or ():
                if line.get('removed'):
                    continue
                live += 1
                key = (line.get('manufacturer') or '', line.get('brand') or '')
                verdict = verdicts.get(key)
                if verdict is None:
                    judged = judge(*key)
                    verdict = verdicts[key] = (judged.maker_of_concern, judged.known)
                quantity = line.get('quantity')
                if quantity is None:
                    no_quantity += 1
                    quantity = 0
                else:
                    devices += quantity
                maker = verdict[0]
                if maker is not None:
                    makers.add(maker)
                    row.devices_of_concern += quantity
                    row.devices_by_maker[maker] = row.devices_by_maker.get(maker, 0) + quantity
                elif not verdict[1]:
                    unresolved += 1
            if live:
                row.lines += live
                row.devices += devices
                row.quantity_unknown += no_quantity
                row.lines_unresolved += unresolved
            if makers:
                concern_here = True
                makers_any |= makers
                row.with_concern += 1
                for maker in makers:
                    row.respondents_by_maker[maker] = row.respondents_by_maker.get(maker, 0) + 1
                aware = get(aware_key)
                if aware == YES:
                    row.aware += 1
                elif aware != NO:
                    row.aware_unknown += 1
            elif operates != NO and (unresolved or not live):
                row.concern_unknown += 1
        with_concern_any += concern_here
    for row in figures.values():
        row.respondents = respondents
    return Counted(figures, respondents, with_concern_any, sorted(makers_any))


# Reading a campaign ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Responses:
    """A campaign's response figures (surveys.statistics), as plain data."""

    invited: int
    responded: int
    on_time: int
    late: int
    non_respondents: list[str]

    @property
    def response_rate(self) -> float:
        """A fraction rounded to 4 decimal places (39 of 47 is 0.8298); 0 when nobody was invited."""
        return round(self.responded / self.invited, 4) if self.invited else 0.0

    def as_dict(self) -> dict:
        return {
            'invited': self.invited,
            'responded': self.responded,
            'on_time': self.on_time,
            'late': self.late,
            'response_rate': self.response_rate,
            'non_respondents': list(self.non_respondents),
        }


@dataclass
class Findings:
    campaign: object  # surveys.Campaign
    basis: Basis
    as_of: datetime.datetime
    responses: Responses
    counted: Counted
    corrections_applied: int
    governance: GovernanceFigures
    # Corrections recorded by as_of but not flagged for publication whose effect would change a figure.
    unflagged_changes: list[str] = field(default_factory=list)

    @property
    def categories(self) -> dict[str, CategoryFigures]:
        return self.counted.categories

    def contract(self) -> dict:
        """The object `oversight findings --format json` prints (docs/findings.md, "Command")."""
        return {
            'campaign': self.campaign.slug,
            **{k: v for k, v in self.responses.as_dict().items() if k != 'on_time'},
            'categories': {
                code: {
                    'operating': row.operating,
                    'with_concern': row.with_concern,
                    'aware': row.aware,
                    'manufacturers_of_concern': row.manufacturers_of_concern,
                }
                for code, row in self.categories.items()
            },
            'governance': self.governance.as_dict(),
        }


def judge_for(concern_list, on: datetime.date) -> Callable[[str, str], LineVerdict]:
    """The line judge for a concern list as it stood on `on`: the surveys app's one rule (surveys.concerns)."""
    return ConcernResolver(concern_list, on=on).verdict


def responses_of(campaign) -> Responses:
    from oversight.surveys.statistics import response_statistics

    statistics = response_statistics(campaign)
    return Responses(
        statistics.invited, statistics.responded, statistics.on_time, statistics.late, statistics.non_respondents
    )


class CampaignAnswers:
    """A campaign's submitted returns and their corrections, read once (two queries), on either basis.

    Returns hold their answers as corrected; the answers as first given are those with every
    correction undone, newest first (as surveys.snapshots reads them), which only corrected returns need.
    """

    def __init__(self, campaign):
        from oversight.surveys.models import Correction, Return

        returns = Return.objects.filter(campaign=campaign).responded()
        self.stored = dict(returns.values_list('pk', 'answers'))
        # The governance records each return carried at its last submission, and how they were obtained:
        # corrections never change them.
        self.governance = list(returns.order_by('pk').values_list('governance_basis', 'governance'))
        self.corrections = [
            c
            for c in Correction.objects.filter(survey_return__campaign=campaign)
            .order_by('recorded_at', 'pk')
            .values_list('survey_return_id', 'field', 'old_value', 'new_value', 'publish_as_update', 'recorded_at')
            if c[0] in self.stored  # a return no longer submitted is no response
        ]

    def _replay(self, chosen) -> dict:
        from oversight.surveys.corrections import replay

        return replay(self.stored, [c[:4] for c in self.corrections], [c[:4] for c in chosen])

    def on(self, basis: Basis, as_of: datetime.datetime):
        """(answers of each return, corrections applied, answers with every correction recorded by as_of).

        The last is None unless a correction not flagged for publication was recorded by `as_of`: the
        figures must then be counted both ways to see whether it changes one.
        """
        if basis is Basis.PUBLISHED:
            return list((self._replay([]) if self.corrections else self.stored).values()), 0, None
        due = [c for c in self.corrections if c[5] <= as_of]
        flagged = [c for c in due if c[4]]
        answers = self.stored if len(flagged) == len(self.corrections) else self._replay(flagged)
        every = None
        if len(flagged) != len(due):
            every = list((self.stored if len(due) == len(self.corrections) else self._replay(due)).values())
        return list(answers.values()), len(flagged), every


# The figures a correction not flagged for publication must not change silently.
WATCHED = ('operating', 'with_concern', 'aware', 'manufacturers_of_concern')


def _differences(flagged: Counted, every: Counted) -> list[str]:
    messages = []
    for code, row in flagged.categories.items():
        other = every.categories[code]
        for name in WATCHED:
            shown, would_be = getattr(row, name), getattr(other, name)
            if shown != would_be:
                messages.append(
                    f'{row.label}, {FIGURE_LABELS[name]}: {_text(shown)} with the corrections flagged for '
                    f'publication, {_text(would_be)} with every correction recorded.'
                )
    return messages


FIGURE_LABELS = {
    'operating': 'respondents operating it',
    'with_concern': 'respondents with equipment of concern',
    'aware': 'of those, respondents aware of the concerns',
    'manufacturers_of_concern': 'manufacturers of concern named',
}


def _text(value) -> str:
    return (', '.join(value) or 'none') if isinstance(value, list) else str(value)


def campaign_findings(
    campaign,
    basis: Basis = Basis.CORRECTED,
    as_of: datetime.datetime | None = None,
    judge=None,
    *,
    answers: CampaignAnswers | None = None,
    responses: Responses | None = None,
) -> Findings:
    """The campaign's figures on `basis`, with corrections recorded up to `as_of` (default now).

    About a dozen queries whatever the campaign's size. The concern list is taken as it stood on
    `as_of`'s date. Pass `judge`, `answers` and `responses` to share them between calls (both bases of
    one campaign, or campaigns that use the same list).
    """
    from django.utils import timezone

    as_of = as_of or timezone.now()
    judge = judge or judge_for(campaign.concern_list, timezone.localdate(as_of))
    answers = answers or CampaignAnswers(campaign)
    chosen, applied, every = answers.on(Basis(basis), as_of)
    counted = count(chosen, judge)
    unflagged = _differences(counted, count(every, judge)) if every is not None else []
    governance = count_governance(answers.governance, chosen)
    responses = responses or responses_of(campaign)
    return Findings(campaign, Basis(basis), as_of, responses, counted, applied, governance, unflagged)
