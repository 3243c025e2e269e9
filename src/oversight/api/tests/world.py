"""A world of two bodies for access-control tests: every kind of object each body owns, marked so a leak shows.

Kent Police (body A) and Essex Police (body B) each get sites, systems (the first with its governance
record), equipment lines, a pending import, a scan token and a scan, a group of their own, and a return
to an open campaign (A's accepted and corrected, B's returned with a query); the regulator has a draft
campaign no body may see. Every text a body owns carries its marker (KENTMARK, ESSEXMARK); device
quantities are numbers found nowhere else, so a count or a total that includes another body's devices
shows in a page as that number.
Some texts start with =, +, - or @, so every export can be checked for formula injection.

Everything is made through the apps' actions, as people would make it.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oversight.accounts.models import User
from oversight.compliance import actions as compliance_actions
from oversight.compliance.models import Principle, ReviewTask
from oversight.discovery import actions as discovery_actions
from oversight.discovery.models import Scan
from oversight.discovery.results import HostResult, ScanMeta
from oversight.findings import actions as findings_actions
from oversight.jobs import actions as job_actions
from oversight.jobs.models import Job
from oversight.organisations import actions as organisation_actions
from oversight.organisations.models import Organisation, OrganisationGroup
from oversight.policy import actions as policy_actions
from oversight.policy.evaluation import evaluate_register
from oversight.register import actions as register_actions
from oversight.register.models import Category, EquipmentLine, ImportBatch, Site
from oversight.surveys.actions.campaigns import create_campaign, open_campaign
from oversight.surveys.actions.corrections import record_correction
from oversight.surveys.actions.returns import accept_return, return_with_query, save_draft, submit_return
from oversight.surveys.models import Questionnaire
from oversight.vendors.models import ConcernList

FORMULA_PREFIXES = ('=', '+', '-', '@')
# Quantities of B's lines, and the totals they make: none of these numbers may show in A's pages.
B_QUANTITIES = (48611, 33599, 27131)
A_QUANTITIES = (12, 5, 3)


def _numbers(*values: int) -> set[str]:
    """A number as pages print it: plain and with thousands separators."""
    return {text for v in values for text in (str(v), f'{v:,}')}


@dataclass
class Body:
    organisation: Organisation
    marker: str
    editor: User
    admin: User  # the body's administrator: everything its editor may, and its people
    viewer: User
    sites: list = field(default_factory=list)
    systems: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    batch: ImportBatch | None = None
    job: Job | None = None  # the commit of that import, failed: its page lists the file's problems
    token: object = None
    token_secret: str = ''
    scan: Scan | None = None
    group: OrganisationGroup | None = None
    invitation: object = None
    survey_return: object = None
    # An invitation to a second open campaign, its return a draft: the return form is open to its editors.
    draft_invitation: object = None
    evidence: object = None  # a document evidencing the first system's governance
    assessment: object = None  # the first system's open self-assessment, one principle answered
    review_task: object = None  # raised for the first system when its lines were added after its DPIA
    obligation: object = None  # an obligation to replace the first line, decided (replacement ordered)
    transparency: object = None  # the body's transparency page, published once and withdrawn (not public)

    @property
    def own_maker(self):
        """The maker only this body's register has (A's third line is Dahua, B's Huawei): a list of makers
        narrowed to what a user has shows it only to this body's users."""
        return self.lines[2].made_by

    @property
    def device(self):
        return self.scan.devices.order_by('pk').first()

    def owned_urls(self) -> set[str]:
        """The pages of this body's own objects: another body's pages must never link to them."""
        objects = [*self.sites, *self.systems, *self.lines, self.scan, self.device, self.survey_return]
        urls = {obj.get_absolute_url() for obj in objects}
        urls |= {f'/api/register/sites/{s.pk}/' for s in self.sites}
        urls |= {f'/compliance/systems/{s.pk}/' for s in self.systems}
        urls |= {self.evidence.get_absolute_url(), self.assessment.get_absolute_url()}
        urls |= {f'/api/compliance/review-tasks/{self.review_task.pk}/'}
        urls |= {f'/api/register/equipment/{line.pk}/' for line in self.lines}
        urls |= {self.invitation.get_absolute_url(), self.batch.get_absolute_url(), self.group.get_absolute_url()}
        urls |= {self.job.get_absolute_url(), f'/api/jobs/{self.job.pk}/'}
        return urls


@dataclass
class World:
    regulator: User
    a: Body
    b: Body
    campaign: object
    draft_campaign: object
    spring_campaign: object
    report_version: object = None

    def canaries_of(self, body: Body) -> set[str]:
        """Strings that may appear only to this body's users and the regulator."""
        strings = {body.marker, body.editor.username, body.admin.username, body.viewer.username}
        strings.add(body.organisation.name)
        # Whole names too: a search for the marker shows the marker, but never another body's rows.
        strings |= {o.name for o in [*body.sites, *body.systems, body.group]}
        strings |= {text for line in body.lines for text in (line.model, line.serial_number) if text}
        strings |= {body.organisation.slug + '/'} | body.owned_urls()
        if body is self.b:
            # A's quantities are small numbers that occur everywhere; B's are unique, and so are totals with them.
            concern = B_QUANTITIES[0] + B_QUANTITIES[2]
            strings |= _numbers(*B_QUANTITIES, sum(B_QUANTITIES), sum(B_QUANTITIES) + sum(A_QUANTITIES))
            strings |= _numbers(concern, concern + A_QUANTITIES[0] + A_QUANTITIES[2])
        return strings

    @property
    def hidden_from_bodies(self) -> set[str]:
        """The regulator's draft campaign: no body sees it before it opens."""
        return {'DRAFTMARK'}


def _user(username: str, organisation, role: str) -> User:
    return User.objects.create_user(username=username, password=f'pw-{username}', organisation=organisation, role=role)


def _concern_list() -> ConcernList:
    return ConcernList.objects.filter(slug='obscc-2022').first() or ConcernList.objects.create(
        slug='obscc-2022',
        name="Commissioner's 2022 police survey: manufacturers of concern",
        authority='Biometrics and Surveillance Camera Commissioner',
        instrument='Police survey 2022 findings',
        jurisdiction='England and Wales',
        date=datetime.date(2023, 2, 15),
        source_url='https://www.gov.uk/government/publications/police-survey-2022-responses-and-key-findings',
    )


def complete_answers(marker: str, cameras: int, line_quantity: int) -> dict:
    """Answers to the police questionnaire complete enough to submit, with the body's marks in them."""
    answers = {f'{c}.operates': 'no' for c in Category.values}
    answers.update(
        {
            'external_cctv.operates': 'yes',
            'external_cctv.systems': f'={marker} town-centre CCTV',
            'external_cctv.cameras': str(cameras),
            'external_cctv.concern_equipment': 'yes',
            'external_cctv.aware_of_concerns': 'yes',
            'external_cctv.capabilities': ['video'],
            'external_cctv.manufacturers': [
                {'manufacturer': 'Hikvision', 'brand': '', 'model': f'@{marker}-DS', 'quantity': str(line_quantity)}
            ],
            'governance.sro_name': f'{marker} Chief',
            'governance.sro_role': 'Assistant Chief Constable',
            'governance.dpia': 'yes',
            'governance.dpia_reviewed': '2022-03-01',
            'governance.certification': 'none',
            'governance.contact_point': 'no',
        }
    )
    answers.update({f'governance.principle_{n}': 'compliant' for n in range(1, 13)})
    return answers


def body_obligations(body: Body) -> list:
    """The obligations of the body's first line, as its editor's policy page evaluates them today."""
    lines = EquipmentLine.objects.filter(pk=body.lines[0].pk)
    return evaluate_register(lines, body.editor, timezone.localdate()).obligations


def _register(body: Body, quantities, own_maker: str) -> None:
    editor, marker, organisation = body.editor, body.marker, body.organisation
    body.sites = [
        register_actions.create_site(
            editor,
            organisation,
            name=f'{marker} Custody Suite',
            address=f'=HYPERLINK("http://example.invalid/{marker}")',
            postcode='ZZ9 9ZZ',
            kind=Site.Kind.CUSTODY,
            sensitive=True,
        ),
        register_actions.create_site(editor, organisation, name=f'{marker} Roadside', address=f'+{marker} A2 verge'),
    ]
    body.systems = [
        register_actions.create_system(
            editor,
            organisation,
            name=f'{marker} Custody CCTV',
            category=Category.INTERNAL_CCTV,
            description=f'@{marker}',
        ),
        register_actions.create_system(editor, organisation, name=f'{marker} ANPR', category=Category.ANPR),
    ]
    site, roadside = body.sites
    cctv, anpr = body.systems
    compliance_actions.record_governance(
        editor,
        cctv,
        purpose=f'={marker} safety of detained persons',
        sro_name=f'{marker} Chief Superintendent',
        dpia_completed_on=datetime.date(2025, 1, 6),
        dpia_review_due=datetime.date(2030, 1, 6),
        certification_body='nsi',
        certification_step='step_2',
        certified_on=datetime.date(2024, 3, 1),
        certification_expires=datetime.date(2029, 3, 1),
        facial_recognition='none',
    )
    body.evidence = compliance_actions.add_evidence(
        editor,
        cctv,
        SimpleUploadedFile(f'{marker}-dpia.pdf', f'%PDF-1.7 {marker} DPIA\n%%EOF\n'.encode()),
        title=f'{marker} DPIA',
    )
    compliance_actions.publish_transparency(editor, organisation)
    body.transparency = compliance_actions.unpublish_transparency(editor, organisation)
    body.assessment = compliance_actions.start_assessment(editor, cctv)
    compliance_actions.answer_principle(
        editor, body.assessment, Principle.objects.get(number=3), response='partly', comment=f'={marker} answer'
    )
    body.lines = [
        register_actions.create_line(
            editor,
            organisation,
            site=site,
            system=cctv,
            manufacturer_declared='Hikvision',
            model=f'-{marker}-DS-2CD',
            serial_number=f'@{marker}-serial',
            notes=f'={marker} notes',
            quantity=quantities[0],
        ),
        register_actions.create_line(
            editor,
            organisation,
            site=roadside,
            system=anpr,
            manufacturer_declared='Axis',
            model=f'{marker}-Q1',
            quantity=quantities[1],
        ),
        register_actions.create_line(
            editor,
            organisation,
            site=site,
            system=anpr,
            manufacturer_declared=own_maker,
            model=f'+{marker}-IPC',
            quantity=quantities[2],
        ),
    ]
    body.review_task = ReviewTask.objects.get(system=cctv, kind=ReviewTask.Kind.DPIA_CHANGE)
    body.obligation = next(o for o in body_obligations(body) if o.rule.replace)
    policy_actions.record_decision(
        editor, body.obligation, decision='replace', progress='ordered', ordered_on=datetime.date(2026, 1, 5),
        reason=f'={marker} decision',
    )  # fmt: skip
    csv = f'name,address,postcode,kind,sensitive\n{marker} Depot,={marker} import,,other,no\n'.encode()
    body.batch = register_actions.upload_import(
        editor, organisation, ImportBatch.Kind.SITES, f'{marker}-sites.csv', csv
    )
    body.job = job_actions.queue_register_import(editor, body.batch)
    job_actions.claim_job(body.job.pk, body.job.attempt)
    job_actions.fail_job(
        body.job.pk, body.job.attempt, [{'row': 2, 'column': 'kind', 'message': f'{marker} is no kind'}]
    )
    body.job.refresh_from_db()


def _discovery(body: Body) -> None:
    body.token, body.token_secret = discovery_actions.create_token(
        body.editor, body.organisation, f'{body.marker} agent'
    )
    meta = ScanMeta(tool=f'{body.marker} scanner', organisation=body.organisation.slug, scope=['10.9.8.0/29'])
    host = HostResult(
        address='10.9.8.2',
        state='up',
        observed={'manufacturer': f'{body.marker} Cam', 'model': f'={body.marker}-CAM', 'mac': 'C0:56:E3:4A:10:07'},
        sources={'manufacturer': 'onvif', 'model': 'onvif', 'mac': 'onvif'},
        probes={
            'onvif': {'manufacturer': f'{body.marker} Cam', 'model': f'={body.marker}-CAM', 'mac': 'C0:56:E3:4A:10:07'}
        },
    )
    content = '\n'.join([meta.to_json(), host.to_json()]).encode()
    body.scan = discovery_actions.record_scan(
        body.editor, body.organisation, content, source=Scan.Source.FILE, filename=f'{body.marker}-scan.jsonl'
    )


def _campaign(regulator, slug: str, title: str, recipients, *, open_now: bool):
    now = timezone.now()
    campaign = create_campaign(
        regulator,
        title=title,
        slug=slug,
        year=now.year,
        questionnaire=Questionnaire.objects.get(slug='police-2022'),
        concern_list=_concern_list(),
        recipients=recipients,
        opens_at=now - datetime.timedelta(days=10),
        deadline=now + datetime.timedelta(days=10),
        late_cutoff=now + datetime.timedelta(days=20),
    )
    return open_campaign(regulator, campaign) if open_now else campaign


def build_world(*, published_report: bool = False) -> World:
    """The world; `published_report` adds a published findings report of the main campaign (slower: a PDF)."""
    regulator_org = Organisation.objects.get(slug='obscc')
    regulator = _user('regulator', regulator_org, User.Role.REGULATOR)
    bodies = []
    # Both makers are of concern, so B's devices of concern stay its first and third lines.
    for name, marker, prefix, quantities, own_maker in (
        ('Kent Police', 'KENTMARK', 'a', A_QUANTITIES, 'Dahua'),
        ('Essex Police', 'ESSEXMARK', 'b', B_QUANTITIES, 'Huawei'),
    ):
        organisation = Organisation.objects.get(name=name)
        body = Body(
            organisation=organisation,
            marker=marker,
            editor=_user(f'editor_{prefix}', organisation, User.Role.EDITOR),
            admin=_user(f'admin_{prefix}', organisation, User.Role.ADMINISTRATOR),
            viewer=_user(f'viewer_{prefix}', organisation, User.Role.VIEWER),
        )
        _register(body, quantities, own_maker)
        _discovery(body)
        body.group = organisation_actions.create_group(regulator, name=f'{marker} partnership')
        organisation_actions.add_members(regulator, body.group, [organisation])
        bodies.append(body)
    a, b = bodies
    recipients = [a.organisation, b.organisation]
    campaign = _campaign(regulator, 'police-survey', 'Police survey', recipients, open_now=True)
    draft_campaign = _campaign(regulator, 'draft-survey', 'DRAFTMARK next survey', recipients, open_now=False)
    spring_campaign = _campaign(regulator, 'spring-survey', 'Spring survey', recipients, open_now=True)
    for body, cameras, line_quantity in ((a, 40, 30), (b, 90417, 61223)):
        body.invitation = campaign.invitations.get(organisation=body.organisation)
        body.survey_return = submit_return(
            body.editor, body.invitation, complete_answers(body.marker, cameras, line_quantity)
        )
    a.survey_return = accept_return(regulator, a.survey_return)
    record_correction(
        regulator,
        a.survey_return,
        field='governance.sro_name',
        new_value='KENTMARK Deputy',
        reason='=KENTMARK reason',
        source='KENTMARK letter',
        date=timezone.localdate(),
    )
    return_with_query(regulator, b.survey_return, 'ESSEXMARK: which model are the 61223 cameras?')
    for body in (a, b):
        body.invitation.refresh_from_db()
        body.survey_return.refresh_from_db()
        body.draft_invitation = spring_campaign.invitations.get(organisation=body.organisation)
        save_draft(body.editor, body.draft_invitation, {'governance.sro_name': f'{body.marker} Draft'})
    world = World(regulator, a, b, campaign, draft_campaign, spring_campaign)
    if published_report:
        report = findings_actions.create_report(regulator, campaign)
        world.report_version = findings_actions.publish_report(regulator, report)
    return world


def scan_upload(body: Body, address: str = '10.9.8.3') -> bytes:
    """A one-host scan of the body's network, as the discovery agent uploads it."""
    meta = ScanMeta(tool='agent', organisation=body.organisation.slug)
    host = HostResult(address=address, state='up', observed={'manufacturer': 'Axis'}, sources={'manufacturer': 'onvif'})
    return '\n'.join([meta.to_json(), host.to_json()]).encode()
