"""Policy's pages in Welsh (docs/welsh.md): the text the engine makes, the rules' own words, and exports in English.

An evaluation is kept per process and read by people of either language (policy.evaluation), so its text is
written when it is read: a page in Welsh rendered from an evaluation built for an English page is Welsh, and
the English page rendered after it is exactly what it was.
"""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from oversight.policy import evaluation
from oversight.policy.evaluation import evaluate_register
from oversight.register.models import EquipmentLine

from .conftest import TODAY, line
from .test_views import registers  # noqa: F401 (a fixture)

# What the Welsh pages say for the lines below: the reason's clauses, due bases, severities, a rule's title, a
# rule set's name, a tag and the quarter of the plan's timeline.
WELSH = [
    'Wedi’i werthu fel Honeywell, wedi’i wneud gan Dahua, sydd â’i bencadlys yn Tsieina',
    'ar safle sensitif Maidstone HQ',
    'dyddiad gosod heb ei gofnodi',
    'ers i’r rheol ddod i rym ar 24 Tachwedd 2022',
    'pan gafodd ei osod',
    'Rhaid',
    'Dim gosod newydd ar safleoedd sensitif',
    'Datganiad llywodraeth y DU ar systemau gwyliadwriaeth weledol (24 Tachwedd 2022)',
    'Yn hwyr',
]
# Their English, which a Welsh page no longer shows.
ENGLISH = [
    'Sold as Honeywell, made by Dahua, headquartered in China',
    'on sensitive site Maidstone HQ',
    'installation date not recorded',
    'since the rule took effect on 24 November 2022',
    'when it was installed',
    'No new deployment on sensitive sites',
    'UK government statement on visual surveillance systems (24 November 2022)',
]


@pytest.fixture(autouse=True)
def _on_the_tests_day():
    """Pages evaluate on the day of the tests' due dates (TODAY), so the timeline starts in 2026 Q1."""
    with time_machine.travel(datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def kent(registers, estate_a, makers):  # noqa: F811
    """Kent's sensitive HQ: the Honeywell relabel made by Dahua installed after the statement (must, overdue) of
    test_views, and Hikvision cameras whose installation date and network are not recorded (should, consider)."""
    hikvision = line(
        estate_a,
        made_by=makers.hikvision,
        model='DS-2CD2032F-I',
        firmware='V5.3.0 build 150513',
        network=EquipmentLine.Network.UNKNOWN,
        quantity=3,
    )
    return registers[0], hikvision


@pytest.fixture
def counted(monkeypatch):
    """How many times the register was evaluated afresh (the rest were served from the kept evaluation)."""
    evaluation.forget_evaluations()
    found = []
    real = evaluation.evaluate_register
    monkeypatch.setattr(evaluation, 'evaluate_register', lambda *a, **k: found.append(1) or real(*a, **k))
    yield found
    evaluation.forget_evaluations()


def get(client, url, language: str, **params) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html or '<html' not in html
    return html


def without_tokens(html: str) -> str:
    """The page without what differs on every request (form tokens, script nonces)."""
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', '', html)


@pytest.mark.parametrize('first', ['en-gb', 'cy'])
def test_a_kept_evaluation_is_read_in_each_readers_language(client_for, editor_a, kent, counted, first):
    client = client_for(editor_a)
    url = reverse('policy:body', args=['kent-police'])
    pages = {first: get(client, url, first)}
    second = 'cy' if first == 'en-gb' else 'en-gb'
    pages[second] = get(client, url, second)
    assert len(counted) == 1  # the second page was rendered from the evaluation the first one built
    for text in WELSH:
        assert text in pages['cy'], text
    for text in ENGLISH:
        assert text not in pages['cy'], text
        assert text in pages['en-gb'], text
    assert '2026 Ch1' in pages['cy'] and '2026 Q1' in pages['en-gb']  # the timeline's quarter
    # The English page is the same whether the evaluation it reads was built for it or for a Welsh page, and
    # after a Welsh page read it.
    again = get(client, url, 'en-gb')
    evaluation.forget_evaluations()
    fresh = get(client, url, 'en-gb')
    assert without_tokens(pages['en-gb']) == without_tokens(again) == without_tokens(fresh)


def test_the_evaluations_text_is_written_when_read(editor_a, kent):
    with translation.override('en-gb'):
        found = evaluate_register(EquipmentLine.objects.filter(organisation=editor_a.organisation), editor_a, TODAY)
    obligation = next(o for o in found.obligations if o.rule.slug == 'no-new-deployment')
    with translation.override('cy'):
        assert str(obligation.due_basis) == 'pan gafodd ei osod'
        assert str(obligation.severity_label) == 'Rhaid'
        assert obligation.reason.startswith('Wedi’i werthu fel Honeywell, wedi’i wneud gan Dahua')
        assert obligation.rule.shown_title == 'Dim gosod newydd ar safleoedd sensitif'
        assert str(found.plan.timeline[0].label) == 'Yn hwyr'
    with translation.override('en-gb'):
        assert obligation.due_basis == 'when it was installed'
        assert obligation.reason.startswith('Sold as Honeywell, made by Dahua, headquartered in China')
        assert obligation.rule.shown_title == 'No new deployment on sensitive sites'
        assert found.plan.timeline[0].label == 'Overdue'


def test_the_equipment_panel_renders_a_kept_evaluation_in_welsh(editor_a, kent):
    relabel, _ = kent
    with translation.override('en-gb'):
        found = evaluate_register(EquipmentLine.objects.filter(pk=relabel.pk), editor_a, TODAY)
    context = {'obligations': found.obligations, 'vulnerabilities': [m.match for m in found.vulnerabilities]}
    with translation.override('cy'):
        welsh = render_to_string('policy/line_panel.html', context)
    with translation.override('en-gb'):
        english = render_to_string('policy/line_panel.html', context)
    assert 'sydd â’i bencadlys yn Tsieina' in welsh and 'headquartered in China' not in welsh
    assert 'Rhaid' in welsh and 'pan gafodd ei osod' in welsh
    assert 'headquartered in China' in english and 'when it was installed' in english and 'Must' in english


def test_the_decision_page_and_the_equipment_panel_are_in_welsh(client_for, editor_a, kent):
    relabel, hikvision = kent
    client = client_for(editor_a)
    url = reverse('policy:decision', args=['kent-police', hikvision.pk, 'uk-wms-2022', 'consider-removal-sensitive'])
    welsh = get(client, url, 'cy')
    assert 'Ystyried tynnu oddi ar safleoedd sensitif (Ystyried)' in welsh
    assert 'Wedi’i wneud gan Hikvision, sydd â’i bencadlys yn Tsieina' in welsh
    assert 'dyddiad adolygu (ni chofnodwyd uwchraddiad a drefnwyd)' in welsh
    assert 'Consider removal from sensitive sites' not in welsh
    english = get(client, url, 'en-gb')
    assert 'Consider removal from sensitive sites (Consider)' in english
    assert 'review date (no scheduled upgrade recorded)' in english
    detail = get(client, reverse('register:equipment_detail', args=[relabel.pk]), 'cy')
    assert 'Dim gosod newydd ar safleoedd sensitif' not in detail  # the panel shows the reason, not the title
    assert 'sydd â’i bencadlys yn Tsieina' in detail and 'pan gafodd ei osod' in detail
    assert 'Datganiad llywodraeth y DU ar systemau gwyliadwriaeth weledol' in detail


def test_the_vulnerabilities_quote_cisa_in_english_and_mark_it(client_for, editor_a, kent):
    client = client_for(editor_a)
    welsh = get(client, reverse('policy:body', args=['kent-police']), 'cy')
    assert re.search(r'<span lang="en">[^<]+</span>', welsh)  # the catalogue's own words, marked as English
    english = get(client, reverse('policy:body', args=['kent-police']), 'en-gb')
    assert '<span lang="en">' not in english


@pytest.mark.parametrize('export', ['obligations', 'plan', 'vulnerabilities'])
def test_downloads_are_english_from_a_welsh_page(client_for, editor_a, kent, export):
    client = client_for(editor_a)
    url = reverse('policy:body', args=['kent-police'])
    get(client, url, 'cy')  # a kept evaluation, first read in Welsh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'cy'
    welsh_csv = client.get(url, {'export': export, 'format': 'csv'}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'en-gb'
    assert welsh_csv == client.get(url, {'export': export, 'format': 'csv'}).content.decode()
    rows = list(csv.reader(io.StringIO(welsh_csv)))
    assert len(rows) > 1
    text = welsh_csv
    if export == 'obligations':
        assert 'Sold as Honeywell, made by Dahua, headquartered in China' in text
        assert 'when it was installed' in text and 'Must' in text
        assert 'No new deployment on sensitive sites' in text
        assert 'UK government statement on visual surveillance systems (24 November 2022)' in text
    if export == 'vulnerabilities':
        assert 'Possibly affected' in text or 'Affected' in text
    for welsh in ('Tsieina', 'Rhaid', 'Dylid', 'Ystyried', 'pan gafodd', 'Wedi’i effeithio', 'Efallai'):
        assert welsh not in text, welsh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'cy'
    workbook = client.get(url, {'export': export, 'format': 'xlsx'}).content
    cells = [str(v) for row in load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True) for v in row]
    assert not any('Tsieina' in cell or cell in ('Rhaid', 'Ystyried') for cell in cells)
