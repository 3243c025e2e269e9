"""The return in Welsh: every page of the journey, and the emails a Welsh body is sent (docs/welsh.md).

Each page is rendered twice, in English and in Welsh, from the same state. A piece of text the Welsh
page shows exactly as the English page does is untranslated, unless it is data (a name, a typed answer,
a reference) or the catalogue translates it to itself on purpose ("Brand", "Model").
"""

import datetime
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from oversight.organisations.actions import set_preferred_language
from oversight.organisations.models import Language
from oversight.surveys.actions.invitations import send_invitations, send_reminder, set_contacts
from oversight.surveys.actions.returns import Declaration, return_with_query, submit_return
from oversight.surveys.journey import Item
from oversight.surveys.models import Contact, Question, Return, Section

from .conftest import complete_answers, london
from .test_return_journey import SECTIONS, _commits, complete_every_section, section_answers, section_post, section_url
from .test_views import kent_register  # noqa: F401 (a fixture)
from .test_workflow import COMPLETE_LINES, with_lines

DURING = london(2022, 7, 10, 12)
CATALOGUE = Path(settings.LOCALE_PATHS[0]) / 'cy' / 'LC_MESSAGES'


class VisibleText(HTMLParser):
    """The text a person meets on a page: text outside scripts and styles, the title, and accessible names.
    Code (column names, commands, placeholders in `<code>`) is not words in either language."""

    NOT_WORDS = ('script', 'style', 'code', 'kbd', 'samp')

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.NOT_WORDS:
            self._hidden += 1
        for name, value in attrs:
            if name in ('aria-label', 'alt', 'placeholder') and value:
                self._add(value)

    def handle_endtag(self, tag):
        if tag in self.NOT_WORDS:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._add(data)

    def _add(self, text):
        text = ' '.join(text.split())
        if re.search(r'[^\W\d_]', text):  # something with letters in it
            self.found.append(text)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.found


def same_in_both() -> set[str]:
    """What the Welsh catalogue (Oversight's and Django's) deliberately leaves as the English."""
    with translation.override('cy'):
        catalogue = translation.trans_real.translation('cy')._catalog
    return {msgid for msgid, msgstr in catalogue.items() if isinstance(msgid, str) and msgid == msgstr}


def untranslated(english: str, welsh: str, data: set[str]) -> list[str]:
    shown_in_english = set(visible_text(english))
    allowed = data | same_in_both()
    return sorted({text for text in visible_text(welsh) if text in shown_in_english and text not in allowed})


class BothLanguages:
    """A signed-in client that makes each request twice, in English and in Welsh (the language cookie)."""

    def __init__(self, client, data: set[str]):
        self.client, self.data = client, data
        self.pages: dict[str, list[str]] = {}

    def _as(self, language, method, url, payload):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = (
            getattr(self.client, method)(url, payload) if payload is not None else getattr(self.client, method)(url)
        )
        assert response.status_code in (200, 400), (url, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        return html

    def check(self, name: str, url: str, payload=None, method='get') -> str:
        english = self._as('en-gb', method, url, payload)
        welsh = self._as('cy', method, url, payload)
        self.pages[name] = untranslated(english, welsh, self.data)
        return welsh


@pytest.fixture(autouse=True)
def _during_the_campaign():
    with time_machine.travel(DURING, tick=False):
        yield


def journey_data(invitation, user) -> set[str]:
    """What the pages show as it was entered, in whichever language: names, typed answers, the lines."""
    answers = complete_answers()
    typed = {str(v) for v in answers.values() if isinstance(v, str) and not v.islower()}
    lines = {f'{line["manufacturer"]} {line["model"]}: {line["quantity"]}' for line in COMPLETE_LINES}
    return {
        'Oversight',  # the service's name
        settings.OVERSIGHT_OPERATOR['phase'],
        *dict(settings.LANGUAGES).values(),  # the switcher names each language in itself
        str(invitation.organisation),
        str(invitation.campaign),
        user.username,
        *typed,
        *lines,
    }


def complete_confirming_warnings(client, invitation, answers):
    """Every section completed, each warning the register raises confirmed (the journey test pre-fills)."""
    for code in SECTIONS:
        version = Return.objects.filter(invitation=invitation).values_list('version', flat=True).first() or 0
        checks = [
            f'{code}.operates:register',
            f'{code}.cameras:below-lines',
            f'{code}.concern_equipment:makers-of-concern',
        ]
        data = section_post(section_answers(code, answers), version, confirm=checks)
        assert client.post(section_url(invitation, code), data).status_code == 302, code


@pytest.mark.usefixtures('kent_register')  # pre-filled answers, their sources and a warning
def test_no_page_of_the_welsh_return_journey_shows_an_untranslated_string(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    pages = BothLanguages(client, journey_data(invitation_a, editor_a))
    tasks = reverse('surveys:return_edit', args=[invitation_a.pk])
    welsh = pages.check('task list, not started', tasks)
    assert 'Heb ddechrau' in welsh and 'Teledu cylch cyfyng allanol' in welsh  # statuses and section titles
    for code in SECTIONS:
        welsh = pages.check(f'section {code}, pre-filled', section_url(invitation_a, code))
    assert 'Pwy yw eich Uwch Swyddog Cyfrifol' in welsh  # the questionnaire's own Welsh wording
    # Errors: completed chosen with nothing answered, and the section's completion not chosen at all.
    pages.check('section with errors', section_url(invitation_a, 'governance'), section_post({}, 0), method='post')
    pages.check(
        'section without its completion',
        section_url(invitation_a, 'drone'),
        section_post({}, 0, completed=''),
        method='post',
    )
    # A warning to confirm: a total below the lines' devices.
    below = {**section_answers('external_cctv', with_lines()), 'external_cctv.cameras': '5'}
    welsh = pages.check(
        'section with a warning', section_url(invitation_a, 'external_cctv'), section_post(below, 0), 'post'
    )
    assert 'Cadarnhewch fod hyn yn gywir' in welsh
    upload = reverse('surveys:return_upload', args=[invitation_a.pk])
    pages.check('workbook upload', upload)
    pages.check('workbook upload with errors', upload, {}, method='post')
    complete_confirming_warnings(client, invitation_a, with_lines(complete_answers()))
    pages.check('task list, completed', tasks)
    pages.check('check your answers', reverse('surveys:return_check', args=[invitation_a.pk]))
    declare = reverse('surveys:return_declare', args=[invitation_a.pk])
    pages.check('declaration', declare)
    version = Return.objects.get(invitation=invitation_a).version
    welsh = pages.check('declaration with errors', declare, {'version': version}, method='post')
    assert '<title>Gwall: Datganiad' in welsh and 'Mae problem' in welsh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'cy'
    declared = {
        'declarant_name': 'Jo Bloggs',
        'declarant_role': 'Head of CCTV',
        'declared_for': 'A. Chief',
        'confirm': 'on',
        'version': version,
    }
    assert client.post(declare, declared).status_code == 302
    reference = Return.objects.get(invitation=invitation_a).reference
    pages.data |= {reference, 'Jo Bloggs', 'Head of CCTV'}
    welsh = pages.check('confirmation', reverse('surveys:return_submitted', args=[invitation_a.pk]))
    assert 'Ffurflen wedi’i chyflwyno' in welsh and '10 Gorffennaf 2022, canol dydd' in welsh
    assert {name: texts for name, texts in pages.pages.items() if texts} == {}


def test_the_sign_in_page_and_its_error_are_in_welsh(client, editor_a):
    pages = BothLanguages(client, journey_data_for_sign_in())
    login = reverse('account_login')
    welsh = pages.check('sign in', login)
    assert 'Mewngofnodi i Oversight' in welsh
    welsh = pages.check('sign in refused', login, {'login': editor_a.username, 'password': 'wrong'}, method='post')
    assert 'Mae problem' in welsh
    assert {name: texts for name, texts in pages.pages.items() if texts} == {}


def test_a_return_queried_by_the_regulator_is_answered_in_welsh(client_for, editor_a, regulator, invitation_a):
    survey_return = submit_return(
        editor_a, invitation_a, with_lines(complete_answers()), declaration=Declaration('Sam', 'Analyst', 'A. Chief')
    )
    query = 'Are all 40 cameras in public places?'  # the regulator's own words, in the language it wrote them
    return_with_query(regulator, survey_return, query)
    pages = BothLanguages(client_for(editor_a), journey_data(invitation_a, editor_a) | {query})
    welsh = pages.check('task list, queried', reverse('surveys:return_edit', args=[invitation_a.pk]))
    assert 'Mae swyddfa’r Comisiynydd yn gofyn' in welsh
    pages.check('a section, queried', section_url(invitation_a, 'governance'))
    check = reverse('surveys:return_check', args=[invitation_a.pk])
    welsh = pages.check('check your answers, queried', check)
    assert f'Eich ateb i: {query}' in welsh and 'Ateb yr ymholiad ac ailgyflwyno' in welsh
    version = Return.objects.get(invitation=invitation_a).version
    welsh = pages.check('query left unanswered', check, {'version': version}, method='post')
    assert f'Atebwch yr ymholiad &quot;{query}&quot;.' in welsh
    assert {name: texts for name, texts in pages.pages.items() if texts} == {}


def test_the_evidence_of_equipment_of_concern_is_in_welsh():
    """The makers identified in the register, shown under "any equipment of concern?" (one device, and several)."""
    question = Question(code='concern_equipment', text='Any?', kind=Question.Kind.YES_NO_UNKNOWN)
    question.section = Section(code='drone', title='Drones')
    item = Item(question, evidence=[{'devices': 1, 'maker': 'DJI', 'evidence': []}, {'devices': 3, 'maker': 'Hik'}])
    context = {'question': question, 'item': item, 'confirmed': set()}
    with translation.override('en-gb'):
        english = render_to_string('surveys/question_hint.html', context)
    with translation.override('cy'):
        welsh = render_to_string('surveys/question_hint.html', context)
    assert '1 device made by DJI' in english and '3 devices made by Hik' in english
    assert '1 ddyfais wedi’i gwneud gan DJI' in welsh and '3 dyfais wedi’u gwneud gan Hik' in welsh
    assert untranslated(english, welsh, set()) == []


@pytest.mark.django_db
def test_the_locked_out_page_is_in_welsh():
    context = {'failure_limit': 5, 'username': 'editor_a', 'cooloff_timedelta': datetime.timedelta(hours=1)}
    with translation.override('en-gb'):
        english = render_to_string('accounts/locked_out.html', context)
    with translation.override('cy'):
        welsh = render_to_string('accounts/locked_out.html', context)
    assert untranslated(english, welsh, journey_data_for_sign_in() | {'editor_a'}) == []
    assert 'wedi’i gloi am 60 munud' in welsh


def journey_data_for_sign_in() -> set[str]:
    return {'Oversight', settings.OVERSIGHT_OPERATOR['phase'], *dict(settings.LANGUAGES).values()}


def test_the_check_fails_on_a_string_left_in_english():
    """The comparison the journey test relies on catches English left on a Welsh page, and lets data through."""
    english = '<html lang="en-gb"><title>Declaration</title><h1>Declaration</h1><p>Kent Police</p><p>Brand</p></html>'
    welsh = '<html lang="cy"><title>Datganiad</title><h1>Declaration</h1><p>Kent Police</p><p>Brand</p></html>'
    assert untranslated(english, welsh, {'Kent Police'}) == ['Declaration']


def test_every_message_of_the_welsh_catalogue_is_translated_and_compiled(tmp_path):
    po = (CATALOGUE / 'django.po').read_text(encoding='utf-8')
    entries = po.split('\n\n')[1:]  # after the header
    # An empty msgstr: "" with no continuation line after it.
    empty = [entry for entry in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, re.M)]
    assert empty == []
    assert not [entry for entry in entries if '#, fuzzy' in entry]
    # The committed django.mo is what `compilemessages` makes of django.po (run `make messages` after editing it).
    compiled = tmp_path / 'django.mo'
    subprocess.run(['msgfmt', '--check-format', '-o', compiled, CATALOGUE / 'django.po'], check=True)
    assert compiled.read_bytes() == (CATALOGUE / 'django.mo').read_bytes()


def test_a_welsh_body_gets_its_invitation_and_reminder_in_welsh(regulator, campaign, invitation_a, invitation_b):
    set_preferred_language(regulator, invitation_a.organisation, Language.WELSH)
    set_contacts(regulator, invitation_a, [('Sam Okafor', 'sam@kent.police.example', 'SRO')])
    set_contacts(regulator, invitation_b, [('Tom Barker', 'tom@essex.police.example', 'SRO')])
    with translation.override('en-gb'):  # whatever the language of the regulator's page
        send_invitations(regulator, campaign, now=london(2022, 6, 24, 10))
    by_address = {message.to[0]: message for message in mail.outbox}
    welsh, english = by_address['sam@kent.police.example'], by_address['tom@essex.police.example']
    assert welsh.subject == 'Police survey 2022: gofynnir am eich ffurflen'
    assert 'Annwyl gydweithiwr' in welsh.body and 'Cyflwynwch hi erbyn 31 Awst 2022, 5yh.' in welsh.body
    assert english.subject == 'Police survey 2022: your return is requested'
    assert 'Please submit it by 31 August 2022, 5pm.' in english.body
    mail.outbox.clear()
    with translation.override('cy'):
        send_reminder(regulator, invitation_b, now=london(2022, 7, 10, 10))
        send_reminder(regulator, invitation_a, now=london(2022, 7, 10, 10))
    assert mail.outbox[0].subject == 'Reminder 1: Police survey 2022 return for Essex Police'
    assert mail.outbox[1].subject == 'Nodyn atgoffa 1: ffurflen Police survey 2022 ar gyfer Kent Police'
    assert 'Y dyddiad cau yw 31 Awst 2022, 5yh.' in mail.outbox[1].body


def test_a_welsh_body_gets_its_receipt_in_welsh_with_the_welsh_questions(client_for, regulator, editor_a, invitation_a):
    set_preferred_language(regulator, invitation_a.organisation, Language.WELSH)
    Contact.objects.create(invitation=invitation_a, name='Sam Okafor', email='sam@kent.police.example', role='SRO')
    client = client_for(editor_a)  # the pages in English: the receipt follows the body's language
    complete_every_section(client, invitation_a, with_lines(complete_answers()))
    version = Return.objects.get(invitation=invitation_a).version
    declared = {'declarant_name': 'Jo', 'declarant_role': 'Head', 'declared_for': 'A. Chief', 'confirm': 'on'}
    with _commits():
        response = client.post(
            reverse('surveys:return_declare', args=[invitation_a.pk]), {**declared, 'version': version}
        )
    assert response.status_code == 302
    (receipt,) = mail.outbox
    assert 'wedi dod i law, cyfeirnod OVS-2022-' in receipt.subject
    assert '1.1 Ydy eich heddlu yn gweithredu camerâu teledu cylch cyfyng allanol' in receipt.body
    assert '\n    Ie\n' in receipt.body  # the answer's label in Welsh
    name, content, _type = receipt.attachments[0]
    assert content.lstrip('\ufeff').splitlines()[0] == 'Rhif,Cwestiwn,Ateb'


def test_a_question_without_welsh_wording_is_shown_in_english_and_marked_so(client_for, editor_a, invitation_a):
    Question.objects.filter(section__code='governance', code='sro_name').update(text_cy='')  # as a new version may
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'cy'
    page = client.get(section_url(invitation_a, 'governance')).content.decode()
    assert '<span lang="en-gb">Who is your Senior Responsible Officer for surveillance camera systems?</span>' in page
    assert 'Beth yw ei reng neu ei rôl?' in page  # the others in Welsh, unmarked
    assert '<span lang="en-gb">Beth' not in page


def test_the_return_as_submitted_reads_in_welsh(client_for, editor_a, invitation_a):
    """The return read after submission shows the questionnaire's Welsh wording on a Welsh page."""
    survey_return = submit_return(
        editor_a, invitation_a, with_lines(complete_answers()), declaration=Declaration('Sam', 'Analyst', 'A. Chief')
    )
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'cy'
    page = client.get(reverse('surveys:return_detail', args=[survey_return.pk])).content.decode()
    assert 'Pwy yw eich Uwch Swyddog Cyfrifol' in page and 'Teledu cylch cyfyng allanol' in page
    assert 'Who is your Senior Responsible Officer' not in page
