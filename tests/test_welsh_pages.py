"""Every page of the access matrix in Welsh, as every role that can open it (docs/welsh.md).

Each HTML page the matrix says a role may open (with its filter and search variants) is fetched twice from
the same state of the two-body world, in English and in Welsh (the language cookie). A piece of visible
text, a title or an accessible name the Welsh page shows exactly as the English does is English left on
the page (surveys/tests/test_welsh.py compares them), unless it is

- data: text stored in the database (names, references, typed values, reference data, the questionnaire's
  English wording), shown as it was entered;
- the service's own configuration: its name, phase and operator, the cookie names, the language names;
- a brand named in ALLOWED;
- a message the catalogue deliberately keeps the same in both languages ("CSV", "DPIA").

Not every page is in Welsh yet. ENGLISH_LEFT counts, per page, the English pieces still shown (the union
over roles and variants); a page showing more than its count, or a page not listed showing any, fails.
When you translate a page, lower its count (or remove it) so it cannot slip back.
"""

import pytest
from api_fixtures import ROLES, client_for
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import trans_real
from test_access_matrix import CASES, expect, url_of

from oversight.surveys.tests.test_welsh import untranslated

pytest_plugins = ['api_fixtures']

# Proper names the pages use in both languages (each is named on its page, e.g. a link to its site).
ALLOWED = {'AbilityNet'}

# Lower a count when its page gains Welsh; never raise one to make the test pass: that hides new English.
ENGLISH_LEFT: dict[str, int] = {
    'accounts:user_detail': 2,
    'accounts:user_list': 2,
    # drf-spectacular's schema stays English (docs/welsh.md): each API operation adds its own text
    'api:docs': 363,
    'api:token': 3,
    'compliance:assessment_answer': 1,
    'compliance:assessment_start': 1,
    'compliance:evidence_add': 13,
    'compliance:evidence_delete': 2,
    # +1: an open review task's stored reason, in one text with the colon after its kind
    'compliance:governance_detail': 1,
    'compliance:governance_edit': 7,
    'compliance:governance_list': 1,
    'compliance:principle_list': 4,
    # a review task's stored causes and its history (field names and values as recorded)
    'compliance:task_detail': 3,
    # the public page's address, not words
    'compliance:transparency_publish': 1,
    'discovery:device_accept': 7,
    'discovery:device_detail': 12,
    'discovery:scan_detail': 1,
    'discovery:scan_upload': 1,
    'discovery:token_list': 3,
    'discovery:token_revoke': 5,
    # the regulator's own text, shown in English where no Welsh text was written (docs/welsh.md)
    'findings:report': 6,
    'findings:report_edit': 234,
    'findings:version': 6,
    'jobs:job_detail': 2,
    'organisations:group_create': 2,
    'organisations:group_member_remove': 3,
    'organisations:organisation_create': 8,
    'organisations:organisation_detail': 3,
    'organisations:organisation_language': 2,
    'organisations:organisation_list': 2,
    # a known exploited vulnerability's name, quoted from CISA's catalogue (marked lang="en")
    'policy:body': 1,
    # a known exploited vulnerability's name, quoted from CISA's catalogue (marked lang="en")
    'policy:policy': 1,
    # the report's title and summary where no Welsh was written, and the licence's name
    'publications:publication': 4,
    'publications:publication_list': 1,
    'publications:report': 8,
    'register:equipment_create': 3,
    'register:equipment_delete': 4,
    # the line's identification evidence ("Declared maker: Hikvision."), made in Python; the policy panel is in Welsh
    'register:equipment_detail': 1,
    'register:equipment_edit': 3,
    'register:equipment_import': 2,
    'register:equipment_list': 1,
    'register:import_discard': 6,
    'register:import_preview': 1,
    'register:site_create': 1,
    'register:site_delete': 3,
    'register:site_edit': 1,
    'register:site_import': 2,
    'register:system_create': 1,
    'register:system_delete': 2,
    'register:system_edit': 1,
    'register:system_import': 2,
    'surveys:campaign_close': 3,
    'surveys:campaign_corrections': 2,
    'surveys:campaign_create': 3,
    'surveys:campaign_detail': 7,
    'surveys:campaign_edit': 1,
    'surveys:campaign_remind_outstanding': 2,
    'surveys:invitation_contacts': 1,
    'surveys:invitation_detail': 1,
    'surveys:invitation_remind': 1,
    'surveys:return_accept': 4,
    'surveys:return_correct': 2,
    # the return as read: its stored answers, and the answers' values (codes, typed names) in its history
    'surveys:return_detail': 10,
    'surveys:return_section': 1,
    'vendors:brand_add': 5,
    'vendors:brand_detail': 5,
    'vendors:brand_edit': 5,
    'vendors:concernlist_add': 5,
    'vendors:concernlist_edit': 4,
    'vendors:concernlist_list': 2,
    'vendors:designation_add': 4,
    'vendors:designation_delete': 1,
    'vendors:designation_edit': 4,
    'vendors:manufacturer_add': 5,
    'vendors:manufacturer_detail': 5,
    'vendors:manufacturer_edit': 5,
    'vendors:manufacturer_list': 8,
    'vendors:name_add': 2,
    'vendors:name_delete': 1,
    'vendors:name_edit': 2,
    'vendors:relation_add': 4,
    'vendors:relation_delete': 1,
    'vendors:relation_edit': 4,
    'vendors:resolve': 2,
}


def stored_text() -> set[str]:
    """Every piece of text held in the database, whitespace collapsed as the pages show it."""
    found = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        if fields:
            for row in model.objects.values_list(*fields):
                found.update(' '.join(value.split()) for value in row if value)
    return found


def configuration() -> set[str]:
    return {
        'Oversight',
        *settings.OVERSIGHT_OPERATOR.values(),
        *dict(settings.LANGUAGES).values(),
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }


def html_in(client, url: str, language: str) -> str | None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    if response.status_code != 200 or not response.get('Content-Type', '').startswith('text/html'):
        return None  # a download, a redirect or a refusal: not a page of this role
    return response.content.decode()


def english_left(world, role: str, data: set[str]) -> dict[str, set[str]]:
    client = client_for(world, role)
    left: dict[str, set[str]] = {}
    for name, _index, case in CASES:
        if expect(case.get)[role] != '200':
            continue
        base = url_of(world, name, case)
        for url in (base, *(base + query for query in case.queries)):
            english = html_in(client, url, 'en-gb')
            if english is None:
                continue
            welsh = html_in(client, url, 'cy')
            assert '<html' not in welsh or '<html lang="cy"' in welsh, url  # fragments HTMX swaps in have none
            left.setdefault(name, set()).update(untranslated(english, welsh, data))
    return left


@pytest.mark.parametrize('role', ROLES)
def test_no_page_shows_more_english_in_welsh_than_is_known(world, db, role):
    left = english_left(world, role, stored_text() | configuration() | ALLOWED)
    more = {name: sorted(texts) for name, texts in left.items() if len(texts) > ENGLISH_LEFT.get(name, 0)}
    assert more == {}, 'English on these Welsh pages: mark it for translation and translate it (docs/welsh.md)'


def test_the_walk_finds_english_left_on_a_welsh_page(world, db, monkeypatch):
    """With every message left untranslated, the walk reports the statements' English as left on the page."""
    monkeypatch.setattr(trans_real.DjangoTranslation, 'gettext', lambda self, message: message)
    left = english_left(world, 'anonymous', stored_text() | configuration() | ALLOWED)
    assert 'Accessibility statement for Oversight' in left['core:accessibility']
    assert 'Essential cookies' in left['core:cookies']
