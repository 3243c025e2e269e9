"""A report's computed data: everything the page, the PDF, the tables and the text checks read.

`build()` computes it from the database; a published version stores exactly this dictionary (JSON),
so a frozen version renders from its own data and never from today's returns. Only aggregates are
kept: no body's answers appear in it (non-respondents are named, as the Commissioner's reports do).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .engine import (
    CATEGORIES,
    CATEGORY_LABELS,
    FIGURE_LABELS,
    WATCHED,
    Basis,
    CampaignAnswers,
    Findings,
    campaign_findings,
    judge_for,
    responses_of,
)

FORMAT = 1


def percent(part: int, whole: int, places: int = 0) -> Decimal | None:
    """part/whole as a percentage rounded half up on the exact fraction (39 of 47 is 83, or 83.0 to one place)."""
    if not whole:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, ROUND_HALF_UP)


def percent_text(part: int, whole: int, places: int = 0) -> str:
    """ "83%" (or "83.0%" to one place); "–" when nobody was invited."""
    value = percent(part, whole, places)
    return '–' if value is None else f'{value}%'


def series_of(campaign) -> list:
    """The campaign and the earlier campaigns sent to the same group (closed ones), oldest first.

    These are the campaigns a report compares response rates and trends across (2017, 2019, 2022).
    """
    from oversight.surveys.models import Campaign

    if campaign.recipients_group_id is None:
        return [campaign]
    earlier = Campaign.objects.filter(
        recipients_group_id=campaign.recipients_group_id, year__lt=campaign.year, status=Campaign.Status.CLOSED
    ).order_by('year', 'slug')
    return [*earlier, campaign]


def concern_list_snapshot(concern_list, on: datetime.date) -> dict:
    """The concern list as it stood on `on`: its designations with their sources, and every maker it covers."""
    from oversight.vendors.concerns import ConcernIndex

    designations = concern_list.designations.filter(date__lte=on).select_related('manufacturer')
    return {
        'slug': concern_list.slug,
        'name': concern_list.name,
        'authority': concern_list.authority,
        'instrument': concern_list.instrument,
        'jurisdiction': concern_list.jurisdiction,
        'date': concern_list.date.isoformat() if concern_list.date else None,
        'covers_affiliates': concern_list.covers_affiliates,
        'source_url': concern_list.source_url,
        'on': on.isoformat(),
        'designations': [
            {
                'maker': d.manufacturer.name,
                'date': d.date.isoformat(),
                'scope': d.scope,
                'reason': d.get_reason_display(),
                'source_url': d.source_url,
            }
            for d in designations.order_by('manufacturer__name')
        ],
        'makers_covered': sorted(ConcernIndex.from_db(on).makers_of_concern(concern_list.slug)),
    }


def _series_entry(findings: Findings) -> dict:
    campaign = findings.campaign
    responses = findings.responses
    return {
        'slug': campaign.slug,
        'title': campaign.title,
        'year': campaign.year,
        **responses.as_dict(),
        'respondents': findings.counted.respondents,
        'categories': {
            code: {'operating': row.operating, 'with_concern': row.with_concern, 'aware': row.aware}
            for code, row in findings.categories.items()
        },
    }


def _updates(campaign, corrected: Findings, published: Findings) -> list[dict]:
    """One Update note per category whose figures the corrections flagged for publication changed."""
    from oversight.surveys.models import Correction

    flagged = Correction.objects.filter(
        survey_return__campaign=campaign, publish_as_update=True, recorded_at__lte=corrected.as_of
    ).values_list('field', 'date')
    by_category: dict[str, list[datetime.date]] = {}
    for field, date in flagged:
        by_category.setdefault(field.split('.', 1)[0], []).append(date)
    updates = []
    for code in CATEGORIES:
        before, after = published.categories[code], corrected.categories[code]
        changes = [
            {
                'figure': name,
                'label': FIGURE_LABELS[name],
                'published': getattr(before, name),
                'corrected': getattr(after, name),
            }
            for name in WATCHED
            if getattr(before, name) != getattr(after, name)
        ]
        if changes:
            dates = by_category.get(code, [])
            updates.append(
                {
                    'category': code,
                    'label': CATEGORY_LABELS[code],
                    'date': max(dates).isoformat() if dates else None,
                    'corrections': len(dates),
                    'changes': changes,
                    'makers_published': before.manufacturers_of_concern,
                }
            )
    changed = {u['category'] for u in updates}
    # Flagged corrections that changed no figure are still published, as one note.
    rest = sum(len(dates) for code, dates in by_category.items() if code not in changed)
    if rest:
        dates = [d for code, ds in by_category.items() if code not in changed for d in ds]
        updates.append(
            {
                'category': None,
                'label': 'Other answers',
                'date': max(dates).isoformat(),
                'corrections': rest,
                'changes': [],
            }
        )
    return updates


def build(campaign, *, as_of: datetime.datetime | None = None) -> dict:
    """Compute a campaign's report data as of `as_of` (default now): a few dozen queries in all."""
    as_of = as_of or timezone.now()
    on = timezone.localdate(as_of)
    judge = judge_for(campaign.concern_list, on)
    shared = {'answers': CampaignAnswers(campaign), 'responses': responses_of(campaign)}
    corrected = campaign_findings(campaign, Basis.CORRECTED, as_of, judge, **shared)
    published = campaign_findings(campaign, Basis.PUBLISHED, as_of, judge, **shared)
    series = []
    for other in series_of(campaign):
        if other.pk == campaign.pk:
            series.append(_series_entry(corrected))
        else:
            same = other.concern_list_id == campaign.concern_list_id
            series.append(_series_entry(campaign_findings(other, Basis.CORRECTED, as_of, judge if same else None)))
    responses = corrected.responses
    return {
        'format': FORMAT,
        'campaign': {
            'slug': campaign.slug,
            'title': campaign.title,
            'year': campaign.year,
            'illustrative': campaign.illustrative,
            'deadline': campaign.deadline.isoformat() if campaign.deadline else None,
        },
        'as_of': as_of.isoformat(),
        'concern_list': concern_list_snapshot(campaign.concern_list, on),
        'responses': {
            **responses.as_dict(),
        },
        'respondents': corrected.counted.respondents,
        'with_concern_any': corrected.counted.with_concern_any,
        'manufacturers_of_concern': corrected.counted.manufacturers_of_concern,
        'categories': [row.as_dict() for row in corrected.categories.values()],
        'published_categories': [row.as_dict() for row in published.categories.values()],
        'corrections_applied': corrected.corrections_applied,
        'updates': _updates(campaign, corrected, published),
        'unflagged_changes': corrected.unflagged_changes,
        'series': series,
        'governance': corrected.governance.as_dict(),
    }
