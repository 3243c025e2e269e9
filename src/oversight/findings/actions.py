"""Every write of the findings app, each in one transaction with its audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import STALE_MESSAGE, record_change, save_audited
from oversight.core.dates import govuk_date
from oversight.core.languages import in_welsh
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, sees_everything

from . import narrative, presentation, report
from .models import Report, ReportVersion, Withdrawal
from .pdf import render_pdf

DEFAULT_NARRATIVE = """## Summary

The Commissioner surveyed {{ invited }} bodies in {{ year }}. {{ responded|words|capfirst }} responses were \
received out of a possible total of {{ invited }}: a response rate of {{ response_rate }}. \
{{ late|words|capfirst }} returns were submitted after the deadline.

At least {{ external_cctv.with_concern }} respondents say that their external camera systems use equipment about \
which there have been security or ethical concerns (including {{ external_cctv.makers }}).

At least {{ internal_cctv.with_concern }} respondents say that their internal camera systems use equipment about \
which there have been security or ethical concerns (including {{ internal_cctv.makers }}).

At least {{ anpr.with_concern }} respondents say that their ANPR systems use equipment about which there have \
been security or ethical concerns.

{{ drone.aware }} of the {{ drone.operating }} respondents who said they operate cameras on drones said they were \
aware of security or ethical concerns about the manufacturer of their drones ({{ drone.makers }}).
"""
# Keys of a report's data that say when it was computed rather than what it found.
_MOMENT_KEYS = ('as_of',)


REGULATOR_ONLY = _('Only regulator staff write and publish reports.')


@transaction.atomic
def create_report(actor, campaign, *, title: str = '', narrative_text: str | None = None) -> Report:
    """Start the draft report of a campaign (one per campaign), with the standard text to edit."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    if Report.objects.filter(campaign=campaign).exists():
        raise ValidationError({'campaign': _('%(campaign)s already has a report.') % {'campaign': campaign}})
    found = Report(
        campaign=campaign,
        title=title.strip() or f'{campaign.title}: findings',
        narrative=DEFAULT_NARRATIVE if narrative_text is None else narrative_text,
    )
    return save_audited(actor, found, 'Report started')


@transaction.atomic
def update_report(
    actor,
    found: Report,
    *,
    title: str,
    narrative_text: str,
    title_cy: str = '',
    narrative_cy: str = '',
    expected_version=None,
) -> Report:
    check(actor, sees_everything, message=REGULATOR_ONLY)
    found.title, found.narrative = title.strip(), narrative_text
    found.title_cy, found.narrative_cy = title_cy.strip(), narrative_cy
    return save_audited(actor, found, 'Report text edited', expected_version=expected_version)


def _figures(data: dict) -> dict:
    """The data without when it was computed, to tell whether anything changed."""
    figures = {k: v for k, v in data.items() if k not in _MOMENT_KEYS}
    figures['concern_list'] = {k: v for k, v in data['concern_list'].items() if k != 'on'}
    return figures


def version_context(found: Report, data: dict, narrative_source: str, narrative_cy: str = '', **status) -> dict:
    """The page and PDF context of a report's data and text, with its title and status, in the active language.

    On a Welsh page (or PDF) the text is the Welsh one when it was written (`narrative_cy`), else the English."""
    welsh = narrative_cy.strip() and in_welsh()
    shown = presentation.context(
        data, narrative_cy if welsh else narrative_source, narrative_language='cy' if welsh else 'en-gb'
    )
    return {**shown, 'report': found, 'title': found.shown_title(), 'title_lang': found.title_lang(), **status}


def draft_status() -> str:
    return gettext('Draft: not published')


def _checked(actor, found: Report, *, expected_version, now, confirmed_unchecked: str):
    """The report locked, its figures as of `now`, and its latest version, once every check passes."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    found = Report.objects.select_for_update(of=('self',)).select_related('campaign__concern_list').get(pk=found.pk)
    if expected_version is not None and found.version != expected_version:
        raise ValidationError(STALE_MESSAGE, code='stale')
    if not found.narrative.strip():
        raise ValidationError(_('Write the report’s text before publishing it.'))
    data = report.build(found.campaign, as_of=now)
    checked = narrative.check(found.narrative, data, welsh=found.narrative_cy)
    if checked.blocking:
        raise ValidationError(
            [f'Publication is blocked: {len(checked.blocking)} problem(s) in the text or the corrections.']
            + checked.blocking
        )
    if checked.unchecked and confirmed_unchecked != checked.unchecked_fingerprint:
        raise ValidationError(
            [
                f'Publication waits for you: the check could not match {len(checked.unchecked)} number(s) or '
                'claim(s) to a figure. Confirm each against the data (or state it with a placeholder), then tick '
                'the confirmation.'
            ]
            + [f'{typed} in “{sentence}”' for typed, sentence in checked.unchecked]
        )
    previous = found.latest()
    if unchanged_since(found, data, previous):
        raise ValidationError(nothing_changed(previous))
    return found, data, previous


def unchanged_since(found: Report, data: dict, previous: ReportVersion | None) -> bool:
    """Whether publishing now would repeat `previous`: the same figures, text and title, in both languages."""
    return (
        previous is not None
        and _figures(previous.data) == _figures(data)
        and previous.narrative_source == found.narrative
        and previous.title == found.title
        and previous.narrative_source_cy == found.narrative_cy
        and previous.title_cy == found.title_cy
    )


def nothing_changed(previous: ReportVersion) -> str:
    """Why there is nothing to publish, as the page and the refusal say it."""
    return (
        f'Nothing has changed since version {previous.number} was published on '
        f'{govuk_date(previous.published_at)}: its figures, text and title are the same.'
    )


@transaction.atomic
def check_publication(actor, found: Report, *, expected_version=None, confirmed_unchecked: str = '') -> None:
    """Refuse now, with every reason, what `publish_report` would refuse, without rendering the PDF."""
    _checked(
        actor, found, expected_version=expected_version, now=timezone.now(), confirmed_unchecked=confirmed_unchecked
    )


@transaction.atomic
def publish_report(
    actor, found: Report, *, note: str = '', expected_version=None, now=None, confirmed_unchecked: str = ''
) -> ReportVersion:
    """Freeze the report as a new published version: its figures as of now, the concern list as it stood,
    the text with every figure bound (the Welsh text too, when written), and the PDF in English and in Welsh.
    Refused, with every reason, when a check fails.

    Numbers and claims the check cannot match to a figure are never passed silently: the regulator
    confirms the list as they saw it (`confirmed_unchecked`, its fingerprint), and a changed list needs
    confirming again."""
    now = now or timezone.now()
    found, data, previous = _checked(
        actor, found, expected_version=expected_version, now=now, confirmed_unchecked=confirmed_unchecked
    )
    number = previous.number + 1 if previous else 1
    with translation.override('en-gb'):
        rendered, _problems = narrative.render(found.narrative, narrative.namespace(data))
    with translation.override('cy'):
        rendered_cy, _problems = narrative.render(found.narrative_cy, narrative.namespace(data))
    published_by = getattr(actor, 'username', '') or 'system'
    status = {'draft': False, 'number': number, 'published_at': now, 'published_by_name': published_by}
    # Both renderings are frozen now, so each public file is served as published, in either language.
    pdfs = {}
    for language in ('en-gb', 'cy'):
        with translation.override(language):
            status_line = gettext('Version %(number)s, published %(date)s') % {
                'number': number,
                'date': govuk_date(now),
            }
            pdfs[language] = render_pdf(
                version_context(found, data, found.narrative, found.narrative_cy, status_line=status_line, **status)
            )
    version = ReportVersion(
        report=found,
        number=number,
        title=found.title,
        title_cy=found.title_cy,
        narrative_source=found.narrative,
        narrative=rendered,
        narrative_source_cy=found.narrative_cy,
        narrative_cy=rendered_cy if found.narrative_cy.strip() else '',
        data=data,
        designations=data['concern_list'],
        pdf=pdfs['en-gb'],
        pdf_cy=pdfs['cy'],
        note=note.strip()[:300],
        published_at=now,
        published_by=actor if getattr(actor, 'pk', None) else None,
        published_by_name=published_by,
    )
    version.save()
    # The audit row records what was published, not the PDF and data themselves (they are the version).
    record_change(
        actor,
        version,
        ObjectChange.Action.CREATE,
        None,
        {
            'report': found.pk,
            'number': number,
            'title': found.title,
            'pdf_sha256': version.pdf_sha256,
            'pdf_cy_sha256': version.pdf_cy_sha256,
            'response_rate': data['responses']['response_rate'],
            'updates': len(data['updates']),
            'note': version.note,
        },
        f'Published version {number} of {found.title}',
    )
    return version


@transaction.atomic
def withdraw_version(actor, version: ReportVersion, *, reason: str, now=None) -> Withdrawal:
    """Take a published version down from its public addresses, saying why; it stays on record, marked withdrawn."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if Withdrawal.objects.filter(version=version).exists():
        raise ValidationError(
            _('Version %(number)s of %(title)s is already withdrawn.')
            % {'number': version.number, 'title': version.title}
        )
    if not reason.strip():
        raise ValidationError({'reason': _('Say why the version is withdrawn: it is shown beside the version.')})
    withdrawal = Withdrawal(
        version=version,
        reason=reason.strip(),
        withdrawn_at=now or timezone.now(),
        withdrawn_by=actor if getattr(actor, 'pk', None) else None,
        withdrawn_by_name=getattr(actor, 'username', '') or 'system',
    )
    return save_audited(actor, withdrawal, f'Withdrew version {version.number} of {version.title}')
