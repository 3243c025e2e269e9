"""A campaign's submitted returns as plain data, as corrected or as first published.

Exports and the findings engine read returns through here, so "as published" means the same
everywhere: every correction undone, newest first, restoring the values the body first gave.
Two queries whatever the campaign's size. The answers are handed on as stored: read them, do not
change them.
"""

import datetime
from dataclasses import dataclass, field

from .answers import AWARE, MANUFACTURERS, OPERATES
from .corrections import replay
from .models import Campaign, Correction, Return

# The per-category answers the interchange file carries.
CARRIED = frozenset((OPERATES, AWARE, MANUFACTURERS))


@dataclass
class CategoryAnswers:
    operates: str | None = None
    aware_of_concerns: str | None = None
    # As stored: {"manufacturer", "brand", "model", "quantity"} each, those a correction withdrew left out.
    lines: list[dict] = field(default_factory=list)


@dataclass
class ReturnSnapshot:
    return_id: int
    organisation_id: int
    body: str
    status: str
    submitted_at: datetime.datetime
    late: bool | None
    illustrative: bool
    answers: dict
    categories: dict[str, CategoryAnswers] = field(default_factory=dict)


def campaign_returns(campaign: Campaign, *, as_published: bool = False) -> list[ReturnSnapshot]:
    """The campaign's submitted returns (drafts are not responses), by body name.

    `categories` holds what the interchange file carries: operates, aware_of_concerns and the
    lines a correction has not withdrawn, for each category the return answers.
    """
    rows = list(
        Return.objects.filter(campaign=campaign)
        .responded()
        .order_by('organisation__name')
        .values_list(
            'pk',
            'organisation_id',
            'organisation__name',
            'invitation__status',
            'submitted_at',
            'illustrative',
            'answers',
        )
    )
    recorded = list(
        Correction.objects.filter(survey_return__campaign=campaign)
        .order_by('recorded_at', 'pk')
        .values_list('survey_return_id', 'field', 'old_value', 'new_value')
    )
    corrected_ids = {return_id for return_id, *_ in recorded}
    first_given = {}
    if as_published and recorded:
        stored = {row[0]: row[6] for row in rows if row[0] in corrected_ids}
        first_given = replay(stored, [r for r in recorded if r[0] in stored])
    snapshots = []
    for pk, organisation_id, body, status, submitted_at, illustrative, answers in rows:
        corrected = pk in corrected_ids
        answers = first_given.get(pk, answers)
        snapshot = ReturnSnapshot(
            return_id=pk,
            organisation_id=organisation_id,
            body=body,
            status=status,
            submitted_at=submitted_at,
            late=None if campaign.deadline is None else submitted_at > campaign.deadline,
            illustrative=illustrative,
            answers=answers,
        )
        categories = snapshot.categories
        for key, value in answers.items():
            category, _, question = key.partition('.')
            if question not in CARRIED:
                continue
            found = categories.get(category)
            if found is None:
                found = categories[category] = CategoryAnswers()
            if question == MANUFACTURERS:
                # Only a correction withdraws a line, so only a corrected return needs filtering (a national
                # campaign has ~150,000 lines: they are handed on as stored, not copied).
                found.lines = [line for line in value if not line.get('removed')] if corrected else value
            else:
                setattr(found, question, value)
        snapshots.append(snapshot)
    return snapshots
