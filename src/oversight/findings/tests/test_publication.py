"""Publication: a version is frozen (data, concern list, text, PDF), checked first, and later corrections make a
new version with an Update note while the old one stays as it was."""

import datetime
import hashlib
import io
import re
import zlib

import pikepdf
import pytest
import weasyprint
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from oversight.core.models import ObjectChange
from oversight.findings import actions, pdf, presentation
from oversight.findings.models import ReportVersion
from oversight.vendors.models import Designation

from .conftest import LONDON, correct_body_worn_video, sample_data

TEXT = (
    '{{ responded|words|capfirst }} responses were received out of a possible total of {{ invited }}: a response '
    'rate of {{ response_rate }}. At least {{ body_worn_video.with_concern }} respondents use body-worn video '
    'equipment of concern.'
)
FIRST = datetime.datetime(2023, 2, 15, 9, 30, tzinfo=LONDON)


@pytest.fixture
def report(campaign, regulator):
    return actions.create_report(regulator, campaign, narrative_text=TEXT)


@pytest.mark.django_db
@pytest.mark.usefixtures('fast_pdf')
class TestPublication:
    def test_publishing_freezes_the_figures_the_concern_list_the_text_and_the_pdf(self, report, regulator):
        version = actions.publish_report(regulator, report, note='First published.', now=FIRST)
        assert (version.number, version.published_by, version.note) == (1, regulator, 'First published.')
        assert version.narrative == (
            'Two responses were received out of a possible total of 3: a response rate of 67%. At least 1 '
            'respondents use body-worn video equipment of concern.'
        )
        assert version.data['responses']['non_respondents'] == ['Surrey Police']
        assert [d['maker'] for d in version.designations['designations']] == [
            'DJI',
            'Dahua',
            'Hikvision',
            'Honeywell',
            'Huawei',
            'Nuuo',
        ]
        assert bytes(version.pdf) == f'stub PDF of {report.title}: Version 1, published 15 February 2023'.encode()
        assert version.pdf_sha256 == hashlib.sha256(bytes(version.pdf)).hexdigest()
        audit = ObjectChange.objects.for_object(version).get()
        assert audit.user == regulator and audit.after['pdf_sha256'] == version.pdf_sha256

    def test_a_published_version_never_changes(self, report, regulator):
        version = actions.publish_report(regulator, report, now=FIRST)
        version.note = 'edited'
        with pytest.raises(ValidationError, match='cannot change'):
            version.save()
        with pytest.raises(ValidationError, match='cannot change'):
            version.delete()
        # Nor does a later change to the concern list reach into it.
        Designation.objects.filter(concern_list__slug='obscc-2022', manufacturer__name='Nuuo').delete()
        stored = ReportVersion.objects.get(pk=version.pk)
        assert 'Nuuo' in [d['maker'] for d in stored.designations['designations']]

    def test_a_later_correction_makes_a_new_version_with_an_update_and_the_old_one_stays(
        self, report, regulator, campaign
    ):
        first = actions.publish_report(regulator, report, now=FIRST)
        correct_body_worn_video(regulator, campaign, now=FIRST + datetime.timedelta(days=14))
        second = actions.publish_report(regulator, report, now=FIRST + datetime.timedelta(days=15))
        assert second.number == 2
        [update] = second.data['updates']
        assert (update['category'], update['date'], update['corrections']) == ('body_worn_video', '2023-03-01', 1)
        assert update['changes'][0] == {
            'figure': 'with_concern',
            'label': 'respondents with equipment of concern',
            'published': 1,
            'corrected': 0,
        }
        assert 'At least 0 respondents' in second.narrative
        first.refresh_from_db()
        assert first.data['updates'] == [] and 'At least 1 respondents' in first.narrative

    def test_nothing_changed_is_not_a_new_version(self, report, regulator):
        actions.publish_report(regulator, report, now=FIRST)
        with pytest.raises(ValidationError, match='Nothing has changed since version 1'):
            actions.publish_report(regulator, report, now=FIRST + datetime.timedelta(days=1))

    def test_a_typed_figure_that_disagrees_blocks_publication_and_nothing_is_written(self, report, regulator):
        report = actions.update_report(
            regulator,
            report,
            title=report.title,
            narrative_text=TEXT + ' Two responses out of 3: the response rate was 91%.',
            expected_version=report.version,
        )
        with pytest.raises(ValidationError) as raised:
            actions.publish_report(regulator, report, now=FIRST)
        messages = raised.value.messages
        assert messages[0] == 'Publication is blocked: 1 problem(s) in the text or the corrections.'
        assert messages[1].startswith('The survey response rate: the text says 91% but the data give 67% (2 of 3')
        assert not ReportVersion.objects.exists()

    def test_a_correction_not_flagged_for_publication_blocks_until_it_is(self, report, regulator, campaign):
        correct_body_worn_video(regulator, campaign, publish=False)
        with pytest.raises(ValidationError, match='must be flagged to be published as an Update'):
            actions.publish_report(regulator, report)

    def test_a_stale_draft_is_refused(self, report, regulator):
        with pytest.raises(ValidationError, match='Someone else saved a change'):
            actions.publish_report(regulator, report, expected_version=report.version + 1)

    def test_only_regulator_staff_write_and_publish(self, report, editor_a, campaign):
        with pytest.raises(PermissionDenied):
            actions.publish_report(editor_a, report)
        with pytest.raises(PermissionDenied):
            actions.update_report(editor_a, report, title='x', narrative_text='y')

    def test_one_report_per_campaign(self, report, regulator, campaign):
        with pytest.raises(ValidationError, match='already has a report'):
            actions.create_report(regulator, campaign)


class LaidOut(HTML):
    """WeasyPrint's HTML, keeping the text of the pages it lays out, for each PDF it writes (English, then Welsh)."""

    documents: list[str] = []

    def write_pdf(self, *args, **kwargs):
        document = self.render()
        pages = [
            ' '.join(box.text for box in page._page_box.descendants() if getattr(box, 'text', None))
            for page in document.pages
        ]
        LaidOut.documents.append(' '.join(' '.join(page.split()) for page in pages))
        return document.write_pdf(*args, **kwargs)


def assert_tagged(pdf: bytes, *, language: str, title: str, alts: list[str]) -> None:
    """Tagged for accessibility (PDF/UA-1), as read back by another PDF library: its language, title, structure
    and the alternative text of every chart."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert bool(root.MarkInfo.Marked) is True and '/StructTreeRoot' in root
        assert str(root.Lang) == language
        assert str(document.docinfo.Title) == title and bool(root.ViewerPreferences.DisplayDocTitle)
        assert document.open_metadata().get('pdfuaid:part') == '1'
        elements = list(structure(root.StructTreeRoot))
        kinds = [str(element.S) for element in elements]
        # All content is in the structure tree, but for the running title, status and page numbers: artifacts.
        in_tree = {element.objgen for element in elements}
        nums = root.StructTreeRoot.ParentTree.Nums
        owners = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in document.pages:
            marked = [op.operands for op in pikepdf.parse_content_stream(page) if str(op.operator) == 'BDC']
            ids = [int(props.MCID) for tag, props in marked if '/MCID' in props]
            assert ids and all(owners[int(page.StructParents)][mcid].objgen in in_tree for mcid in ids)
            pagination = [props for tag, props in marked if tag == '/Artifact' and props.get('/Type') == '/Pagination']
            assert len(pagination) >= 2  # at least the status and "Page n of m"
        assert {'/H1', '/H2', '/P', '/L', '/Table', '/TH', '/TD'} <= set(kinds) and kinds.count('/H1') == 1
        assert [str(e.get('/Alt', '')) for e in elements if str(e.S) == '/Figure'] == alts  # every chart


@pytest.mark.django_db
def test_the_published_pdf_is_a_real_pdf_with_the_figures(campaign, regulator, monkeypatch):
    """WeasyPrint renders the version, in English and in Welsh (the one test that pays for real PDFs)."""
    monkeypatch.setattr(weasyprint, 'HTML', LaidOut)  # render_pdf imports it when it renders
    monkeypatch.setattr(LaidOut, 'documents', [])
    report = actions.create_report(regulator, campaign, narrative_text=TEXT)
    actions.update_report(
        regulator, report, title=report.title, narrative_text=TEXT, title_cy='Arolwg 2022: canfyddiadau'
    )
    version = actions.publish_report(regulator, report, now=FIRST)
    pdf = bytes(version.pdf)
    # The figures as the PDF's pages lay them out: the text with its placeholders bound, and the tables.
    text, welsh = LaidOut.documents
    assert 'Two responses were received out of a possible total of 3: a response rate of 67%.' in text
    assert 'At least 1 respondents use body-worn video equipment of concern.' in text
    assert 'Response rate 67% (2 of 3 bodies invited)' in text
    assert 'Body-worn video : 2 of 2 respondents operate it (0 not known); at least 1 has equipment of concern' in text
    assert 'Surrey Police' in text  # the non-respondent, named in the responses table
    assert '{{' not in text
    assert pdf.startswith(b'%PDF-') and pdf.rstrip().endswith(b'%%EOF')
    # The cross-reference the trailer points to is where it says, and the page tree has pages.
    offset = int(re.search(rb'startxref\s+(\d+)', pdf).group(1))
    assert re.match(rb'xref|\d+ 0 obj', pdf[offset:])
    # decompressobj: a stream whose last byte is a carriage return loses it to the pattern's line end, and
    # zlib.decompress would refuse it as truncated although all its content is there.
    streams = re.findall(rb'stream\r?\n(.*?)\r?\nendstream', pdf, re.S)
    objects = pdf + b''.join(zlib.decompressobj().decompress(m) for m in streams)
    pages = re.search(rb'/Type\s*/Pages\b.*?/Count\s+(\d+)', objects, re.S)
    assert pages and int(pages.group(1)) >= 2
    assert_tagged(pdf, language='en-GB', title=report.title, alts=[str(a) for a in presentation.CHART_ALT.values()])
    # The Welsh PDF, frozen beside it: its fixed text, tables and page numbers in Welsh; the regulator's English
    # text (no Welsh was written) as it is.
    assert 'Cyfradd ymateb 67% (2 o’r 3 corff a wahoddwyd)' in welsh and 'Sut y cyfrifir y ffigurau' in welsh
    assert 'Fideo a wisgir ar y corff' in welsh and 'Canfyddiadau fesul categori' in welsh
    assert 'Tudalen 1 o ' in welsh and 'Page 1 of' not in welsh and 'How the figures are counted' not in welsh
    assert 'Two responses were received' in welsh
    with translation.override('cy'):
        alts = [str(a) for a in presentation.CHART_ALT.values()]
    assert alts != [str(a) for a in presentation.CHART_ALT.values()]
    assert_tagged(bytes(version.pdf_cy), language='cy', title='Arolwg 2022: canfyddiadau', alts=alts)
    assert version.pdf_cy_sha256 == hashlib.sha256(bytes(version.pdf_cy)).hexdigest()


def structure(node):
    """Every structure element under `node`, depth first."""
    kids = node.get('/K')
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get('/Type') == '/StructElem':
            yield kid
            yield from structure(kid)


@pytest.mark.django_db
def test_a_pdf_that_cannot_be_tagged_is_not_published(campaign, regulator, monkeypatch):
    """A chart without alternative text cannot be tagged fully: publication stops and says why."""
    monkeypatch.setitem(presentation.CHART_ALT, 'trends', '')
    report = actions.create_report(regulator, campaign, narrative_text=TEXT)
    with pytest.raises(pdf.UntaggedPdf) as raised:
        actions.publish_report(regulator, report, now=FIRST)
    assert raised.value.messages == [
        'The PDF could not be tagged for accessibility (PDF/UA), so it was not made and nothing was published: 1 '
        'chart(s) have no alternative text.'
    ]
    assert not ReportVersion.objects.exists()


def test_no_row_is_split_between_pages():
    """The "Did not respond" row of the responses, pushed to the foot of page 1 by the text, moves whole to page 2.

    Without `break-inside: avoid` on the summary list's rows this layout splits it (as the review found)."""
    data = sample_data()
    names = [f'Constabulary number {n} of the realm' for n in range(20)]
    for entry in [data['responses'], *data['series']]:
        entry['non_respondents'] = names
    context = presentation.context(data, '\n\n'.join(['A paragraph of the report.'] * 20))
    context.update(title='Findings', draft=False, status_line='Version 1', published_by_name='regulator')
    html = render_to_string('findings/report_print.html', context)
    pages: dict = {}
    for number, page in enumerate(HTML(string=html).render().pages):
        for box in page._page_box.descendants():
            if box.element is None:
                continue
            if box.element_tag == 'tr' or 'govuk-summary-list__row' in (box.element.get('class') or ''):
                assert box.style['break_inside'] == 'avoid'
                pages.setdefault(box.element, set()).add(number)
    split = [' '.join(row.itertext())[:40] for row, on in pages.items() if len(on) > 1]
    assert not split
    did_not_respond = next(on for row, on in pages.items() if ''.join(row.itertext()).startswith('Did not respond'))
    assert did_not_respond == {1}


@pytest.mark.django_db
def test_a_draft_pdf_that_cannot_be_tagged_is_explained_on_the_draft_page(campaign, regulator, client_for, monkeypatch):
    monkeypatch.setitem(presentation.CHART_ALT, 'categories', '')
    actions.create_report(regulator, campaign, narrative_text=TEXT)
    response = client_for(regulator).get(reverse('findings:draft_pdf', args=['survey-2022']), follow=True)
    assert response.redirect_chain == [(reverse('findings:report', args=['survey-2022']), 302)]
    assert 'The PDF could not be tagged for accessibility' in response.content.decode()
