"""The published report's fixed text in Welsh (docs/welsh.md): every sentence of the report body's template,
shown on the English page, is translated on the Welsh one. The regulator's own text, the tables' titles and
the figures' labels are not (yet) translated, and are not checked here."""

import html
import re
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from oversight.findings import actions

from .test_publication import FIRST, TEXT, LaidOut
from .test_views import published, report  # noqa: F401 (fixtures)

TEMPLATES = ('findings/templates/findings/report_body.html', 'findings/templates/findings/data_table.html')


def fixed_text_patterns() -> list[tuple[str, re.Pattern]]:
    """Each English message of the report body's templates in the Welsh catalogue, as a pattern over page text."""
    po = (Path(settings.LOCALE_PATHS[0]) / 'cy' / 'LC_MESSAGES' / 'django.po').read_text(encoding='utf-8')
    found = []
    for entry in po.split('\n\n'):
        if not any(template in entry for template in TEMPLATES):
            continue
        msgid = ''.join(re.findall(r'"(.*)"', entry.split('msgid ', 1)[1].split('\nmsg', 1)[0]))
        msgid = msgid.replace('\\"', '"')
        pattern = re.sub(r'%\\\(\w+\\\)s', '.+?', re.escape(msgid))
        found.append((msgid, re.compile(pattern)))
    return found


def page_text(response) -> str:
    text = re.sub(r'<script.*?</script>|<style.*?</style>', ' ', response.content.decode(), flags=re.S)
    return ' '.join(html.unescape(re.sub(r'<[^>]+>', ' ', text)).split())


@pytest.mark.usefixtures('fast_pdf')
def test_the_published_reports_fixed_text_is_in_welsh(client_for, viewer_a, published):  # noqa: F811
    client = client_for(viewer_a)
    version = reverse('findings:version', args=['survey-2022', 1])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'en-gb'
    english = page_text(client.get(version))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'cy'
    welsh = page_text(client.get(version))
    # Sentences: a short label ("Responses") also names an English table title, which is not checked here.
    patterns = [(msgid, pattern) for msgid, pattern in fixed_text_patterns() if len(msgid.split()) >= 4]
    shown = [(msgid, pattern) for msgid, pattern in patterns if pattern.search(english)]
    assert len(shown) >= 10  # the page does show the report body's fixed text
    assert [msgid for msgid, pattern in shown if pattern.search(welsh)] == []
    for label in ('Ymatebion', 'Cyrff a wahoddwyd', 'Cyfradd ymateb', 'Heb ymateb', 'Sut y cyfrifir y ffigurau'):
        assert label in welsh


@pytest.mark.django_db
def test_the_pdf_frozen_at_publication_is_in_english_whatever_the_publishers_language(campaign, regulator, monkeypatch):
    """The published PDF is one file for everyone: a regulator reading Welsh pages still publishes it in English."""
    monkeypatch.setattr(weasyprint, 'HTML', LaidOut)  # render_pdf imports it when it renders
    report_ = actions.create_report(regulator, campaign, narrative_text=TEXT)
    with translation.override('cy'):
        actions.publish_report(regulator, report_, now=FIRST)
    text = ' '.join(' '.join(page.split()) for page in LaidOut.pages)
    assert 'How the figures are counted' in text and 'Response rate 67% (2 of 3 bodies invited)' in text
    assert 'Sut y cyfrifir' not in text and 'Cyfradd ymateb' not in text
