"""Proof of access control: every page and every API operation, as every role, in a world of two bodies.

The world (oversight.api.tests.world) gives Kent Police (body A) and Essex Police (body B) one of every
kind of object, each text marked with its body's marker and B's device quantities numbers found nowhere
else. For every URL the resolver knows and every operation in the OpenAPI schema, each role is checked:

- regulator staff, A's editor, A's administrator, A's viewer, B's editor (the "other" body, asking for A's
  objects), and an anonymous visitor get exactly the status this table says (a 404, never a 403, for another
  body's object); an anonymous visitor is sent to sign in, or refused, everywhere but the pages named public;
- nothing any body's user receives (pages, partials, exports, JSON, embedded charts) contains the other
  body's marker, names, object addresses, or device counts and totals including B's devices, and nothing an
  anonymous visitor receives (the statements, the public publication) contains either body's;
- every form and filter on those pages offers choices only from the user's own scope;
- every CSV and XLSX neutralises cells that begin with =, +, - or @;
- every page carries the Content Security Policy and nothing it would block;
- POSTs by those who may not write are refused and change nothing, and a POST without a CSRF token is
  refused even from those who may;
- what A's users see does not change at all when B's data changes (non-interference: counts, charts,
  totals and search results cannot depend on another body's rows).

A URL added without a line in PAGES (or an API operation without one in API) fails
`test_every_url_is_classified`, so new pages are covered from the day they exist.
"""

import ast
import base64
import csv
import datetime
import io
import pathlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from api_fixtures import ROLES, client_for, user_for
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.db import transaction
from django.forms import BaseForm, ModelChoiceField
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook
from rest_framework.test import APIClient

from oversight.api.policy import obligation_id
from oversight.api.tests.world import World, scan_upload
from oversight.compliance import actions as compliance_actions
from oversight.compliance.models import PlanAction, Principle
from oversight.core.models import ObjectChange
from oversight.core.views import ObjectListView
from oversight.discovery import actions as discovery_actions
from oversight.findings.downloads import TABLES
from oversight.organisations.models import OrganisationGroup
from oversight.register import actions as register_actions
from oversight.register.models import EquipmentLine
from oversight.surveys.models import Invitation, Return
from oversight.vendors.models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName

pytest_plugins = ['api_fixtures']  # the module-scoped `world`

LOGIN = 'login'  # redirected to the sign-in page
OK = 'ok'  # allowed to write: not exercised here (each app's tests do)


def expect(text: str) -> dict[str, str]:
    """'200 200 200 200 404 login' -> what each role in ROLES gets."""
    codes = text.split()
    assert len(codes) == len(ROLES), text
    return dict(zip(ROLES, codes, strict=True))


@dataclass(frozen=True)
class Case:
    get: str  # what each role gets for a GET
    kwargs: Callable[[World], dict] = lambda w: {}
    post: str | None = None  # what each role gets for a POST (None: the URL takes no POST)
    queries: tuple[str, ...] = ()  # extra GET variants: exports, searches, filters
    label: str = ''
    suffix: str = ''  # a query string the URL always has


@dataclass(frozen=True)
class Page:
    cases: tuple[Case, ...]
    # Published findings are public aggregates: they name bodies (non-respondents) by design.
    public_aggregate: bool = False


def page(get, kwargs=lambda w: {}, post=None, queries=(), **options) -> Page:
    return Page((Case(get, kwargs, post, queries),), **options)


EVERYONE = '200 200 200 200 200 login'
OWN_OBJECT = '200 200 200 200 404 login'  # an object of body A
REGULATOR_ONLY = '200 403 403 403 403 login'
A_EDITORS = '403 200 200 403 404 login'  # a change to body A's object
BODY_EDITORS = '403 200 200 403 200 login'  # a page where a body's editors change their own body's data
REFUSED_POST = '403 ok ok 403 404 login'  # a POST to change body A's object
REGULATOR_POST = 'ok 403 403 403 403 login'  # a POST only regulator staff may make
DRAFT_ONLY = '200 404 404 404 404 login'  # the regulator's drafts: nobody else knows they exist
DRAFT_POST = 'ok 404 404 404 404 login'
PUBLIC = '200 200 200 200 200 200'  # published findings: no sign-in
NOWHERE = '404 404 404 404 404 404'
ADMINISTERED = '404 404 200 404 404 login'  # a page on A's editor, whom A's administrator alone runs
ADMINISTERED_POST = '404 404 ok 404 404 login'  # an address of nothing published: the same answer for everyone
FORMATS = ('csv', 'xlsx')
EXPORTS = tuple(f'?export={fmt}' for fmt in FORMATS)


def first(model, **lookup):
    return model.objects.filter(**lookup).order_by('pk').first()


def a(attribute: str, key: str = 'pk', *, prop: str = 'pk'):
    """kwargs with an object of body A: a('sites.0') -> {'pk': A's first site's pk}."""

    def build(w: World) -> dict:
        obj = w.a
        for part in attribute.split('.'):
            obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
        return {key: getattr(obj, prop)}

    return build


def plan_action(w: World):
    """An action on the plan of A's open self-assessment, made through its action on first asking (the world has
    none), inside the asking test's own transaction like everything it writes. Its text is one the world holds
    already (the evidence's title), so the Welsh page walk, which reads the stored text first, takes it for data."""
    made = first(PlanAction, assessment=w.a.assessment)
    return made or compliance_actions.add_plan_action(
        w.a.editor, w.a.assessment, Principle.objects.get(number=3), action=w.a.evidence.title, owner='DPO'
    )


def decision_kwargs(obligation) -> dict:
    rule_set, rule = obligation.rule.key.split('/')
    slug = obligation.line.organisation.slug
    return {'slug': slug, 'line': obligation.line.pk, 'rule_set': rule_set, 'rule': rule}


PAGES: dict[str, Page] = {
    'core:home': page(EVERYONE),
    # Probes for the orchestrator: anyone, revealing nothing; metrics only with OVERSIGHT_METRICS_TOKEN
    'core:healthz': page('200 200 200 200 200 200'),
    'core:readyz': page('200 200 200 200 200 200'),
    'core:metrics': page('404 404 404 404 404 404'),
    'core:accessibility': page('200 200 200 200 200 200'),
    'core:privacy': page('200 200 200 200 200 200'),
    'core:cookies': page('200 200 200 200 200 200'),
    'core:contact': page('200 200 200 200 200 200'),
    # Accounts
    # Signing in and out, password reset, email verification, second factors: django-allauth's pages.
    # Signed-in people asking for the sign-in page are sent home; sign-up is closed (there is none).
    'account_login': page('302 302 302 302 302 200'),
    'account_logout': page('200 200 200 200 200 302'),
    'account_signup': page('302 302 302 302 302 200'),
    'account_inactive': page('200 200 200 200 200 200'),
    'account_reset_password': page('200 200 200 200 200 200'),
    'account_reset_password_done': page('200 200 200 200 200 200'),
    'account_reset_password_from_key': page('200 200 200 200 200 200', lambda w: {'uidb36': '1', 'key': 'not-a-key'}),
    'account_reset_password_from_key_done': page('200 200 200 200 200 200'),
    'account_email_verification_sent': page('200 200 200 200 200 200'),
    'account_confirm_email': page('200 200 200 200 200 200', lambda w: {'key': 'not-a-key'}),
    'account_change_password': page(EVERYONE),
    'account_set_password': page('302 302 302 302 302 login'),
    'account_email': page(EVERYONE),
    'account_reauthenticate': page(EVERYONE),
    'account_request_reauthentication_code': page('302 302 302 302 302 login'),
    'account_confirm_reauthentication_code': page('302 302 302 302 302 login'),
    'account_confirm_login_code': page('302 302 302 302 302 302'),
    # Second factors: adding or changing one asks for the password again first (302 to reauthenticate).
    'mfa_index': page(EVERYONE),
    'mfa_authenticate': page('302 302 302 302 302 302'),
    'mfa_reauthenticate': page('302 302 302 302 302 login'),
    'mfa_activate_totp': page('302 302 302 302 302 login'),
    'mfa_deactivate_totp': page('404 404 404 404 404 login'),  # none of them has an authenticator app
    'mfa_generate_recovery_codes': page('302 302 302 302 302 login'),
    'mfa_view_recovery_codes': page('404 404 404 404 404 login'),
    'mfa_download_recovery_codes': page('404 404 404 404 404 login'),
    'mfa_list_webauthn': page(EVERYONE),
    'mfa_add_webauthn': page('302 302 302 302 302 login'),
    'mfa_reauthenticate_webauthn': page('302 302 302 302 302 login'),
    'mfa_edit_webauthn': page('302 302 302 302 302 login', lambda w: {'pk': 999}),
    'mfa_remove_webauthn': page('302 302 302 302 302 login', lambda w: {'pk': 999}),
    # Single sign-on (OpenID Connect): the page asking for a work address, open to all; an unknown provider is a 404.
    'accounts:sso': page('200 200 200 200 200 200'),
    'openid_connect_login': page('404 404 404 404 404 404', lambda w: {'provider_id': 'nobody'}),
    'openid_connect_callback': page('404 404 404 404 404 404', lambda w: {'provider_id': 'nobody'}),
    'socialaccount_connections': page(EVERYONE),
    'socialaccount_login_cancelled': page('200 200 200 200 200 200'),
    'socialaccount_login_error': page('401 401 401 401 401 401'),
    'socialaccount_signup': page('302 302 302 302 302 302'),
    'accounts:account': page(EVERYONE),
    'accounts:user_list': page('200 200 200 403 200 login', queries=EXPORTS),
    'accounts:user_detail': Page(
        (
            Case('200 200 200 404 404 login', a('editor'), label="A's editor"),
            Case('200 200 200 200 404 login', a('viewer'), label="A's viewer, who sees only themselves"),
        )
    ),
    # People (accounts.actions): body administrators run their own body's people, regulator staff the regulator's
    # people and bodies' administrators: A's editor is administered by A's administrator alone.
    'accounts:people': page('200 403 200 403 403 login', queries=EXPORTS),
    'accounts:invite': page('200 403 200 403 403 login', post='ok 403 ok 403 403 login'),
    'accounts:role_change': page(ADMINISTERED, a('editor'), post=ADMINISTERED_POST),
    'accounts:deactivate': page(ADMINISTERED, a('editor'), post=ADMINISTERED_POST),
    'accounts:reactivate': page(ADMINISTERED, a('editor'), post=ADMINISTERED_POST),
    'accounts:resend_invitation': page(ADMINISTERED, a('editor'), post=ADMINISTERED_POST),
    'accounts:second_factor_reset': page(ADMINISTERED, a('editor'), post=ADMINISTERED_POST),
    # An invitation's link is for someone not yet signed in; an unknown one is a 404 for everyone.
    'accounts:invitation': page(NOWHERE, lambda w: {'key': 'ovi_not-a-key'}, post=NOWHERE),
    # Your sessions (allauth.usersessions' address, taken over by accounts): each person's own; with one
    # session each there is no other to end.
    'accounts:sessions': page(EVERYONE),
    'usersessions_list': page(EVERYONE),
    'accounts:sessions_end_others': page('404 404 404 404 404 login', post='404 404 404 404 404 login'),
    'accounts:session_end': page('404 404 404 404 404 login', lambda w: {'pk': 999}, post='404 404 404 404 404 login'),
    # Organisations: the regulator's reference data; a body sees only itself
    'organisations:organisation_list': page(EVERYONE, queries=(*EXPORTS, '?q=Essex', '?q=Police')),
    'organisations:body_names': page(EVERYONE, queries=('?q=Essex', '?q=Police')),
    'organisations:organisation_create': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'organisations:organisation_import': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'organisations:organisation_import_preview': page('302 403 403 403 403 login', post='302 403 403 403 403 login'),
    'organisations:group_list': page(EVERYONE, queries=EXPORTS),
    'organisations:group_create': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'organisations:group_detail': page(OWN_OBJECT, a('group', 'slug', prop='slug')),
    'organisations:group_add_members': page(REGULATOR_ONLY, a('group', 'slug', prop='slug'), post=REGULATOR_POST),
    'organisations:group_member_remove': page(
        REGULATOR_ONLY,
        lambda w: {'slug': w.a.group.slug, 'organisation': w.a.organisation.slug},
        post=REGULATOR_POST,
    ),
    'organisations:organisation_detail': page(OWN_OBJECT, a('organisation', 'slug', prop='slug')),
    'organisations:organisation_language': page(
        REGULATOR_ONLY, a('organisation', 'slug', prop='slug'), post=REGULATOR_POST
    ),
    # Vendors: reference data every signed-in user reads and only the regulator changes
    'vendors:manufacturer_list': page(EVERYONE, queries=EXPORTS),
    'vendors:resolve': page(EVERYONE, queries=('?name=Honeywell', '?name=ESSEXMARK')),
    'vendors:manufacturer_add': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'vendors:manufacturer_detail': page(EVERYONE, lambda w: {'slug': first(Manufacturer).slug}),
    'vendors:manufacturer_edit': page(
        REGULATOR_ONLY, lambda w: {'slug': first(Manufacturer).slug}, post=REGULATOR_POST
    ),
    'vendors:name_add': page(REGULATOR_ONLY, lambda w: {'slug': first(Manufacturer).slug}, post=REGULATOR_POST),
    'vendors:relation_add': page(REGULATOR_ONLY, lambda w: {'slug': first(Manufacturer).slug}, post=REGULATOR_POST),
    'vendors:name_edit': page(REGULATOR_ONLY, lambda w: {'pk': first(ManufacturerName).pk}, post=REGULATOR_POST),
    'vendors:name_delete': page(REGULATOR_ONLY, lambda w: {'pk': first(ManufacturerName).pk}, post=REGULATOR_POST),
    'vendors:relation_edit': page(REGULATOR_ONLY, lambda w: {'pk': first(CorporateRelation).pk}, post=REGULATOR_POST),
    'vendors:relation_delete': page(REGULATOR_ONLY, lambda w: {'pk': first(CorporateRelation).pk}, post=REGULATOR_POST),
    'vendors:brand_list': page(EVERYONE, queries=EXPORTS),
    'vendors:brand_add': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'vendors:brand_detail': page(EVERYONE, lambda w: {'slug': first(Brand).slug}),
    'vendors:brand_edit': page(REGULATOR_ONLY, lambda w: {'slug': first(Brand).slug}, post=REGULATOR_POST),
    'vendors:concernlist_list': page(EVERYONE, queries=EXPORTS),
    'vendors:concernlist_add': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'vendors:concernlist_detail': page(EVERYONE, lambda w: {'slug': first(ConcernList).slug}),
    'vendors:concernlist_edit': page(REGULATOR_ONLY, lambda w: {'slug': first(ConcernList).slug}, post=REGULATOR_POST),
    'vendors:designation_add': page(REGULATOR_ONLY, lambda w: {'slug': first(ConcernList).slug}, post=REGULATOR_POST),
    'vendors:designation_edit': page(REGULATOR_ONLY, lambda w: {'pk': first(Designation).pk}, post=REGULATOR_POST),
    'vendors:designation_delete': page(REGULATOR_ONLY, lambda w: {'pk': first(Designation).pk}, post=REGULATOR_POST),
    # The register
    'register:equipment_list': page(
        EVERYONE,
        queries=(*EXPORTS, '?q=ESSEXMARK', '?q=KENTMARK', '?concern=yes', '?sensitive=yes', '?export=csv&q=Dahua'),
    ),
    'register:equipment_create': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'register:equipment_detail': page(OWN_OBJECT, a('lines.0')),
    'register:equipment_edit': page(A_EDITORS, a('lines.0'), post=REFUSED_POST),
    'register:equipment_delete': page(A_EDITORS, a('lines.0'), post=REFUSED_POST),
    'register:equipment_import': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'register:equipment_import_template': Page(
        (
            Case(EVERYONE, lambda w: {'fmt': 'csv'}),
            Case(EVERYONE, lambda w: {'fmt': 'xlsx'}),
            Case('404 404 404 404 404 login', lambda w: {'fmt': 'pdf'}),
        )
    ),
    'register:site_list': page(EVERYONE, queries=(*EXPORTS, '?q=ESSEXMARK', '?sensitive=yes')),
    'register:site_names': page(EVERYONE, queries=('?q=ESSEXMARK', '?q=a')),
    'register:site_create': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'register:site_detail': page(OWN_OBJECT, a('sites.0')),
    'register:site_edit': page(A_EDITORS, a('sites.0'), post=REFUSED_POST),
    'register:site_delete': page(A_EDITORS, a('sites.1'), post=REFUSED_POST),
    'register:site_import': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'register:site_import_template': Page((Case(EVERYONE, lambda w: {'fmt': 'csv'}),)),
    'register:system_list': page(EVERYONE, queries=(*EXPORTS, '?q=ESSEXMARK', '?category=anpr')),
    'register:system_names': page(EVERYONE, queries=('?q=ESSEXMARK', '?q=a')),
    'register:system_create': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'register:system_detail': page(OWN_OBJECT, a('systems.0')),
    'register:system_import': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'register:system_import_template': Page((Case(EVERYONE, lambda w: {'fmt': 'csv'}),)),
    'register:system_edit': page(A_EDITORS, a('systems.0'), post=REFUSED_POST),
    'register:system_delete': page(A_EDITORS, a('systems.1'), post=REFUSED_POST),
    # Compliance: governance records of systems
    'compliance:governance_list': page(
        EVERYONE, queries=(*EXPORTS, '?q=ESSEXMARK', '?dpia=in_date', '?certification=expiring')
    ),
    'compliance:governance_detail': page(OWN_OBJECT, a('systems.0')),
    'compliance:principle_list': page(EVERYONE),
    'compliance:evidence_add': page(A_EDITORS, a('systems.0'), post=REFUSED_POST),
    'compliance:evidence_download': page(OWN_OBJECT, a('evidence')),
    'compliance:evidence_delete': page(A_EDITORS, a('evidence'), post=REFUSED_POST),
    'compliance:assessment_start': page(A_EDITORS, a('systems.0'), post=REFUSED_POST),
    # Before the assessment's page, so walks over every page (axe, Welsh) see its plan with the action's Change link.
    'compliance:assessment_plan_change': page(
        A_EDITORS, lambda w: {'pk': w.a.assessment.pk, 'action': plan_action(w).pk}, post=REFUSED_POST
    ),
    'compliance:assessment_detail': page(OWN_OBJECT, a('assessment')),
    'compliance:assessment_answer': page(
        A_EDITORS, lambda w: {'pk': w.a.assessment.pk, 'number': 3}, post=REFUSED_POST
    ),
    'compliance:assessment_plan_add': page(
        A_EDITORS, lambda w: {'pk': w.a.assessment.pk, 'number': 3}, post=REFUSED_POST
    ),
    'compliance:assessment_freeze': page(A_EDITORS, a('assessment'), post=REFUSED_POST),
    'compliance:assessment_discard': page(A_EDITORS, a('assessment'), post=REFUSED_POST),
    'compliance:governance_edit': page(A_EDITORS, a('systems.0'), post=REFUSED_POST),
    'compliance:task_list': page(EVERYONE, queries=(*EXPORTS, '?kind=dpia_change', '?state=done', '?state=')),
    'compliance:task_counts': page(REGULATOR_ONLY, queries=('?kind=undeclared', '?state=')),
    'compliance:task_detail': page(OWN_OBJECT, a('review_task')),
    'compliance:task_resolve': page(A_EDITORS, a('review_task'), post=REFUSED_POST),
    # Publishing on the transparency page: a body's editors (and administrators) publish their own body's; the
    # regulator has no page of its own (404) and sees the list of bodies that publish.
    'compliance:assessment_group': page(A_EDITORS, a('assessment'), post=REFUSED_POST),
    'compliance:assessment_publish': page(A_EDITORS, a('assessment'), post=REFUSED_POST),
    'compliance:assessment_unpublish': page(A_EDITORS, a('assessment'), post=REFUSED_POST),
    'compliance:transparency': page(EVERYONE),
    'compliance:transparency_publish': page('404 200 200 403 200 login', post='404 ok ok 403 ok login'),
    'compliance:transparency_unpublish': page('404 200 200 403 200 login', post='404 ok ok 403 ok login'),
    # The public transparency pages: no sign-in; a body that does not publish (A, in this world) is a 404 for all.
    'transparency:list': page(PUBLIC),
    'transparency:body': page(NOWHERE, lambda w: {'slug': w.a.organisation.slug}),
    'register:import_preview': page(A_EDITORS, a('batch')),
    'register:import_commit': page('403 405 405 403 404 login', a('batch'), post=REFUSED_POST),
    'register:import_discard': page(A_EDITORS, a('batch'), post=REFUSED_POST),
    # Surveys
    'surveys:campaign_list': page(EVERYONE, queries=EXPORTS),
    'surveys:campaign_create': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'surveys:returns_import': page(REGULATOR_ONLY, post=REGULATOR_POST),
    'surveys:questionnaire_detail': page(EVERYONE, lambda w: {'slug': 'police-2022'}),
    'surveys:questionnaire_new_version': page(REGULATOR_ONLY, lambda w: {'slug': 'police-2022'}, post=REGULATOR_POST),
    'surveys:invitation_token': page('302 302 302 302 404 login', a('invitation', 'token', prop='token')),
    'surveys:invitation_detail': Page(
        (
            Case(OWN_OBJECT, a('invitation')),
            Case(DRAFT_ONLY, lambda w: {'pk': w.draft_campaign.invitations.first().pk}, label='draft'),
        )
    ),
    'surveys:return_edit': page(A_EDITORS, a('draft_invitation')),
    'surveys:return_section': Page(
        (
            Case(A_EDITORS, lambda w: {'pk': w.a.draft_invitation.pk, 'code': 'governance'}, post=REFUSED_POST),
            Case(
                '403 404 404 403 404 login',
                lambda w: {'pk': w.a.draft_invitation.pk, 'code': 'lasers'},
                label='no such section',
            ),
        )
    ),
    # Redirected to the task list until every section is complete (the journey tests go further).
    'surveys:return_check': page('403 302 302 403 404 login', a('draft_invitation'), post='403 302 302 403 404 login'),
    'surveys:return_declare': page(
        '403 302 302 403 404 login', a('draft_invitation'), post='403 302 302 403 404 login'
    ),
    # The confirmation of a submitted return: anyone who may read the return.
    'surveys:return_submitted': page(OWN_OBJECT, a('invitation')),
    'surveys:return_line': Page(
        (
            Case(A_EDITORS, a('draft_invitation'), suffix='?category=drone'),
            Case('403 400 400 403 404 login', a('draft_invitation'), label='no category'),
        )
    ),
    'surveys:return_workbook': page(OWN_OBJECT, a('draft_invitation')),
    'surveys:return_upload': page(A_EDITORS, a('draft_invitation'), post=REFUSED_POST),
    'surveys:invitation_extend': page('200 403 403 403 404 login', a('invitation'), post='ok 403 403 403 404 login'),
    'surveys:invitation_contacts': page('200 403 403 403 404 login', a('invitation'), post='ok 403 403 403 404 login'),
    'surveys:invitation_remind': page('200 403 403 403 404 login', a('invitation'), post='ok 403 403 403 404 login'),
    'surveys:return_detail': page(OWN_OBJECT, a('survey_return')),
    'surveys:return_query': page('200 403 403 403 404 login', a('survey_return'), post='ok 403 403 403 404 login'),
    'surveys:return_accept': page('200 403 403 403 404 login', a('survey_return'), post='ok 403 403 403 404 login'),
    'surveys:return_correct': page('200 403 403 403 404 login', a('survey_return'), post='ok 403 403 403 404 login'),
    'surveys:campaign_detail': Page(
        (
            Case(EVERYONE, lambda w: {'slug': w.campaign.slug}, queries=('?late=on', '?outstanding=on&queried=on')),
            Case(DRAFT_ONLY, lambda w: {'slug': w.draft_campaign.slug}, label='draft'),
        )
    ),
    'surveys:campaign_edit': page(REGULATOR_ONLY, lambda w: {'slug': w.campaign.slug}, post=REGULATOR_POST),
    'surveys:campaign_export': page(
        REGULATOR_ONLY, lambda w: {'slug': w.campaign.slug}, queries=('?format=xlsx', '?as=published')
    ),
    'surveys:campaign_corrections': page(EVERYONE, lambda w: {'slug': w.campaign.slug}, queries=EXPORTS),
    'surveys:campaign_remind_outstanding': page(
        REGULATOR_ONLY, lambda w: {'slug': w.campaign.slug}, post=REGULATOR_POST
    ),
    'surveys:campaign_command': Page(
        tuple(
            Case(
                '405 405 405 405 405 login',
                lambda w, c=command: {'slug': w.spring_campaign.slug, 'command': c},
                post=post,
            )
            for command, post in (('open', REGULATOR_POST),)
        )
        + (
            Case(
                '405 405 405 405 405 login',
                lambda w: {'slug': w.campaign.slug, 'command': 'remind'},
                post=REGULATOR_POST,
                label='reminders',
            ),
        )
        + (
            Case(
                '405 405 405 405 405 login',
                lambda w: {'slug': w.draft_campaign.slug, 'command': 'send'},
                post=DRAFT_POST,
            ),
        )
    ),
    'surveys:campaign_close': page(
        '200 403 403 403 403 login', lambda w: {'slug': w.spring_campaign.slug}, post=REGULATOR_POST
    ),
    # Findings: drafts are the regulator's; published versions are aggregates everyone signed in reads
    'findings:report_list': page(EVERYONE, queries=EXPORTS),
    'findings:report_create': page(DRAFT_ONLY, post=DRAFT_POST),
    'findings:report': page('200 302 302 302 302 login', lambda w: {'slug': w.campaign.slug}),
    'findings:report_edit': page(DRAFT_ONLY, lambda w: {'slug': w.campaign.slug}, post=DRAFT_POST),
    'findings:report_publish': page(DRAFT_ONLY, lambda w: {'slug': w.campaign.slug}, post=DRAFT_POST),
    'findings:draft_pdf': page(DRAFT_ONLY, lambda w: {'slug': w.campaign.slug}),
    'findings:draft_table': Page(
        tuple(
            Case(DRAFT_ONLY, lambda w, n=name, f=fmt: {'slug': w.campaign.slug, 'name': n, 'fmt': f})
            for name in TABLES
            for fmt in ('csv', 'xlsx')
        )
    ),
    'findings:version': page(EVERYONE, lambda w: {'slug': w.campaign.slug, 'number': 1}, public_aggregate=True),
    'findings:version_withdraw': page(DRAFT_ONLY, lambda w: {'slug': w.campaign.slug, 'number': 1}, post=DRAFT_POST),
    'findings:version_pdf': page(EVERYONE, lambda w: {'slug': w.campaign.slug, 'number': 1}, public_aggregate=True),
    'findings:version_pdf_cy': page(EVERYONE, lambda w: {'slug': w.campaign.slug, 'number': 1}, public_aggregate=True),
    'findings:version_table': Page(
        tuple(
            Case(EVERYONE, lambda w, n=name, f=fmt: {'slug': w.campaign.slug, 'number': '1', 'name': n, 'fmt': f})
            for name in TABLES
            for fmt in ('csv', 'xlsx')
        ),
        public_aggregate=True,
    ),
    # Published findings for everyone, no sign-in (findings/public.py); a version never published is a 404 for all
    'publications:publication_list': page(PUBLIC, public_aggregate=True),
    'publications:feed': page(PUBLIC, public_aggregate=True),
    'publications:latest': Page(
        (
            Case('302 302 302 302 302 302', lambda w: {'slug': w.campaign.slug}),
            Case(NOWHERE, lambda w: {'slug': w.draft_campaign.slug}),
        )
    ),
    'publications:publication': Page(
        (
            Case(PUBLIC, lambda w: {'slug': w.campaign.slug, 'number': 1}),
            Case(NOWHERE, lambda w: {'slug': w.campaign.slug, 'number': 2}),
        ),
        public_aggregate=True,
    ),
    'publications:report': Page(
        (
            Case(PUBLIC, lambda w: {'slug': w.campaign.slug, 'number': 1}),
            Case(NOWHERE, lambda w: {'slug': w.campaign.slug, 'number': 2}),
        ),
        public_aggregate=True,
    ),
    'publications:pdf': page(PUBLIC, lambda w: {'slug': w.campaign.slug, 'number': 1}, public_aggregate=True),
    'publications:pdf_cy': Page(
        (
            Case(PUBLIC, lambda w: {'slug': w.campaign.slug, 'number': 1}),
            Case(NOWHERE, lambda w: {'slug': w.campaign.slug, 'number': 2}),
        ),
        public_aggregate=True,
    ),
    'publications:table': Page(
        tuple(
            Case(PUBLIC, lambda w, n=name, f=fmt: {'slug': w.campaign.slug, 'number': '1', 'name': n, 'fmt': f})
            for name in TABLES
            for fmt in FORMATS
        ),
        public_aggregate=True,
    ),
    'publications:metadata': Page(
        tuple(Case(PUBLIC, lambda w, n=name: {'slug': w.campaign.slug, 'number': '1', 'name': n}) for name in TABLES),
        public_aggregate=True,
    ),
    # Policy
    'policy:policy': page('200 302 302 302 302 login'),
    'policy:body': page(
        OWN_OBJECT,
        a('organisation', 'slug', prop='slug'),
        queries=tuple(
            f'?export={e}&format={f}' for e in ('obligations', 'plan', 'vulnerabilities') for f in ('csv', 'xlsx')
        ),
    ),
    'policy:exposure': page(REGULATOR_ONLY, queries=EXPORTS),
    'policy:decision': page(A_EDITORS, lambda w: decision_kwargs(w.a.obligation), post=REFUSED_POST),
    'policy:unit_costs': page(A_EDITORS, a('organisation', 'slug', prop='slug'), post=REFUSED_POST),
    'policy:settings': page(A_EDITORS, a('organisation', 'slug', prop='slug'), post=REFUSED_POST),
    # Discovery
    'discovery:scan_list': page(EVERYONE, queries=EXPORTS),
    'discovery:scan_upload': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'discovery:scan_detail': page(OWN_OBJECT, a('scan'), queries=('?devices-state=undeclared',)),
    'discovery:scan_reconcile': page('405 405 405 405 405 login', a('scan'), post=REFUSED_POST),
    'discovery:device_detail': page(OWN_OBJECT, a('device')),
    'discovery:device_accept': page(A_EDITORS, a('device'), post=REFUSED_POST),
    'discovery:token_list': page(BODY_EDITORS),
    'discovery:token_create': page(BODY_EDITORS, post='403 ok ok 403 ok login'),
    'discovery:token_revoke': page(A_EDITORS, a('token'), post=REFUSED_POST),
    # The agent's own endpoint: a scan token or nothing, whoever is signed in.
    'discovery:upload_api': page('405 405 405 405 405 405', post='401 401 401 401 401 401'),
    # Background tasks: a body's editors see their body's, regulator staff everyone's; the person who started
    # one, or an editor of its body, queues a failed one again
    'jobs:job_list': page(EVERYONE, queries=(*EXPORTS, '?status=failed')),
    'jobs:job_detail': page('200 200 200 404 404 login', a('job')),
    'jobs:job_retry': page('405 405 405 405 405 login', a('job'), post='403 ok ok 404 404 login'),
    # The API's pages (its endpoints are in API below)
    'api:schema': page('200 200 200 200 200 401'),
    'api:docs': page(EVERYONE),
    'api:token': page(EVERYONE, post='ok ok ok ok ok login'),
    # Each person revokes only their own token, and nobody in the world has one (api/tests/test_tokens.py revokes one).
    'api:token_replace': page('404 404 404 404 404 login', post='404 404 404 404 404 login'),
    'api:token_revoke': page('404 404 404 404 404 login', post='404 404 404 404 404 login'),
    'api:api-root': page('200 200 200 200 200 401'),
}


# What a response says, as text, for the leak checks


XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
DATA_URI = re.compile(r'data:([\w/+.-]+);base64,([A-Za-z0-9+/=]+)')


def cells(response) -> list[list]:
    """The rows of a CSV or XLSX response."""
    if response['Content-Type'].startswith(XLSX):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(response.content.decode('utf-8-sig'))))


def text_of(response) -> str:
    """Everything a person could read in the response: decoded text, spreadsheet cells, embedded images."""
    content_type = response.get('Content-Type', '')
    if content_type.startswith(XLSX) or content_type.startswith('text/csv'):
        return '\n'.join('\t'.join('' if v is None else str(v) for v in row) for row in cells(response))
    if content_type.startswith('application/pdf'):
        return ''  # PDFs are published versions: frozen aggregates, checked through their page and tables
    text = b''.join(response).decode('utf-8', 'replace') if response.streaming else response.content.decode()
    embedded = [base64.b64decode(data).decode('utf-8', 'replace') for _, data in DATA_URI.findall(text)]
    return '\n'.join([DATA_URI.sub('data:', text), *embedded])


def assert_no_leak(world: World, role: str, response, url: str, public_aggregate: bool = False) -> None:
    """Nothing of the other body, and no draft campaign, in what a body's user received; nothing of either body
    in what an anonymous visitor received."""
    if role == 'anonymous':
        whose, others = 'anonymous', (world.a, world.b)
    elif role in ('editor', 'admin', 'viewer', 'other'):
        mine = world.a if role != 'other' else world.b
        whose, others = f'{role} of {mine.organisation}', (world.b if mine is world.a else world.a,)
    else:
        return
    text = text_of(response)
    canaries = set().union(*(world.canaries_of(theirs) for theirs in others)) | world.hidden_from_bodies
    # What the user searched for is shown back to them: only longer strings of the other body count then.
    asked = [value for _, value in parse_qsl(urlsplit(url).query)]
    canaries = {c for c in canaries if not any(c in value for value in asked)}
    if public_aggregate:
        named = {s for theirs in others for s in (theirs.organisation.name, theirs.organisation.slug + '/')}
        canaries -= named
    leaked = sorted(c for c in canaries if c in text)
    assert not leaked, f'{whose} received {leaked} at {url}'


def assert_choices_in_scope(world: World, role: str, response, url: str) -> None:
    """Every form and filter on the page offers only objects the user may see."""
    user = user_for(world, role)
    if user is None or response.context is None:
        return
    forms = []
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    for value in (v for context in contexts for v in context.flatten().values()):
        if isinstance(value, BaseForm):
            forms.append(value)
        elif hasattr(value, 'form') and isinstance(getattr(type(value), 'form', None), property):
            forms.append(value.form)
    for form in forms:
        for name, form_field in form.fields.items():
            if not isinstance(form_field, ModelChoiceField):
                continue
            model = form_field.queryset.model
            other = {'editor': world.b, 'admin': world.b, 'viewer': world.b, 'other': world.a}.get(role)
            if other is not None and model is type(other.own_maker):
                # Makers are reference data everyone reads, so the scope check below passes whatever is offered;
                # but the maker only the other body's register has must not be offered because of that register.
                maker = other.own_maker
                assert not offered_because_of(other, form_field, maker), f'{url}: "{name}" offers {maker} to {role}'
            if not hasattr(model.objects, 'for_user'):
                continue
            outside = form_field.queryset.exclude(pk__in=model.objects.for_user(user).values('pk'))
            assert not outside.exists(), f'{url}: the "{name}" choices offer {list(outside)[:5]} to {role}'


def offered_because_of(other, form_field, maker) -> bool:
    """Whether a choice list offers `maker` only because the other body's line is made by it."""
    if not form_field.queryset.filter(pk=maker.pk).exists():
        return False
    with transaction.atomic():
        EquipmentLine.objects.filter(pk=other.lines[2].pk).update(made_by=None)
        offered_without_it = form_field.queryset.all().filter(pk=maker.pk).exists()
        transaction.set_rollback(True)
    return not offered_without_it


FORMULA_START = ('=', '+', '-', '@')


def assert_formula_safe(response, url: str) -> None:
    for row in cells(response):
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_START):
                try:
                    float(value)
                except ValueError:
                    pytest.fail(f'{url}: the cell {value!r} would run as a formula')


SCRIPT = re.compile(r'<script\b([^>]*)>(.*?)</script>', re.S | re.I)
INLINE_HANDLER = re.compile(r'<[^>]+\son[a-z]+\s*=', re.I)


def assert_csp_holds(response, url: str) -> None:
    """The policy is sent, and the page has nothing it would block: inline code only with the page's nonce."""
    policy = response.get('Content-Security-Policy', '')
    assert "default-src 'self'" in policy and "object-src 'none'" in policy, url
    if not response.get('Content-Type', '').startswith('text/html'):
        return
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", policy)
    for attrs, body in SCRIPT.findall(html):
        if body.strip() and 'application/json' not in attrs:
            assert nonce and f'nonce="{nonce.group(1)}"' in attrs, f'{url}: an inline script without the nonce'
    assert not re.search(r'<style\b', html, re.I), f'{url}: an inline <style> element'
    assert not re.search(r'\sstyle="', html), f'{url}: an inline style attribute'
    assert not INLINE_HANDLER.search(html), f'{url}: an inline event handler'


def assert_login_redirect(response, url: str) -> None:
    assert response.status_code == 302, f'{url}: {response.status_code} for anonymous'
    assert response['Location'].startswith(reverse('account_login')), f'{url}: sent to {response["Location"]}'


def check_status(response, expected: str, url: str, role: str) -> None:
    if expected == LOGIN:
        assert_login_redirect(response, url)
    else:
        assert response.status_code == int(expected), f'{url} as {role}: {response.status_code}, expected {expected}'


# Enumerating what exists


def named_patterns(patterns=None, namespace=None):
    """(qualified name, pattern) for every URL the resolver knows."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            qualified = f'{namespace}:{inner}' if namespace and inner else inner or namespace
            yield from named_patterns(pattern.url_patterns, qualified)
        elif isinstance(pattern, URLPattern):
            yield (f'{namespace}:{pattern.name}' if namespace else pattern.name), pattern


def page_cases():
    for name, spec in PAGES.items():
        for index, case in enumerate(spec.cases):
            yield name, index, case


CASES = list(page_cases())


def url_of(world: World, name: str, case: Case) -> str:
    return reverse(name, kwargs=case.kwargs(world)) + case.suffix


# The tests


# Pages an anonymous visitor may open (or is sent on from): signing in and its kin, the probes, the service's
# own statements, and published findings. Any other page answers the anonymous with the sign-in or a refusal.
OPEN_TO_ANONYMOUS = {
    'core:healthz',
    'core:readyz',
    'core:accessibility',
    'core:privacy',
    'core:cookies',
    'core:contact',
    'accounts:sso',
    'socialaccount_login_cancelled',
    'socialaccount_signup',
    'mfa_authenticate',
    *(name for name in PAGES if name.startswith(('account_', 'publications:', 'transparency:'))),
}


def test_the_anonymous_reach_only_public_pages():
    opened = {
        name
        for name, _, case in CASES
        for codes in (case.get, case.post or '')
        if codes and expect(codes)['anonymous'] not in REFUSALS
    }
    assert not sorted(opened - OPEN_TO_ANONYMOUS), 'open to the anonymous but not named in OPEN_TO_ANONYMOUS'
    assert expect(PAGES['publications:publication_list'].cases[0].get)['anonymous'] == '200'
    assert expect(PAGES['account_login'].cases[0].get)['anonymous'] == '200'
    assert all(expect(op.codes)['anonymous'] in ('401', '403', '404') for op in API.values()), 'the API is closed'


def test_every_url_is_classified():
    names = {name for name, _ in named_patterns()}
    ours = {n for n in names if n and not n.startswith('admin:')}
    # The API's operations are classified in API below, from the schema.
    unclassified = sorted(ours - set(PAGES) - api_view_names())
    assert not unclassified, f'Classify these URLs in PAGES (who may see them, with which objects): {unclassified}'
    stale = sorted(set(PAGES) - ours)
    assert not stale, f'PAGES names URLs that no longer exist: {stale}'


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize(('name', 'index', 'case'), CASES, ids=[f'{n}#{i}' for n, i, _ in CASES])
def test_page(world, db, name, index, case, role):
    expected = expect(case.get)[role]
    client = client_for(world, role)
    base = url_of(world, name, case)
    for url in (base, *(base + query for query in case.queries)):
        response = client.get(url)
        check_status(response, expected, url, role)
        if response.status_code != 200:
            continue
        public = PAGES[name].public_aggregate
        assert_no_leak(world, role, response, url, public)
        content_type = response.get('Content-Type', '')
        if content_type.startswith(('text/csv', XLSX)):
            assert_formula_safe(response, url)
        else:
            assert_csp_holds(response, url)
        assert_choices_in_scope(world, role, response, url)
        if issubclass(getattr(resolve(base.partition('?')[0]).func, 'view_class', object), ObjectListView):
            # The table alone, as HTMX asks for it when a filter changes.
            assert_no_leak(world, role, client.get(url, HTTP_HX_REQUEST='true'), url, public)


POST_CASES = [(n, i, c) for n, i, c in CASES if c.post]


REFUSED_POSTS = [(n, i, c, r) for n, i, c in POST_CASES for r in ROLES if expect(c.post)[r] != OK]


@pytest.mark.parametrize(
    ('name', 'index', 'case', 'role'), REFUSED_POSTS, ids=[f'{n}#{i}-{r}' for n, i, _, r in REFUSED_POSTS]
)
def test_refused_post_changes_nothing(world, db, name, index, case, role):
    expected = expect(case.post)[role]
    url = url_of(world, name, case)
    before = database_state()
    response = client_for(world, role).post(url, {'version': 1, 'name': 'Posted', 'command': 'create'})
    check_status(response, expected, url, role)
    assert database_state() == before, f'{url} as {role} wrote something'


def database_state() -> dict[str, list]:
    """Every row of every Oversight table: a refused request must leave each as it was, not only the audit.

    Only when a person last signed in and a token was last used are left out: noting them is not a change."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in OVERSIGHT_APPS:
            rows = model._base_manager.order_by('pk').values()
            state[model._meta.label] = [{k: v for k, v in row.items() if k not in NOTED} for row in rows]
    return state


NOTED = {'last_login', 'last_used'}


OVERSIGHT_APPS = {config.label for config in apps.get_app_configs() if config.name.startswith('oversight.')}
REFUSALS = {'401', '403', '404', '405', LOGIN}
CSRF_CASES = [(n, i, c) for n, i, c in POST_CASES if set(c.post.split()) - REFUSALS]


@pytest.mark.parametrize(('name', 'index', 'case'), CSRF_CASES, ids=[f'{n}#{i}' for n, i, _ in CSRF_CASES])
def test_a_post_without_the_csrf_token_is_refused(world, db, name, index, case):
    # As someone who may make the change: only the missing token stands in the way.
    role = next(r for r, code in expect(case.post).items() if code not in REFUSALS)
    client = client_for(world, role, enforce_csrf_checks=True)
    url = url_of(world, name, case)
    before = ObjectChange.objects.count()
    response = client.post(url, {'version': 1})
    assert response.status_code == 403, f'{url}: {response.status_code} without a CSRF token'
    assert b'Your form could not be sent' in response.content
    assert ObjectChange.objects.count() == before


# Admin: none of the roles is staff, so every admin page sends them to the admin's own sign-in.


ADMIN_VALUES = {'object_id': '1', 'content_type_id': '1', 'id': '1', 'app_label': 'accounts', 'url': 'nowhere'}


def admin_urls():
    for pattern in admin_site.get_urls():
        yield from _admin_urls('/admin/', pattern)


def _admin_urls(prefix, pattern):
    if isinstance(pattern, URLResolver):
        for inner in pattern.url_patterns:
            yield from _admin_urls(prefix + _literal(pattern), inner)
    else:
        yield pattern.name, prefix + _literal(pattern)


def _literal(pattern) -> str:
    regex = pattern.pattern.regex.pattern.lstrip('^').rstrip('$').replace('\\Z', '')
    for group in pattern.pattern.regex.groupindex:
        regex = re.sub(rf'\(\?P<{group}>[^)]*\)', ADMIN_VALUES[group], regex)
    return regex.replace('\\', '')


@pytest.mark.parametrize('role', ROLES)
def test_the_admin_is_closed_to_every_role(world, db, role):
    client = client_for(world, role)
    for name, url in admin_urls():
        response = client.get(url)
        if name == 'login':
            assert response.status_code == 200
            assert_no_leak(world, role, response, url)
        elif name == 'logout':
            assert response.status_code in (302, 405), url
        else:
            assert response.status_code == 302 and response['Location'].startswith('/admin/login/'), url


# The API, operation by operation, from the schema


@dataclass(frozen=True)
class Operation:
    codes: str  # what each role gets
    params: Callable[[World], dict] = field(default=lambda w: {})


API_READ = '200 200 200 200 200 401'
API_OWN = '200 200 200 200 404 401'
API_REGISTER_WRITE = '403 ok ok 403 404 401'
API_REGISTER_CREATE = '403 ok ok 403 ok 401'

API: dict[tuple[str, str], Operation] = {
    ('/api/organisations/', 'get'): Operation(API_READ),
    ('/api/organisations/', 'post'): Operation('ok 403 403 403 403 401'),
    ('/api/organisations/{slug}/', 'get'): Operation(API_OWN, lambda w: {'slug': w.a.organisation.slug}),
    ('/api/organisation-groups/', 'get'): Operation(API_READ),
    ('/api/organisation-groups/{slug}/', 'get'): Operation(API_OWN, lambda w: {'slug': w.a.group.slug}),
    ('/api/identify/', 'post'): Operation('ok ok ok ok ok 401'),
    ('/api/questionnaires/', 'get'): Operation(API_READ),
    ('/api/questionnaires/{slug}/', 'get'): Operation(API_READ, lambda w: {'slug': 'police-2022'}),
    ('/api/campaigns/', 'get'): Operation(API_READ),
    ('/api/campaigns/{slug}/', 'get'): Operation('200 404 404 404 404 401', lambda w: {'slug': w.draft_campaign.slug}),
    ('/api/campaigns/{slug}/findings/', 'get'): Operation(
        '200 403 403 403 403 401', lambda w: {'slug': w.campaign.slug}
    ),
    ('/api/invitations/', 'get'): Operation(API_READ),
    ('/api/invitations/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.invitation.pk}),
    ('/api/invitations/{id}/draft/', 'post'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.draft_invitation.pk}),
    ('/api/invitations/{id}/submit/', 'post'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.draft_invitation.pk}),
    ('/api/returns/', 'get'): Operation(API_READ),
    ('/api/returns/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.survey_return.pk}),
    ('/api/reports/', 'get'): Operation(API_READ),
    ('/api/reports/{id}/', 'get'): Operation(API_READ, lambda w: {'id': w.report_version.pk}),
    ('/api/discovery/scans/', 'get'): Operation(API_READ),
    ('/api/discovery/scans/', 'post'): Operation(API_REGISTER_CREATE),
    ('/api/discovery/scans/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.scan.pk}),
    ('/api/discovery/devices/', 'get'): Operation(API_READ),
    ('/api/discovery/devices/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.device.pk}),
    ('/api/jobs/', 'get'): Operation(API_READ),
    ('/api/jobs/{id}/', 'get'): Operation('200 200 200 404 404 401', lambda w: {'id': w.a.job.pk}),
    ('/api/jobs/{id}/retry/', 'post'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.job.pk}),
    ('/api/register/imports/', 'get'): Operation('403 200 200 403 200 401'),
    ('/api/register/imports/', 'post'): Operation(API_REGISTER_CREATE),
    ('/api/register/imports/{id}/', 'get'): Operation('403 200 200 403 404 401', lambda w: {'id': w.a.batch.pk}),
    ('/api/register/imports/{id}/commit/', 'post'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.batch.pk}),
    ('/api/register/imports/{id}/discard/', 'post'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.batch.pk}),
    # Compliance: records, assessments and evidence of A's first system; writes by the body's editors.
    ('/api/compliance/governance/', 'get'): Operation(API_READ),
    ('/api/compliance/governance/', 'post'): Operation(API_REGISTER_CREATE),
    ('/api/compliance/assessments/', 'get'): Operation(API_READ),
    ('/api/compliance/assessments/', 'post'): Operation(API_REGISTER_CREATE),
    ('/api/compliance/assessments/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.assessment.pk}),
    ('/api/compliance/assessments/{id}/', 'delete'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.assessment.pk}),
    ('/api/compliance/evidence/', 'get'): Operation(API_READ),
    ('/api/compliance/evidence/', 'post'): Operation(API_REGISTER_CREATE),
    ('/api/compliance/evidence/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.evidence.pk}),
    ('/api/compliance/evidence/{id}/', 'delete'): Operation(API_REGISTER_WRITE, lambda w: {'id': w.a.evidence.pk}),
    ('/api/compliance/evidence/{id}/download/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.evidence.pk}),
    # Each body publishes its own page (B's editor publishes B's); the regulator reads whether bodies publish.
    ('/api/compliance/transparency/', 'get'): Operation(API_READ),
    ('/api/compliance/transparency/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.transparency.pk}),
    ('/api/compliance/transparency/publish/', 'post'): Operation(API_REGISTER_CREATE),
    ('/api/compliance/transparency/unpublish/', 'post'): Operation(API_REGISTER_CREATE),
    # Review tasks: A's open task on its first system; the body's editors resolve it.
    ('/api/compliance/review-tasks/', 'get'): Operation(API_READ),
    ('/api/compliance/review-tasks/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': w.a.review_task.pk}),
    ('/api/compliance/review-tasks/{id}/resolve/', 'post'): Operation(
        API_REGISTER_WRITE, lambda w: {'id': w.a.review_task.pk}
    ),
    # Policy: A's decided obligation; the body's editors record decisions; national exposure is the regulator's.
    ('/api/policy/obligations/', 'get'): Operation(API_READ),
    ('/api/policy/obligations/{id}/', 'get'): Operation(API_OWN, lambda w: {'id': obligation_id(w.a.obligation)}),
    ('/api/policy/obligations/{id}/decision/', 'post'): Operation(
        API_REGISTER_WRITE, lambda w: {'id': obligation_id(w.a.obligation)}
    ),
    ('/api/policy/exposure/', 'get'): Operation('200 403 403 403 403 401'),
}
for _method in ('get', 'put', 'patch'):
    API[('/api/compliance/governance/{id}/', _method)] = Operation(
        API_OWN if _method == 'get' else API_REGISTER_WRITE, lambda w: {'id': w.a.systems[0].governance.pk}
    )
for _path in ('answer', 'plan', 'cover', 'freeze', 'publish', 'unpublish'):
    API[(f'/api/compliance/assessments/{{id}}/{_path}/', 'post')] = Operation(
        API_REGISTER_WRITE, lambda w: {'id': w.a.assessment.pk}
    )
API[('/api/compliance/assessments/{id}/plan/{action_id}/', 'patch')] = Operation(
    API_REGISTER_WRITE, lambda w: {'id': w.a.assessment.pk, 'action_id': plan_action(w).pk}
)
for _path, _attribute in (('sites', 'sites'), ('systems', 'systems'), ('equipment', 'lines')):
    _params = lambda w, attribute=_attribute: {'id': getattr(w.a, attribute)[-1].pk}  # noqa: E731
    API[(f'/api/register/{_path}/', 'get')] = Operation(API_READ)
    API[(f'/api/register/{_path}/', 'post')] = Operation(API_REGISTER_CREATE)
    API[(f'/api/register/{_path}/{{id}}/', 'get')] = Operation(API_OWN, _params)
    for _method in ('put', 'patch', 'delete'):
        API[(f'/api/register/{_path}/{{id}}/', _method)] = Operation(API_REGISTER_WRITE, _params)


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted((path, method) for path, item in schema['paths'].items() for method in item)


def api_view_names() -> set[str]:
    return {resolve(re.sub(r'\{\w+\}', '1', path)).view_name for path, _ in schema_operations()}


def test_every_api_operation_is_classified():
    operations = set(schema_operations())
    unclassified = sorted(operations - set(API))
    assert not unclassified, f'Classify these API operations in API (who may do what): {unclassified}'
    assert not sorted(set(API) - operations), 'API names operations the schema no longer has'
    # Every endpoint of the API is in the schema: a view left out of it would be left out of this matrix.
    routes = {name for name, pattern in named_patterns() if name and name.startswith('api:') and name not in PAGES}
    assert routes == api_view_names(), f'API views missing from the schema: {sorted(routes - api_view_names())}'


API_CASES = sorted(API)
API_REFUSALS = [(p, m, r) for p, m in API_CASES for r in ROLES if expect(API[(p, m)].codes)[r] != OK]


def api_client(world: World, role: str):
    client = APIClient()
    user = user_for(world, role)
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(('path', 'method', 'role'), API_REFUSALS, ids=[f'{m} {p}-{r}' for p, m, r in API_REFUSALS])
def test_api_operation(world, db, path, method, role):
    operation = API[(path, method)]
    expected = expect(operation.codes)[role]
    url = path.format(**operation.params(world))
    before = database_state() if method != 'get' else None
    response = getattr(api_client(world, role), method)(url, {}, format='json')
    assert response.status_code == int(expected), f'{method.upper()} {url} as {role}: {response.status_code}'
    if method != 'get':
        assert database_state() == before, f'{method.upper()} {url} as {role} wrote something'
    elif response.status_code == 200:
        assert_no_leak(world, role, response, url)
        # Opened in a browser (which also accepts anything) the API answers with the same JSON, nothing more.
        browser = api_client(world, role).get(url, HTTP_ACCEPT='text/html,application/xhtml+xml,*/*;q=0.8')
        if response.get('Content-Disposition', '').startswith('attachment'):
            # A file (evidence) is a download for a browser too, never shown as a page.
            assert browser.status_code == 200 and browser['Content-Disposition'].startswith('attachment'), url
        else:
            assert browser.status_code == 200 and browser['Content-Type'].startswith('application/json'), url
            assert_no_leak(world, role, browser, url)


# What the matrix lets through: each allowed change is made, as proved by a test through that page or operation

T = 'src/oversight/{}/tests/test_{}.py::{}'.format
PROVED_BY = {
    'api:token': T('api', 'tokens', 'test_a_person_makes_their_token_on_their_page_and_sees_it_once'),
    'accounts:role_change': T('accounts', 'people', 'test_the_role_changes_within_the_body_and_the_history_says_so'),
    'accounts:deactivate': T(
        'accounts', 'people', 'test_deactivating_signs_the_person_out_everywhere_and_reactivating_lets_them_in'
    ),
    'accounts:reactivate': T(
        'accounts', 'people', 'test_deactivating_signs_the_person_out_everywhere_and_reactivating_lets_them_in'
    ),
    'accounts:resend_invitation': T('accounts', 'people', 'test_an_expired_link_is_refused_and_a_new_one_replaces_it'),
    'accounts:second_factor_reset': T(
        'accounts',
        'second_factor',
        'test_a_body_administrator_resets_a_second_factor_and_the_person_enrols_again',
    ),
    'accounts:invite': T(
        'accounts', 'people', 'test_regulator_staff_invite_a_bodys_first_administrator_but_not_its_editors'
    ),
    'discovery:device_accept': T('discovery', 'views', 'test_an_editor_accepts_a_device_in_one_step'),
    'discovery:scan_reconcile': T('discovery', 'views', 'test_compare_again_after_the_register_changes'),
    'discovery:scan_upload': T('discovery', 'views', 'test_an_editor_uploads_scan_files_and_nmap_output'),
    'discovery:token_create': T('discovery', 'views', 'test_an_editor_creates_a_token_shown_once_and_revokes_it'),
    'discovery:token_revoke': T('discovery', 'views', 'test_an_editor_creates_a_token_shown_once_and_revokes_it'),
    'compliance:governance_edit': T(
        'compliance', 'views', 'test_an_editor_records_then_changes_governance_through_the_pages'
    ),
    'compliance:assessment_start': T(
        'compliance', 'assessments', 'test_an_editor_assesses_plans_and_freezes_through_the_pages'
    ),
    'compliance:assessment_answer': T(
        'compliance', 'assessments', 'test_an_editor_assesses_plans_and_freezes_through_the_pages'
    ),
    'compliance:assessment_plan_add': T(
        'compliance', 'assessments', 'test_an_editor_assesses_plans_and_freezes_through_the_pages'
    ),
    'compliance:assessment_freeze': T(
        'compliance', 'assessments', 'test_an_editor_assesses_plans_and_freezes_through_the_pages'
    ),
    'compliance:assessment_discard': T(
        'compliance',
        'records_kept',
        'test_an_open_assessment_is_discarded_through_the_page_and_its_systems_can_then_go',
    ),
    'compliance:assessment_plan_change': T(
        'compliance', 'plan_actions', 'test_an_editor_marks_an_action_done_through_the_pages_and_its_task_resolves'
    ),
    'compliance:task_resolve': T('compliance', 'reviews', 'test_an_editor_resolves_a_task_through_the_pages'),
    'compliance:assessment_group': T(
        'compliance', 'groups', 'test_an_editor_makes_an_assessment_of_a_group_through_the_pages'
    ),
    'compliance:assessment_publish': T(
        'compliance',
        'transparency',
        'test_a_frozen_assessment_is_published_on_the_page_through_the_pages_without_its_owners',
    ),
    'compliance:assessment_unpublish': T(
        'compliance',
        'transparency',
        'test_a_frozen_assessment_is_published_on_the_page_through_the_pages_without_its_owners',
    ),
    'compliance:transparency_publish': T(
        'compliance',
        'transparency',
        'test_an_editor_publishes_the_transparency_page_and_withdraws_it_through_the_pages',
    ),
    'compliance:transparency_unpublish': T(
        'compliance',
        'transparency',
        'test_an_editor_publishes_the_transparency_page_and_withdraws_it_through_the_pages',
    ),
    'compliance:evidence_add': T(
        'compliance', 'evidence', 'test_an_editor_uploads_downloads_and_deletes_evidence_through_the_pages'
    ),
    'compliance:evidence_delete': T(
        'compliance', 'evidence', 'test_an_editor_uploads_downloads_and_deletes_evidence_through_the_pages'
    ),
    'findings:report_create': T('findings', 'views', 'TestDraft::test_starting_a_report_from_the_page'),
    'findings:report_edit': T('findings', 'views', 'TestDraft::test_editing_the_text'),
    'findings:report_publish': T('findings', 'views', 'TestDraft::test_publishing_from_the_page'),
    'findings:version_withdraw': T('findings', 'public', 'test_regulator_staff_withdraw_a_version_through_its_page'),
    'jobs:job_retry': T('jobs', 'views', 'test_a_failed_import_lists_every_problem_and_is_queued_again'),
    'organisations:group_add_members': T(
        'organisations', 'views', 'test_regulator_creates_a_group_and_manages_its_members'
    ),
    'organisations:group_create': T('organisations', 'views', 'test_regulator_creates_a_group_and_manages_its_members'),
    'organisations:group_member_remove': T(
        'organisations', 'views', 'test_regulator_creates_a_group_and_manages_its_members'
    ),
    'organisations:organisation_create': T(
        'organisations', 'views', 'test_regulator_adds_an_organisation_through_the_form'
    ),
    'organisations:organisation_import': T('organisations', 'import_views', 'test_upload_preview_then_commit'),
    'organisations:organisation_language': T(
        'organisations', 'language', 'test_regulator_sets_a_bodys_language_on_its_page'
    ),
    'policy:settings': T('policy', 'views', 'test_choosing_an_optional_rule_set_adds_its_obligations'),
    'policy:decision': T('policy', 'decisions', 'test_an_editor_records_a_decision_and_its_progress_through_the_pages'),
    'policy:unit_costs': T('policy', 'views', 'test_an_editor_sets_unit_costs_through_the_form'),
    'register:equipment_create': T(
        'register', 'views', 'test_an_editor_adds_edits_and_deletes_a_line_through_the_pages'
    ),
    'register:equipment_delete': T(
        'register', 'views', 'test_an_editor_adds_edits_and_deletes_a_line_through_the_pages'
    ),
    'register:equipment_edit': T('register', 'views', 'test_an_editor_adds_edits_and_deletes_a_line_through_the_pages'),
    'register:equipment_import': T('register', 'views', 'test_upload_preview_and_commit_through_the_pages'),
    'register:import_commit': T('register', 'views', 'test_upload_preview_and_commit_through_the_pages'),
    'register:import_discard': T(
        'register', 'imports', 'test_discarding_from_the_preview_page_discards_and_imports_nothing'
    ),
    'register:site_import': T('register', 'views', 'test_an_editor_imports_sites_through_the_pages'),
    'register:system_import': T('register', 'views', 'test_an_editor_imports_systems_through_the_pages'),
    'surveys:campaign_command': T('surveys', 'views', 'test_campaign_create_open_and_send_through_the_pages'),
    'surveys:campaign_create': T('surveys', 'views', 'test_campaign_create_open_and_send_through_the_pages'),
    'surveys:campaign_close': T('surveys', 'confirmations', 'test_closing_a_campaign_asks_first_then_closes'),
    'surveys:returns_import': T('jobs', 'returns', 'test_the_regulator_imports_returns_and_sees_every_problem_by_row'),
    'surveys:campaign_edit': T('surveys', 'views', 'test_campaign_create_open_and_send_through_the_pages'),
    'surveys:invitation_contacts': T(
        'surveys', 'views', 'TestTheRegulatorsChangesHappen::test_contacts_are_replaced_by_the_ones_given'
    ),
    'surveys:invitation_remind': T(
        'surveys', 'desk', 'test_one_body_is_shown_the_email_then_sent_it_recorded_and_audited'
    ),
    'surveys:campaign_remind_outstanding': T(
        'surveys', 'desk', 'test_every_outstanding_body_is_previewed_then_reminded_by_a_task'
    ),
    'surveys:invitation_extend': T(
        'surveys',
        'views',
        'TestTheRegulatorsChangesHappen::test_an_extension_lets_that_body_submit_until_the_new_cut_off',
    ),
    'surveys:questionnaire_new_version': T(
        'surveys', 'views', 'TestTheRegulatorsChangesHappen::test_a_new_version_of_a_questionnaire_has_its_questions'
    ),
    'surveys:return_accept': T('surveys', 'confirmations', 'test_accepting_a_return_asks_first_then_accepts'),
    'surveys:return_correct': T('surveys', 'views', 'test_correction_page_records_and_the_original_is_still_shown'),
    'surveys:return_section': T('surveys', 'return_journey', 'test_save_and_come_back_later_stays_on_the_section'),
    'surveys:return_query': T('surveys', 'views', 'test_regulator_queries_the_body_answers_the_regulator_accepts'),
    'surveys:return_upload': T('surveys', 'workbook', 'test_completed_workbook_is_saved_as_a_draft_then_submitted'),
    'vendors:designation_add': T('vendors', 'views', 'test_the_regulator_adds_a_designation'),
    'vendors:manufacturer_add': T('vendors', 'views', 'test_the_regulator_adds_a_maker_and_the_change_is_audited'),
    'vendors:manufacturer_edit': T('vendors', 'views', 'test_the_regulator_edits_a_maker_and_a_stale_form_is_refused'),
    ('/api/jobs/{id}/retry/', 'post'): T('api', 'jobs', 'test_a_stopped_task_is_failed_and_queued_again_over_the_api'),
    ('/api/identify/', 'post'): T('api', 'identification', 'test_json_rows_give_the_commands_answers'),
    ('/api/invitations/{id}/draft/', 'post'): T('api', 'surveys', 'test_an_editor_saves_a_draft_then_submits'),
    ('/api/invitations/{id}/submit/', 'post'): T('api', 'surveys', 'test_an_editor_saves_a_draft_then_submits'),
    ('/api/organisations/', 'post'): T(
        'api', 'organisations', 'test_regulator_staff_add_an_organisation_through_the_action'
    ),
    ('/api/discovery/scans/', 'post'): T(
        'api', 'discovery', 'test_an_editor_uploads_with_their_own_token_and_a_viewer_cannot'
    ),
    ('/api/register/equipment/', 'post'): T(
        'api', 'register', 'test_a_line_is_identified_and_its_mac_read_in_any_spelling'
    ),
    ('/api/register/imports/', 'post'): T(
        'api', 'register', 'test_a_register_file_is_uploaded_previewed_and_committed'
    ),
    ('/api/register/imports/{id}/commit/', 'post'): T(
        'api', 'register', 'test_a_register_file_is_uploaded_previewed_and_committed'
    ),
    ('/api/register/imports/{id}/discard/', 'post'): T(
        'api', 'register', 'test_a_discarded_import_cannot_be_committed'
    ),
    ('/api/register/sites/', 'post'): T(
        'api', 'register', 'test_an_editor_adds_a_site_through_the_action_with_its_audit_row'
    ),
    ('/api/register/systems/', 'post'): T(
        'api', 'register', 'test_an_editor_adds_a_system_through_the_action_with_its_audit_row'
    ),
}
for _kind in ('site', 'system'):
    for _change in ('create', 'edit', 'delete'):
        PROVED_BY[f'register:{_kind}_{_change}'] = T(
            'register', 'views', 'test_an_editor_adds_edits_and_deletes_sites_and_systems_through_the_pages'
        )
for _change, _names in (
    ('add', ('name', 'relation', 'brand', 'concernlist')),
    ('edit', ('name', 'relation', 'brand', 'concernlist', 'designation')),
    ('delete', ('name', 'relation', 'designation')),
):
    for _name in _names:
        PROVED_BY[f'vendors:{_name}_{_change}'] = T(
            'vendors', 'views', f'test_the_regulator_{_change}s_reference_data_through_its_pages'.replace('ees', 'es')
        )
for _path in ('sites', 'systems', 'equipment'):
    for _method in ('put', 'patch', 'delete'):
        PROVED_BY[(f'/api/register/{_path}/{{id}}/', _method)] = T(
            'api', 'register', 'test_an_editor_replaces_amends_and_deletes_each_kind_of_record'
        )


_RECORDS = T(
    'api', 'compliance', 'test_an_editor_records_and_changes_governance_through_the_api_and_bad_input_names_the_field'
)
_ASSESSED = T('api', 'compliance', 'test_an_editor_answers_plans_freezes_and_publishes_an_assessment_through_the_api')
_EVIDENCE = T('api', 'compliance', 'test_an_editor_uploads_downloads_and_deletes_evidence_through_the_api')
_PUBLISHED = T('api', 'compliance', 'test_a_body_publishes_and_withdraws_its_transparency_page_through_the_api')
PROVED_BY[('/api/compliance/governance/', 'post')] = _RECORDS
PROVED_BY[('/api/compliance/governance/{id}/', 'put')] = _RECORDS
PROVED_BY[('/api/compliance/governance/{id}/', 'patch')] = _RECORDS
PROVED_BY[('/api/compliance/assessments/', 'post')] = _ASSESSED
for _path in ('answer', 'plan', 'cover', 'freeze', 'publish', 'unpublish'):
    PROVED_BY[(f'/api/compliance/assessments/{{id}}/{_path}/', 'post')] = _ASSESSED
PROVED_BY[('/api/compliance/assessments/{id}/plan/{action_id}/', 'patch')] = T(
    'compliance', 'plan_actions', 'test_an_editor_changes_an_action_through_the_api_in_scope'
)
PROVED_BY[('/api/compliance/assessments/{id}/', 'delete')] = T(
    'compliance', 'records_kept', 'test_an_open_assessment_is_discarded_through_the_api'
)
PROVED_BY[('/api/compliance/evidence/', 'post')] = _EVIDENCE
PROVED_BY[('/api/compliance/evidence/{id}/', 'delete')] = _EVIDENCE
PROVED_BY[('/api/compliance/transparency/publish/', 'post')] = _PUBLISHED
PROVED_BY[('/api/compliance/transparency/unpublish/', 'post')] = _PUBLISHED
PROVED_BY[('/api/compliance/review-tasks/{id}/resolve/', 'post')] = T(
    'api', 'review_tasks', 'test_an_editor_resolves_a_task_through_the_action_and_bad_input_is_refused'
)
PROVED_BY[('/api/policy/obligations/{id}/decision/', 'post')] = T(
    'api', 'policy', 'test_an_editor_records_progress_and_accepts_a_risk_that_expires_back_to_open'
)


def _test_source(node_id: str) -> tuple[str, str]:
    """The named test's own source, and its module's."""
    path, *names = node_id.split('::')
    module = pathlib.Path(path).read_text(encoding='utf-8')
    body = ast.parse(module).body
    for name in names:
        node = next((n for n in body if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == name), None)
        assert node is not None, f'{node_id}: no such test'
        body = node.body
    return ast.unparse(node), module


def test_every_allowed_change_is_proved_by_a_test_of_that_change():
    """The matrix checks who may make each change; a named test checks the change is made (a view doing nothing
    while saying "done" once passed everything). Each test named must exist and go through that page or operation."""
    allowed = {n for n, page_ in PAGES.items() for c in page_.cases if c.post and OK in c.post.split()}
    allowed |= {key for key, operation in API.items() if OK in operation.codes.split()}
    assert not sorted(allowed - set(PROVED_BY), key=str), 'name the test proving each allowed change'
    assert not sorted(set(PROVED_BY) - allowed, key=str), 'PROVED_BY names changes the matrix does not allow'
    for key, node_id in PROVED_BY.items():
        source, module = _test_source(node_id)
        if isinstance(key, tuple):  # the path may be a constant of the module, the request made by its helper
            path, method = key
            named = path.partition('{')[0] in module and method.lower() in (source + module).lower()
        else:
            named = key.partition(':')[2].rsplit('_', 1)[0] in source
        assert named, f'{node_id} does not go through {key}'


# Non-interference: what A's users see does not depend on B's data at all


def readable_urls(world: World, role: str) -> list[str]:
    urls = []
    for name, _, case in CASES:
        if expect(case.get)[role] == '200' and not name.startswith('api:') and name != 'account_login':
            base = url_of(world, name, case)
            urls += [base, *(base + q for q in case.queries)]
    for (path, method), operation in API.items():
        if method == 'get' and expect(operation.codes)[role] == '200':
            urls.append(path.format(**operation.params(world)))
    return urls


# Tokens made afresh for every response: CSRF, the CSP nonce, and the return form's new-row names.
VOLATILE = re.compile(r'(csrfmiddlewaretoken" value=|nonce=|csrf_token": )"[^"]*"|-n[0-9a-f]{8}\b')


def snapshot(client, urls) -> dict[str, object]:
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content_type = response.get('Content-Type', '')
        if content_type.startswith((XLSX, 'text/csv')):
            seen[url] = cells(response)
        else:
            # Evidence files stream from storage.
            body = b''.join(response) if response.streaming else response.content
            seen[url] = VOLATILE.sub('', body.decode('utf-8', 'replace'))
    return seen


def change_everything_of_b(world: World) -> None:
    """Add to and change B's data on every surface A's pages could count it through."""
    b = world.b
    site = register_actions.create_site(b.editor, b.organisation, name='ESSEXMARK Annexe', sensitive=True)
    register_actions.create_line(
        b.editor, b.organisation, site=site, system=b.systems[0], manufacturer_declared='Hikvision', quantity=70001
    )
    register_actions.create_line(
        b.editor, b.organisation, site=b.sites[1], system=b.systems[1], manufacturer_declared='Axis', quantity=3
    )
    discovery_actions.record_scan(b.editor, b.organisation, scan_upload(b, '10.9.8.9'), source='file', filename='x')
    OrganisationGroup.objects.get(pk=world.a.group.pk).organisations.add(b.organisation)
    Return.objects.filter(pk=b.survey_return.pk).update(answers={'governance.sro_name': 'Changed'})
    Invitation.objects.filter(pk=b.draft_invitation.pk).update(status=Invitation.Status.SUBMITTED)


@pytest.mark.parametrize('role', ['editor', 'admin', 'viewer'])
def test_what_a_body_sees_does_not_change_when_another_body_changes(world, db, role):
    client = client_for(world, role)
    urls = readable_urls(world, role)
    moment = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        before = snapshot(client, urls)
        change_everything_of_b(world)
        after = snapshot(client, urls)
    changed = [url for url in urls if before[url] != after[url]]
    assert not changed, f'What {role} of A sees changed when only B changed: {changed}'
