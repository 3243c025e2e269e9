"""Answers pre-filled from what Oversight knows: the body's register, identification, its previous return.

Each pre-filled answer carries where it came from, so the return's pages can say so; the body can
change any of them. The workbook is pre-filled with the register's manufacturer lines.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Max, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.compliance.governance import questionnaire_answers
from oversight.core.dates import govuk_date
from oversight.core.models import ObjectChange
from oversight.register.models import EquipmentLine

from .answers import MANUFACTURERS, OPERATES, answer_key
from .crosschecks import CAMERAS, CONCERN_EQUIPMENT
from .models import Return

GOVERNANCE = 'governance'  # the questionnaire's section of governance questions (9.x)
# The register's capability flags, named as the questionnaire's capability choices are.
CAPABILITIES = ('video', 'audio', 'thermal', 'night_vision')


def register_lines(organisation) -> dict[str, list[dict]]:
    """The body's register summed by category, manufacturer (as declared), brand and model."""
    rows = (
        EquipmentLine.objects.filter(organisation=organisation)
        .values('system__category', 'manufacturer_declared', 'brand', 'model')
        .annotate(quantity=Sum('quantity'))
        .order_by('system__category', 'manufacturer_declared', 'brand', 'model')
    )
    lines: dict[str, list[dict]] = {}
    for row in rows:
        lines.setdefault(row['system__category'], []).append(
            {
                'manufacturer': row['manufacturer_declared'],
                'brand': row['brand'],
                'model': row['model'],
                'quantity': row['quantity'],
            }
        )
    return lines


def prefilled_answers(organisation) -> dict:
    """Answers to start a new return with: each category the register has is operated, with its lines."""
    answers = {}
    for category, lines in register_lines(organisation).items():
        answers[answer_key(category, OPERATES)] = 'yes'
        answers[answer_key(category, MANUFACTURERS)] = lines
    return answers


@dataclass
class Known:
    """What Oversight already knows for a new return: answers, where each came from, and the evidence."""

    answers: dict = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # answer key -> "From your register, 12 March 2026"
    # "<category>.concern_equipment" -> [{"maker", "devices", "evidence"}], the lines identified as of concern
    evidence: dict[str, list[dict]] = field(default_factory=dict)


def register_devices(organisation) -> dict[str, int]:
    """The register's device count by category, which cross-checks compare answers with."""
    rows = (
        EquipmentLine.objects.filter(organisation=organisation)
        .values('system__category')
        .annotate(devices=Sum('quantity'))
        .order_by()
    )
    return {row['system__category']: row['devices'] for row in rows}


def _register_date(organisation):
    changed = ObjectChange.objects.filter(
        organisation=organisation, content_type=ContentType.objects.get_for_model(EquipmentLine)
    ).aggregate(last=Max('time'))['last']
    return govuk_date(timezone.localtime(changed or timezone.now()).date())


def known_answers(invitation) -> Known:
    """The register's lines, totals, capabilities and equipment of concern, then the body's previous return."""
    organisation, known = invitation.organisation, Known()
    from_register = _('From your register, %(date)s') % {'date': _register_date(organisation)}
    for category, lines in register_lines(organisation).items():
        for code, value in (
            (OPERATES, 'yes'),
            (MANUFACTURERS, lines),
            (CAMERAS, sum(line['quantity'] for line in lines)),
        ):
            known.answers[answer_key(category, code)] = value
            known.sources[answer_key(category, code)] = from_register
    capabilities = EquipmentLine.objects.filter(organisation=organisation).values('system__category').order_by()
    capabilities = capabilities.annotate(**{name: Max(Cast(name, IntegerField())) for name in CAPABILITIES})
    for row in capabilities:
        chosen = [name for name in CAPABILITIES if row[name]]
        if chosen:
            known.answers[answer_key(row['system__category'], 'capabilities')] = chosen
            known.sources[answer_key(row['system__category'], 'capabilities')] = from_register
    _concerns(organisation, known)
    _previous_return(invitation, known)
    _governance(organisation, known)
    return known


def _governance(organisation, known: Known) -> None:
    """The governance questions (9.x) the body's compliance records settle: fresher than its previous return."""
    from_records = _('From your compliance records')
    for code, value in questionnaire_answers(organisation).items():
        known.answers[answer_key(GOVERNANCE, code)] = value
        known.sources[answer_key(GOVERNANCE, code)] = from_records


def _concerns(organisation, known: Known) -> None:
    """Whether each category has equipment of concern, as identification found it, with the makers and evidence."""
    lines = (
        EquipmentLine.objects.filter(organisation=organisation)
        .select_related('system', 'made_by')
        .only('system__category', 'concern', 'quantity', 'evidence', 'made_by__name')
        .order_by('system__category', 'pk')
    )
    by_category: dict[str, list] = {}
    for line in lines:
        by_category.setdefault(line.system.category, []).append(line)
    for category, found in by_category.items():
        key = answer_key(category, CONCERN_EQUIPMENT)
        of_concern = [line for line in found if line.concern]
        if of_concern:
            known.answers[key] = 'yes'
            makers: dict[str, dict] = {}
            for line in of_concern:
                maker = line.made_by.name if line.made_by else 'A maker of concern'
                entry = makers.setdefault(maker, {'maker': maker, 'devices': 0, 'evidence': []})
                entry['devices'] += line.quantity
                entry['evidence'] += [text for text in line.evidence if text not in entry['evidence']][:3]
            known.evidence[key] = list(makers.values())
        elif all(line.concern is False for line in found):
            known.answers[key] = 'no'
        else:
            continue  # some lines were never identified: the body answers it
        known.sources[key] = _('From identification of your register’s equipment')


def _previous_return(invitation, known: Known) -> None:
    """The body's answers to its latest earlier return, for the questions the register does not answer."""
    previous = (
        Return.objects.filter(organisation=invitation.organisation, submitted_at__isnull=False)
        .exclude(invitation=invitation)
        .filter(campaign__year__lte=invitation.campaign.year)
        .select_related('campaign')
        .order_by('-campaign__year', '-submitted_at')
        .first()
    )
    if previous is None:
        return
    category_answered = {key.split('.')[0] for key in known.answers}
    for key, value in previous.answers.items():
        if key in known.answers or key.split('.')[0] in category_answered:
            continue  # a category the register knows is answered from the register as a whole
        known.answers[key] = value
        known.sources[key] = _('From your %(year)s return') % {'year': previous.campaign.year}
