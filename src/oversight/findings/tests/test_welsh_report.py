"""The published report in Welsh (docs/welsh.md): every sentence of the report body's template, the tables'
titles and headings, the charts' text alternatives and the labels the data froze, shown on the English page, are
translated on the Welsh one; the regulator's own text is shown in Welsh when a Welsh text was written (else in
English, marked as English); publication freezes a PDF in each language, and the public pages offer both."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from oversight.findings import actions, downloads, narrative
from oversight.findings import report as figures
from oversight.findings.models import ReportVersion

from .test_publication import FIRST, TEXT
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
    # The tables' titles and headings, the labels the data froze in English, and the charts' text alternatives.
    for english_text, welsh_text in (
        ('Findings by category', 'Canfyddiadau fesul categori'),
        ('With concern, as first published', 'Â phryder, fel y’i cyhoeddwyd gyntaf'),
        ('Body-worn video', 'Fideo a wisgir ar y corff'),
        ('The concern list as it stood', 'Y rhestr pryder fel yr oedd'),
    ):
        assert english_text in english and english_text not in welsh and welsh_text in welsh
    alt = 'alt="Siart llinell: ymatebwyr â chyfarpar sy’n peri pryder fesul categori'
    assert alt in client.get(version).content.decode()


@pytest.mark.django_db
def test_publication_freezes_a_pdf_in_each_language_whatever_the_publishers_language(campaign, regulator, monkeypatch):
    rendered = []

    def render(context):
        rendered.append((translation.get_language(), context['title'], context['status_line']))
        return f'PDF in {translation.get_language()}'.encode()

    monkeypatch.setattr(actions, 'render_pdf', render)
    report_ = actions.create_report(regulator, campaign, narrative_text=TEXT)
    actions.update_report(regulator, report_, title='Findings', narrative_text=TEXT, title_cy='Canfyddiadau')
    with translation.override('cy'):
        version = actions.publish_report(regulator, report_, now=FIRST)
    assert rendered == [
        ('en-gb', 'Findings', 'Version 1, published 15 February 2023'),
        ('cy', 'Canfyddiadau', 'Fersiwn 1, cyhoeddwyd 15 Chwefror 2023'),
    ]
    assert (bytes(version.pdf), bytes(version.pdf_cy)) == (b'PDF in en-gb', b'PDF in cy')


WELSH_TEXT = (
    'Daeth {{ responded }} ymateb i law allan o gyfanswm posibl o {{ invited }}: cyfradd ymateb o '
    '{{ response_rate }}. Mae 3 corff yn defnyddio offer sy’n peri pryder gan {{ makers_of_concern }}.'
)


@pytest.mark.usefixtures('fast_pdf')
@pytest.mark.django_db
def test_the_regulators_welsh_text_is_published_beside_the_english(client, campaign, regulator):
    report_ = actions.create_report(regulator, campaign, narrative_text=TEXT)
    actions.update_report(
        regulator, report_, title=report_.title, narrative_text=TEXT, title_cy='Arolwg: canfyddiadau', narrative_cy=''
    )
    # A number typed in the Welsh is not read for its meaning: it waits for the regulator's confirmation.
    actions.update_report(
        regulator,
        report_,
        title=report_.title,
        narrative_text=TEXT,
        title_cy='Arolwg: canfyddiadau',
        narrative_cy=WELSH_TEXT,
    )
    checked = narrative.check(report_.narrative, figures.build(campaign), welsh=report_.narrative_cy)
    assert [typed for typed, _sentence in checked.unchecked] == ['3']
    with pytest.raises(ValidationError, match='Publication waits for you'):
        actions.publish_report(regulator, report_, now=FIRST)
    version = actions.publish_report(regulator, report_, now=FIRST, confirmed_unchecked=checked.unchecked_fingerprint)
    assert version.narrative_cy.startswith('Daeth 2 ymateb i law allan o gyfanswm posibl o 3: cyfradd ymateb o 67%')
    page = reverse('publications:report', args=['survey-2022', 1])
    welsh = client.get(page + '?lang=cy').content.decode()
    assert '<html lang="cy"' in welsh and '<h1 class="govuk-heading-l">Arolwg: canfyddiadau</h1>' in welsh
    assert 'Daeth 2 ymateb i law' in welsh and 'Two responses were received' not in welsh
    english = client.get(page + '?lang=en-gb').content.decode()
    assert 'Two responses were received' in english and 'Daeth 2 ymateb' not in english
    # The publication page's summary is the Welsh text's first paragraph on the Welsh page.
    summary = client.get(reverse('publications:publication', args=['survey-2022', 1]) + '?lang=cy').content.decode()
    assert 'Daeth 2 ymateb i law' in summary


@pytest.mark.usefixtures('fast_pdf')
@pytest.mark.django_db
def test_a_placeholder_the_welsh_text_gets_wrong_blocks_publication(campaign, regulator):
    report_ = actions.create_report(regulator, campaign, narrative_text=TEXT)
    actions.update_report(
        regulator, report_, title=report_.title, narrative_text=TEXT, narrative_cy='Cyfradd: {{ no_such_figure }}.'
    )
    with pytest.raises(ValidationError, match='In the Welsh text: The placeholder {{ no_such_figure }}'):
        actions.publish_report(regulator, report_, now=FIRST)


def test_without_a_welsh_text_the_welsh_page_shows_the_english_marked_as_english(client, published):  # noqa: F811
    welsh = client.get(reverse('publications:report', args=['survey-2022', 1]) + '?lang=cy').content.decode()
    assert 'data-testid="narrative" lang="en-GB"' in welsh and 'Two responses were received' in welsh
    # So are the English title, and on the publication page the English summary (WCAG 3.1.2, language of parts).
    assert f'<h1 class="govuk-heading-l" lang="en-GB">{published.title}</h1>' in welsh
    page = client.get(reverse('publications:publication', args=['survey-2022', 1]) + '?lang=cy').content.decode()
    assert 'data-testid="summary" lang="en-GB">Two responses were received' in page
    english = client.get(reverse('publications:report', args=['survey-2022', 1]) + '?lang=en-gb').content.decode()
    assert 'data-testid="narrative">' in english


def test_the_public_page_offers_the_report_and_its_pdf_in_both_languages(client, published):  # noqa: F811
    base = reverse('publications:publication', args=['survey-2022', 1])
    english = client.get(base + '?lang=en-gb').content.decode()
    report_page = reverse('publications:report', args=['survey-2022', 1])
    assert f'href="{report_page}?lang=cy" hreflang="cy"' in english
    assert f'href="{reverse("publications:pdf", args=["survey-2022", 1])}" hreflang="en-GB"' in english
    welsh_pdf = reverse('publications:pdf_cy', args=['survey-2022', 1])
    assert f'href="{welsh_pdf}" hreflang="cy"' in english
    welsh = client.get(base + '?lang=cy').content.decode()
    assert f'href="{report_page}?lang=en-gb" hreflang="en-GB"' in welsh and 'HTML, yn Saesneg' in welsh
    # The PDFs are the files frozen at publication, each in its language, whatever the reader's.
    response = client.get(welsh_pdf)
    assert response.content == bytes(published.pdf_cy) and response['Content-Language'] == 'cy'
    english_pdf = client.get(reverse('publications:pdf', args=['survey-2022', 1]))
    assert english_pdf.content == bytes(published.pdf) and english_pdf['Content-Language'] == 'en-GB'
    # An unpublished version is a 404 in either language.
    assert client.get(reverse('publications:pdf_cy', args=['survey-2022', 2])).status_code == 404
    assert client.get(reverse('publications:report', args=['survey-2022', 2]) + '?lang=cy').status_code == 404


def test_the_open_data_stays_english_from_a_welsh_page(client, published):  # noqa: F811
    base = reverse('publications:publication', args=['survey-2022', 1])
    client.get(base + '?lang=cy')
    csv = client.get(base + 'tables/categories.csv').content.decode('utf-8-sig')
    assert csv.startswith('Category,Respondents,Operating,') and 'Body-worn video' in csv
    metadata = client.get(base + 'tables/categories.csv-metadata.json').json()
    assert metadata['dc:title'] == 'Findings by category'
    assert metadata['dc:license'] == {'@id': downloads.OGL_URL}


def test_a_welsh_page_names_the_licence_in_welsh_and_links_its_welsh_text(client, published):  # noqa: F811
    for name in ('publication', 'report'):
        page = client.get(reverse(f'publications:{name}', args=['survey-2022', 1]) + '?lang=cy').content.decode()
        welsh = 'https://www.nationalarchives.gov.uk/doc/open-government-licence-cymraeg/version/3/'
        assert f'rel="license" href="{welsh}">Trwydded Llywodraeth Agored v3.0</a>' in page, name


def test_a_version_published_before_the_welsh_rendering_has_no_welsh_pdf(client, client_for, viewer_a, published):  # noqa: F811
    ReportVersion.objects.filter(pk=published.pk).update(pdf_cy=b'', pdf_cy_sha256='')
    assert client.get(reverse('publications:pdf_cy', args=['survey-2022', 1])).status_code == 404
    page = client.get(reverse('publications:publication', args=['survey-2022', 1])).content.decode()
    assert 'data-testid="pdf-cy"' not in page
    assert client_for(viewer_a).get(reverse('findings:version_pdf_cy', args=['survey-2022', 1])).status_code == 404
    # Its Welsh page is still rendered from its frozen data.
    assert client.get(reverse('publications:report', args=['survey-2022', 1]) + '?lang=cy').status_code == 200


@pytest.mark.usefixtures('fast_pdf')
@pytest.mark.django_db
def test_a_blank_welsh_text_is_no_welsh_text_and_no_change(campaign, regulator):
    report_ = actions.create_report(regulator, campaign, narrative_text=TEXT)
    actions.update_report(regulator, report_, title=report_.title, narrative_text=TEXT, narrative_cy='  \n ')
    version = actions.publish_report(regulator, report_, now=FIRST)
    with translation.override('cy'):
        assert version.shown_narrative() == version.narrative
    with pytest.raises(ValidationError, match='Nothing has changed since version 1'):
        actions.publish_report(regulator, report_, now=FIRST)
