"""Every page of the access matrix in Welsh, as every role that can open it (docs/welsh.md).

Each HTML page the matrix says a role may open (with its filter and search variants) is fetched twice from
the same state of the two-body world, in English and in Welsh (the language cookie). A piece of visible
text, a title or an accessible name the Welsh page shows exactly as the English does is English left on
the page (surveys/tests/test_welsh.py compares them), unless it is

- data: text stored in the database (names, references, typed values, reference data, the questionnaire's
  English wording), shown as it was entered;
- the service's own configuration: its name, phase and operator, the cookie names, the language names;
- a proper name in ALLOWED;
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

# Proper names the pages use in both languages: a brand named on its page (a link to its site), and certification
# bodies a governance record's drop-down offers (names that are the same in Welsh, not declared in core/labels.py).
ALLOWED = {'AbilityNet', 'IQ Verify', 'SSAIB'}

# Lower a count when its page gains Welsh; never raise one to make the test pass: that hides new English.
ENGLISH_LEFT: dict[str, int] = {
    # the page title: the person's user name and the service's name
    'accounts:user_detail': 2,
    # drf-spectacular's schema stays English (docs/welsh.md): each API operation adds its own text
    'api:docs': 276,
    # an open review task's stored reason, in one text with the colon after its kind
    'compliance:governance_detail': 1,
    # the principles' source notes, reference data quoted with its sources
    'compliance:principle_list': 4,
    # a review task's stored causes and its history (values as recorded)
    'compliance:task_detail': 3,
    # the public page's address, not words
    'compliance:transparency_publish': 1,
    # the identification evidence and the concern lists' sources, recorded in English with the device
    'discovery:device_detail': 12,
    # the device's name as read from the network
    'discovery:scan_detail': 1,
    # the agent's command line, shown as an accessible name
    'discovery:token_list': 1,
    # the regulator's own text, shown in English where no Welsh text was written (docs/welsh.md)
    'findings:report': 6,
    'findings:version': 6,
    # the job's error, recorded in English when it ran (its description, stage and counts are Welsh)
    'jobs:job_detail': 1,
    # the body's groups and its source, data joined in one text
    'organisations:organisation_detail': 3,
    'organisations:organisation_list': 2,
    # a known exploited vulnerability's name, quoted from CISA's catalogue (marked lang="en")
    'policy:body': 1,
    'policy:policy': 1,
    # the report's title and summary where no Welsh was written
    'publications:publication': 3,
    'publications:publication_list': 1,
    'publications:report': 7,
    # the line's identification evidence ("Declared maker: Hikvision."), recorded in English with the line
    'register:equipment_detail': 1,
    # a name from the uploaded file, not yet stored
    'register:import_preview': 1,
    # typed answers (names) stored in the returns' answers
    'surveys:campaign_corrections': 2,
    # the return as read: its stored answers, and the answers' values (codes, typed names) in its history
    'surveys:return_detail': 10,
    'surveys:return_section': 1,
    # each maker's other names and concern lists, data joined in one text
    'vendors:manufacturer_list': 8,
    # the identification evidence, written in English as the register records it (vendors/resolution.py)
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


# Each page with a piece of its fixed text the Welsh page must show: a confirmation's warning and what it affects,
# help texts the models give (core/labels.py HELP_TEXTS) and a form gives, and choices of forms that set their
# choices late or never call govuk_widgets themselves (ActionFormView translates them as the form finally is).
WELSH_FORMS = {
    'register:site_delete': ('Cofnodir y dilead yn yr hanes', '>Safle</dt>', '>Corff</dt>'),
    'register:equipment_create': ('Fel ar yr anfoneb neu’r ddyfais.', 'Dewisol, e.e. 00:1F:54:12:AB:CD.'),
    'vendors:manufacturer_add': (
        'Yr enw safonol, fel y mae’r canfyddiadau’n ei argraffu.',
        'Ffynhonnell (cyfeiriad gwe)',
    ),
    'organisations:organisation_create': ('Heddlu tiriogaethol', 'Ychwanegu sefydliad'),
    'discovery:device_accept': ('Dewiswch sut mae wedi’i chysylltu', 'Wedi’i gysylltu â’r rhwydwaith craidd'),
}


@pytest.mark.parametrize('name', WELSH_FORMS)
def test_a_confirmation_and_forms_with_help_texts_and_choices_are_all_welsh(world, db, name):
    case = next(case for page, _index, case in CASES if page == name)
    role = next(role for role, code in expect(case.get).items() if code == '200')
    client = client_for(world, role)
    url = url_of(world, name, case)
    english, welsh = html_in(client, url, 'en-gb'), html_in(client, url, 'cy')
    assert untranslated(english, welsh, stored_text() | configuration() | ALLOWED) == []
    for text in WELSH_FORMS[name]:
        assert text in welsh, text
