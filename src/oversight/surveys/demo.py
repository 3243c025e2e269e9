"""Demo survey campaigns: the Commissioner's police surveys of 2017, 2019 and 2022, and one open now.

The real per-body returns are not public, so every return here is ILLUSTRATIVE (flagged, and
shown as such on every page): made up, deterministically, so that the figures the Commissioner
published for 2022 hold when counted from the returns (shared/reference/published-2022-findings.md):
47 bodies invited, 39 returns, the 8 named non-respondents, some returns more than three months
late; respondents whose equipment includes a maker of concern: external CCTV 18, internal CCTV 24,
ANPR 11, body-worn video 2 as published and 0 once the two Hikvision lines are corrected; 31
drone operators, 23 of them aware of the concerns about DJI. Kent Police's and Essex Police's
2022 returns are their demo registers, summed. 2017 and 2019 had 100% response (report para 2);
their figures are invented and plausible only.

Returns go through the interchange import (import_returns), then the review actions.
Idempotent: a campaign that exists is left as it is.
"""

import csv
import datetime
import io
import random
import zoneinfo
from dataclasses import dataclass

from django.core.mail import get_connection
from django.utils import timezone

from oversight.organisations.models import Organisation, OrganisationGroup
from oversight.register.models import Category
from oversight.vendors.models import ConcernList

from .actions.campaigns import close_campaign, create_campaign, open_campaign
from .actions.corrections import record_correction
from .actions.imports import DEFAULT_CONCERN_LIST, DEFAULT_GROUP, DEFAULT_QUESTIONNAIRE, import_returns
from .actions.invitations import send_due_reminders, send_invitations
from .actions.questionnaires import copy_questionnaire
from .actions.returns import accept_return, answer_queries, return_with_query, save_draft, supplement_answers
from .answers import answer_key
from .concerns import ConcernResolver
from .interchange import COLUMNS, format_time
from .models import Campaign, Contact, Questionnaire
from .prefill import prefilled_answers, register_lines

LONDON = zoneinfo.ZoneInfo('Europe/London')
REPORT = 'https://www.gov.uk/government/publications/police-survey-2022-responses-and-key-findings'
UPDATE_SOURCE = (
    "The Commissioner's Update to the 2022 findings: \u201csubsequent enquiries have shown that to be incorrect\u201d "
    '(https://www.parliamenttoday.com/members/viewnews.html?id=144294)'
)
ILLUSTRATIVE = (
    'Illustrative demonstration data: the real per-body returns are not public. The returns are made up so that '
    'the figures the Commissioner published hold when counted from them; no body named here said any of it.'
)
# Report para 2 names three; the other five are from shared/reference/policing-bodies.csv (responded_2022=no).
NON_RESPONDENTS_2022 = (
    'City of London Police',
    'Gloucestershire Constabulary',
    'Greater Manchester Police',
    'Gwent Police',
    'Merseyside Police',
    'National Crime Agency',
    'South Yorkshire Police',
    'Thames Valley Police',
)
# Returns consistent with the body's own demo register.
REGISTER_BODIES = ('Kent Police', 'Essex Police')
SILENT = 'django.core.mail.backends.dummy.EmailBackend'


@dataclass(frozen=True)
class Target:
    """Respondents operating a category, those with equipment of concern, and of those the ones aware."""

    operating: int
    with_concern: int
    aware: int


@dataclass(frozen=True)
class Product:
    manufacturer: str
    brand: str
    model: str
    quantity: tuple[int, int]


# What bodies declare, per category. Which ones are of concern is decided by the reference data
# (ConcernResolver), never here.
PRODUCTS = {
    'external_cctv': (
        Product('Hikvision', '', 'DS-2CD2T87G2-L', (4, 40)),
        Product('Dahua Technology', '', 'IPC-HFW2431S-S-S2', (4, 30)),
        Product('Honeywell', 'Performance', 'HBW4PER2', (2, 20)),
        Product('Huawei', '', 'HoloSens SDC', (2, 12)),
        Product('NUUO', '', 'NVRmini2 NE-4160', (1, 3)),
        Product('Axis', '', 'P1455-LE', (4, 60)),
        Product('Bosch', '', 'DINION IP 3000i', (4, 40)),
        Product('Hanwha Vision', 'Wisenet', 'XNO-8080R', (2, 30)),
        Product('Avigilon', '', '2.0C-H5A-PTZ-DP36', (2, 20)),
    ),
    'internal_cctv': (
        Product('Hikvision', '', 'DS-2CD2143G2-I', (10, 120)),
        Product('Dahua', '', 'IPC-HDBW2431E-S-S2', (8, 90)),
        Product('Honeywell', '', 'HEN28103', (6, 60)),
        Product('Huawei', '', 'HoloSens SDC', (4, 30)),
        Product('NUUO', '', 'NVRmini2 NE-4160', (1, 6)),
        Product('Axis Communications', '', 'M3106-L Mk II', (10, 150)),
        Product('Bosch', '', 'FLEXIDOME IP 5100i', (10, 100)),
        Product('Hanwha Vision', 'Wisenet', 'XND-6080RV', (6, 80)),
    ),
    'anpr': (
        Product('Hikvision', '', 'iDS-TCM403-GIR', (2, 20)),
        Product('Dahua', '', 'ITC237-PW6M-IRLZF', (2, 12)),
        Product('Genetec', 'AutoVu', 'SharpV', (4, 60)),
        Product('Motorola Solutions', 'Vigilant', 'Reaper HD', (4, 40)),
        Product('Axis', '', 'Q1700-LE', (2, 20)),
    ),
    'body_worn_video': (
        Product('Axon', '', 'Body 3', (200, 2500)),
        Product('Reveal', '', 'D5', (150, 1800)),
        Product('Motorola Solutions', '', 'VB400', (150, 1500)),
    ),
    'drone': (
        Product('DJI', '', 'Matrice 300 RTK', (1, 6)),
        Product('DJI', '', 'Mavic 3 Enterprise (M3T)', (1, 8)),
        Product('SZ DJI Technology Co., Ltd.', '', 'Matrice 30T', (1, 4)),
        Product('Parrot', '', 'ANAFI USA', (1, 4)),
        Product('Skydio', '', 'X10', (1, 3)),
    ),
    'helicopter': (Product('Teledyne FLIR', '', 'Star SAFIRE 380-HDc', (1, 2)),),
    'facial_recognition': (Product('NEC', '', 'NeoFace Reveal', (1, 1)),),
    'other': (
        Product('Hikvision', '', 'DS-2CD2525FWD-IS', (2, 16)),
        Product('Axis', '', 'M3086-V', (2, 20)),
        Product('Bosch', '', 'FLEXIDOME IP micro 3000i', (2, 12)),
    ),
}
# The two body-worn video lines the 2022 Update withdrew, and what the demo corrects them to.
PUBLISHED_BWV = Product('Hikvision', '', '', (300, 900))
BWV_CORRECTED_TO = ('Reveal', 'Axon')


@dataclass(frozen=True)
class CampaignPlan:
    slug: str
    year: int
    opens: datetime.datetime
    deadline: datetime.datetime
    cutoff: datetime.datetime
    targets: dict[str, Target]
    respondents: int  # of the 47 (all, in 2017 and 2019)


def _london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


PLANS = (
    CampaignPlan(
        'police-2017',
        2017,
        _london(2017, 4, 3, 9),
        _london(2017, 6, 30, 17),
        _london(2017, 7, 31, 17),
        {
            'external_cctv': Target(40, 9, 1),
            'internal_cctv': Target(46, 12, 1),
            'anpr': Target(44, 4, 0),
            'body_worn_video': Target(47, 0, 0),
            'drone': Target(12, 9, 2),
            'helicopter': Target(5, 0, 0),
            'facial_recognition': Target(3, 0, 0),
            'other': Target(10, 1, 0),
        },
        47,
    ),
    CampaignPlan(
        'police-2019',
        2019,
        _london(2019, 4, 1, 9),
        _london(2019, 6, 28, 17),
        _london(2019, 7, 31, 17),
        {
            'external_cctv': Target(41, 14, 2),
            'internal_cctv': Target(46, 19, 3),
            'anpr': Target(45, 8, 1),
            'body_worn_video': Target(47, 0, 0),
            'drone': Target(26, 21, 9),
            'helicopter': Target(5, 0, 0),
            'facial_recognition': Target(6, 0, 0),
            'other': Target(12, 2, 0),
        },
        47,
    ),
    CampaignPlan(
        'police-2022',
        2022,
        _london(2022, 6, 24, 9),
        _london(2022, 8, 26, 17),
        _london(2023, 1, 13, 17),
        {
            'external_cctv': Target(36, 18, 4),
            'internal_cctv': Target(39, 24, 5),
            'anpr': Target(37, 11, 3),
            'body_worn_video': Target(39, 0, 0),
            'drone': Target(31, 27, 23),
            'helicopter': Target(4, 0, 0),
            'facial_recognition': Target(12, 0, 0),
            'other': Target(14, 3, 1),
        },
        39,
    ),
)


class Builder:
    """Makes one campaign's returns as interchange rows, deterministically, to the plan's targets."""

    def __init__(self, plan: CampaignPlan, respondents: list[Organisation], resolver: ConcernResolver):
        self.plan, self.resolver = plan, resolver
        self.random = random.Random(f'oversight-demo-surveys:{plan.slug}')
        self.respondents = respondents
        self.answers: dict[int, dict] = {o.pk: {} for o in respondents}
        self.lines: dict[int, dict[str, list[tuple]]] = {o.pk: {} for o in respondents}
        self.pools = {}
        for category, products in PRODUCTS.items():
            concern = [p for p in products if resolver.maker_of_concern(p.manufacturer, p.brand)]
            clean = [p for p in products if p not in concern]
            self.pools[category] = (concern, clean)

    def _quantity(self, product: Product) -> int:
        return self.random.randint(*product.quantity)

    def _fixed(self, organisation) -> dict[str, tuple[bool, bool]]:
        """A register body's lines; (operates, has equipment of concern) per category."""
        found = {}
        for category, lines in register_lines(organisation).items():
            self.lines[organisation.pk][category] = [
                (line['manufacturer'], line['brand'], line['model'], line['quantity']) for line in lines
            ]
            concern = any(self.resolver.line_makers(lines))
            found[category] = (True, concern)
        return found

    def build(self, register_bodies: list[Organisation]) -> None:
        fixed = {o.pk: self._fixed(o) for o in register_bodies}
        others = [o for o in self.respondents if o.pk not in fixed]
        for category in Category.values:
            target = self.plan.targets[category]
            concern_pool, clean_pool = self.pools[category]
            fixed_operating = [pk for pk, cats in fixed.items() if cats.get(category, (False,))[0]]
            fixed_concern = [pk for pk in fixed_operating if fixed[pk][category][1]]
            order = self.random.sample(others, len(others))
            operating = order[: target.operating - len(fixed_operating)]
            concern = operating[: target.with_concern - len(fixed_concern)]
            if len(operating) + len(fixed_operating) != target.operating or (
                len(concern) + len(fixed_concern) != target.with_concern
            ):
                raise RuntimeError(f'The demo plan for {self.plan.slug}, {category} cannot be met.')
            if concern and not concern_pool:
                raise RuntimeError(f'No demo product for {category} is of concern: is the vendors data loaded?')
            aware = set([*fixed_concern, *(o.pk for o in concern)][: target.aware])
            for number, organisation in enumerate(concern):
                # Cycle through the makers of concern, so each is named in the findings.
                products = [concern_pool[number % len(concern_pool)]]
                products += self.random.sample(clean_pool, self.random.randint(0, min(2, len(clean_pool))))
                self.lines[organisation.pk][category] = [
                    (p.manufacturer, p.brand, p.model, self._quantity(p)) for p in products
                ]
            for organisation in operating[len(concern) :]:
                products = self.random.sample(clean_pool, self.random.randint(1, min(2, len(clean_pool))))
                self.lines[organisation.pk][category] = [
                    (p.manufacturer, p.brand, p.model, self._quantity(p)) for p in products
                ]
            operating_ids = {o.pk for o in operating} | set(fixed_operating)
            concern_ids = {o.pk for o in concern} | set(fixed_concern)
            for organisation in self.respondents:
                answers = self.answers[organisation.pk]
                if organisation.pk not in operating_ids:
                    answers[category] = ('no', '')
                elif organisation.pk in concern_ids:
                    answers[category] = (
                        'yes',
                        'yes' if organisation.pk in aware else self.random.choice(['no', 'unknown']),
                    )
                else:
                    answers[category] = ('yes', self.random.choice(['no', 'no', 'unknown']))

    def add_published_bwv(self) -> list[Organisation]:
        """The two body-worn video lines of Hikvision the 2022 returns gave (later corrected)."""
        chosen = self.random.sample([o for o in self.respondents if o.name not in REGISTER_BODIES], 2)
        for organisation in chosen:
            self.lines[organisation.pk].setdefault('body_worn_video', []).append(
                (PUBLISHED_BWV.manufacturer, PUBLISHED_BWV.brand, PUBLISHED_BWV.model, self._quantity(PUBLISHED_BWV))
            )
        return chosen

    def rows(self, organisations, submitted: dict[int, datetime.datetime]) -> list[list]:
        rows = []
        for organisation in organisations:
            when = format_time(submitted[organisation.pk])
            for category in Category.values:
                operates, aware = self.answers[organisation.pk][category]
                lines = self.lines[organisation.pk].get(category) or [('', '', '', '')]
                rows += [[organisation.name, category, operates, *line, aware, when] for line in lines]
        return rows

    def other_answers(self, organisation) -> dict:
        """The answers an interchange file does not carry: systems, counts, capabilities, governance."""
        answers = {}
        for category, label in Category.choices:
            operates, _aware = self.answers[organisation.pk][category]
            if operates != 'yes':
                continue
            lines = self.lines[organisation.pk].get(category, [])
            concern = any(self.resolver.maker_of_concern(m, b) for m, b, _model, _q in lines)
            answers[answer_key(category, 'systems')] = f'{label} operated by {organisation.name} (illustrative).'
            answers[answer_key(category, 'cameras')] = str(sum(int(q or 0) for *_rest, q in lines))
            answers[answer_key(category, 'concern_equipment')] = 'yes' if concern else 'no'
            answers[answer_key(category, 'capabilities')] = (
                ['video', 'thermal', 'night_vision'] if category in ('drone', 'helicopter') else ['video']
            )
        choices = ('compliant', 'compliant', 'partly_compliant', 'not_assessed')
        answers.update(
            {
                'governance.sro_name': f'Senior Responsible Officer, {organisation.name}',
                'governance.sro_role': 'Assistant Chief Constable',
                'governance.dpia': self.random.choice(['yes', 'yes', 'no']),
                'governance.certification': self.random.choice(['none', 'none', 'desktop', 'full']),
                'governance.contact_point': 'yes',
                'governance.contact_point_url': f'https://www.{organisation.slug}.police.example/cctv',
            }
        )
        if answers['governance.dpia'] == 'yes':
            answers['governance.dpia_reviewed'] = f'{self.plan.year - 1}-{self.random.randint(1, 12):02d}-01'
        if answers['governance.certification'] != 'none':
            answers['governance.certification_date'] = f'{self.plan.year - 2}-{self.random.randint(1, 12):02d}-15'
        answers.update({f'governance.principle_{n}': self.random.choice(choices) for n in range(1, 13)})
        return answers


def _csv(rows: list[list]) -> io.StringIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    buffer.seek(0)
    return buffer


def _submission_times(plan: CampaignPlan, respondents, rng: random.Random) -> dict[int, datetime.datetime]:
    """Most on time; in 2022 six late before the initial analysis of 14 November and three over three months late."""
    others = [o for o in respondents if o.name not in REGISTER_BODIES]
    order = rng.sample(others, len(others)) + [o for o in respondents if o.name in REGISTER_BODIES]
    late = []
    if plan.year == 2022:
        late = [_london(2022, 9, 5, 11) + datetime.timedelta(days=11 * n) for n in range(6)]
        late += [_london(2022, 12, 5, 15), _london(2023, 1, 6, 12), _london(2023, 1, 12, 16)]
    times = {}
    window = (plan.deadline - plan.opens).total_seconds()
    for number, organisation in enumerate(order):
        if number < len(late):
            times[organisation.pk] = late[number]
        else:
            times[organisation.pk] = plan.opens + datetime.timedelta(seconds=rng.uniform(0.15, 0.98) * window)
    return times


def _contacts(campaign: Campaign) -> None:
    """Illustrative named contacts at every invited body (addresses in the reserved .example domain)."""
    for invitation in campaign.invitations.select_related('organisation'):
        if not invitation.contacts.exists():
            slug = invitation.organisation.slug
            Contact.objects.create(
                invitation=invitation,
                name=f'Senior Responsible Officer, {invitation.organisation}',
                email=f'sro@{slug}.police.example',
                role='Senior Responsible Officer',
            )


def _historic(plan: CampaignPlan, questionnaire, concern_list, group, resolver, log) -> None:
    bodies = list(Organisation.objects.bodies().filter(groups=group).order_by('name'))
    respondents = [o for o in bodies if plan.year != 2022 or o.name not in NON_RESPONDENTS_2022]
    campaign = create_campaign(
        None,
        title=f'Police survey {plan.year}',
        slug=plan.slug,
        year=plan.year,
        questionnaire=questionnaire,
        concern_list=concern_list,
        recipients_group=group,
        opens_at=plan.opens,
        deadline=plan.deadline,
        late_cutoff=plan.cutoff,
        description=f'{ILLUSTRATIVE} Dates are illustrative; the findings are published at {REPORT}.',
        reminder_interval_days=14,
        illustrative=True,
    )
    _contacts(campaign)
    open_campaign(None, campaign, now=plan.opens)
    silent = get_connection(SILENT)
    send_invitations(None, campaign, now=plan.opens + datetime.timedelta(minutes=30), connection=silent)
    builder = Builder(plan, respondents, resolver)
    register_bodies = [o for o in respondents if o.name in REGISTER_BODIES] if plan.year == 2022 else []
    builder.build(register_bodies)
    corrected = builder.add_published_bwv() if plan.year == 2022 else []
    rng = random.Random(f'oversight-demo-surveys:{plan.slug}:times')
    submitted = _submission_times(plan, respondents, rng)
    # Returns arrive in waves between reminders, so reminders go only to bodies still outstanding.
    reminder_times = [campaign.invitations.first().sent_at + datetime.timedelta(days=14 * n) for n in (1, 2, 3)]
    imported = set()
    for moment in [*reminder_times, None]:
        wave = [o for o in respondents if o.pk not in imported and (moment is None or submitted[o.pk] < moment)]
        if wave:
            import_returns(
                None, plan.slug, _csv(builder.rows(wave, submitted)), file_name='demo.csv', illustrative=True
            )
            imported |= {o.pk for o in wave}
        if moment is not None:
            send_due_reminders(now=moment, campaign=campaign, connection=silent)
    supplement_answers(None, campaign, {o.pk: builder.other_answers(o) for o in respondents})
    _review(campaign, plan, submitted, rng)
    for organisation, manufacturer in zip(corrected, BWV_CORRECTED_TO[: len(corrected)], strict=True):
        survey_return = campaign.returns.get(organisation=organisation)
        lines = survey_return.answers['body_worn_video.manufacturers']
        number = next(n for n, line in enumerate(lines, 1) if line['manufacturer'] == PUBLISHED_BWV.manufacturer)
        record_correction(
            None,
            survey_return,
            field=f'body_worn_video.manufacturers.{number}.manufacturer',
            new_value=manufacturer,
            reason='The return gave the impression that the force used Hikvision body-worn cameras; subsequent '
            f'enquiries showed its body-worn cameras are made by {manufacturer} (illustrative).',
            source=UPDATE_SOURCE,
            date=datetime.date(2023, 3, 1),
            publish_as_update=True,
            now=_london(2023, 3, 1, 10),
        )
    close_campaign(None, campaign)
    late = campaign.returns.late().count()
    log(f'{campaign}: {len(respondents)} of {len(bodies)} returns ({late} late), illustrative.')


def _review(campaign: Campaign, plan: CampaignPlan, submitted, rng: random.Random) -> None:
    """Accept every return; two first go back with a query that the body answers."""
    returns = list(campaign.returns.select_related('invitation', 'organisation').order_by('organisation__name'))
    queried = {r.pk for r in rng.sample(returns, 2)}
    for survey_return in returns:
        reviewed = submitted[survey_return.organisation_id] + datetime.timedelta(days=rng.randint(3, 12))
        if survey_return.pk in queried:
            query = return_with_query(
                None,
                survey_return,
                'Please confirm the number of external CCTV cameras: it differs from your last return.',
                now=reviewed,
                connection=get_connection(SILENT),
            )
            survey_return.refresh_from_db()
            answer_queries(
                None,
                survey_return,
                {query.pk: 'Confirmed: cameras were added in two town centres since the last survey.'},
                survey_return.answers,
                now=reviewed + datetime.timedelta(days=4),
            )
            survey_return.refresh_from_db()
            reviewed += datetime.timedelta(days=7)
        accept_return(None, survey_return, now=reviewed)


def _open_campaign(questionnaire, concern_list, group, log) -> None:
    """A campaign open now, so the return form can be tried: Essex Police has a draft, Kent Police has not begun."""
    now = timezone.now()
    year = timezone.localdate().year
    slug = f'police-{year}-demo'
    if Campaign.objects.filter(slug=slug).exists():
        log(f'{slug} already loaded; left as it is.')
        return
    version = Questionnaire.objects.filter(slug=f'police-{year}').first() or copy_questionnaire(
        None, questionnaire, slug=f'police-{year}', title=questionnaire.title
    )
    campaign = create_campaign(
        None,
        title=f'Police survey {year} (demo, open)',
        slug=slug,
        year=year,
        questionnaire=version,
        concern_list=concern_list,
        recipients_group=group,
        opens_at=now - datetime.timedelta(days=7),
        deadline=now + datetime.timedelta(days=28),
        late_cutoff=now + datetime.timedelta(days=56),
        description=f'{ILLUSTRATIVE} Open so the return form can be tried; invitations go to the demo editors.',
        illustrative=True,
    )
    open_campaign(None, campaign)
    sent, _without = send_invitations(None, campaign)
    essex = campaign.invitations.filter(organisation__name='Essex Police').first()
    if essex is not None:
        draft = prefilled_answers(essex.organisation)
        draft['governance.sro_name'] = 'Senior Responsible Officer, Essex Police'
        save_draft(None, essex, draft)
    log(f'{campaign}: open until {campaign.deadline:%d %B %Y}; {sent} invitation emails sent.')


def load(log) -> None:
    group = OrganisationGroup.objects.filter(slug=DEFAULT_GROUP).first()
    concern_list = ConcernList.objects.filter(slug=DEFAULT_CONCERN_LIST).first()
    questionnaire = Questionnaire.objects.filter(slug=DEFAULT_QUESTIONNAIRE).first()
    if group is None or concern_list is None or questionnaire is None:
        log('The policing group, the obscc-2022 concern list or the police questionnaire is missing; skipped.')
        return
    resolver = ConcernResolver(concern_list)
    for plan in PLANS:
        if Campaign.objects.filter(slug=plan.slug).exists():
            log(f'{plan.slug} already loaded; left as it is.')
            continue
        _historic(plan, questionnaire, concern_list, group, resolver, log)
    _open_campaign(questionnaire, concern_list, group, log)
