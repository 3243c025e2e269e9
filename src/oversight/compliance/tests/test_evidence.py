import io
import struct
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from PIL import Image

from oversight.compliance import actions
from oversight.compliance.evidence import DOCX, OFFICE, PPTX, XLSX, check_evidence, stored_name
from oversight.compliance.models import Evidence, Principle
from oversight.core.models import ObjectChange


def _pdf(*pages: str) -> bytes:
    """A PDF written by hand as the format says: objects, a cross-reference table at their offsets, a trailer."""
    kids = ' '.join(f'{3 + 2 * n} 0 R' for n in range(len(pages)))
    objects = ['<< /Type /Catalog /Pages 2 0 R >>', f'<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>']
    for n, text in enumerate(pages):
        stream = f'BT /F1 12 Tf 72 720 Td ({text}) Tj ET'
        objects.append(f'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * n} 0 R >>')
        objects.append(f'<< /Length {len(stream)} >>\nstream\n{stream}\nendstream')
    body, offsets = b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f'{number} 0 obj\n{text}\nendobj\n'.encode()
    xref = f'xref\n0 {len(objects) + 1}\n0000000000 65535 f \n' + ''.join(f'{o:010} 00000 n \n' for o in offsets)
    trailer = f'trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{len(body)}\n%%EOF\n'
    return body + (xref + trailer).encode()


def _picture(format: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient('L').resize((64, 48)).convert('RGB').save(buffer, format, **options)
    return buffer.getvalue()


def _png_saying(text: str) -> bytes:
    """A genuine PNG carrying text in a comment chunk, as image editors write one."""
    from PIL.PngImagePlugin import PngInfo

    comment = PngInfo()
    comment.add_text('Comment', text)
    return _picture('PNG', pnginfo=comment)


PDF = _pdf('Data protection impact assessment')
PNG = _picture('PNG')
JPEG = _picture('JPEG', quality=85)


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _content_types(main_part: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/word/document.xml" ContentType="{main_part}"/></Types>'
    )


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)  # a real workbook, as Excel would write one
    return buffer.getvalue()


PACKAGE = 'http://schemas.openxmlformats.org/package/2006'
RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
P = 'http://schemas.openxmlformats.org/presentationml/2006/main'
A = 'http://schemas.openxmlformats.org/drawingml/2006/main'
# What Office declares by extension; every other part has an Override.
DEFAULTS = {
    'rels': 'application/vnd.openxmlformats-package.relationships+xml',
    'xml': 'application/xml',
    'png': 'image/png',
    'jpeg': 'image/jpeg',
}


def _relationships(*targets: tuple[str, str]) -> str:
    links = ''.join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIP}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">{links}</Relationships>'
    )


def _package(parts: dict, defaults: dict | None = None, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """An Office Open XML package as Office writes one: [Content_Types].xml first, declaring each part given a
    content type by an Override and the rest by their extension. The same bytes on every call."""
    overrides = ''.join(
        f'<Override PartName="/{name}" ContentType="{content_type}"/>'
        for name, (content_type, _content) in parts.items()
        if content_type
    )
    declared = ''.join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in (defaults or DEFAULTS).items())
    content_types = f'<Types xmlns="{PACKAGE}/content-types">{declared}{overrides}</Types>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression) as archive:
        for name, content in [('[Content_Types].xml', content_types)] + [(n, c) for n, (_t, c) in parts.items()]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, compression)
    return buffer.getvalue()


def _properties() -> dict:
    return {
        'docProps/core.xml': (
            'application/vnd.openxmlformats-package.core-properties+xml',
            f'<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Evidence</dc:title></cp:coreProperties>',
        ),
        'docProps/app.xml': (
            f'{OFFICE}.extended-properties+xml',
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Application>Microsoft Office Word</Application></Properties>',
        ),
    }


def _docx(**more) -> bytes:
    """A Word document with the parts Word writes for a one-paragraph document; `more` adds parts."""
    text = '<w:p><w:r><w:t>Retention policy: 31 days.</w:t></w:r></w:p>'
    return _package(
        {
            '_rels/.rels': (None, _relationships(('officeDocument', 'word/document.xml'))),
            'word/document.xml': (DOCX.main_part, f'<w:document xmlns:w="{W}"><w:body>{text}</w:body></w:document>'),
            'word/_rels/document.xml.rels': (
                None,
                _relationships(('styles', 'styles.xml'), ('settings', 'settings.xml'), ('theme', 'theme/theme1.xml')),
            ),
            'word/styles.xml': (f'{OFFICE}.wordprocessingml.styles+xml', f'<w:styles xmlns:w="{W}"/>'),
            'word/settings.xml': (f'{OFFICE}.wordprocessingml.settings+xml', f'<w:settings xmlns:w="{W}"/>'),
            'word/webSettings.xml': (f'{OFFICE}.wordprocessingml.webSettings+xml', f'<w:webSettings xmlns:w="{W}"/>'),
            'word/fontTable.xml': (f'{OFFICE}.wordprocessingml.fontTable+xml', f'<w:fonts xmlns:w="{W}"/>'),
            'word/theme/theme1.xml': (f'{OFFICE}.theme+xml', f'<a:theme xmlns:a="{A}" name="Office Theme"/>'),
            **_properties(),
            **more,
        }
    )


def _pptx() -> bytes:
    """A PowerPoint presentation with the parts PowerPoint writes for one slide, thumbnail included."""
    presentation = f'{OFFICE}.presentationml'
    return _package(
        {
            '_rels/.rels': (None, _relationships(('officeDocument', 'ppt/presentation.xml'))),
            'ppt/presentation.xml': (PPTX.main_part, f'<p:presentation xmlns:p="{P}"><p:sldIdLst/></p:presentation>'),
            'ppt/_rels/presentation.xml.rels': (
                None,
                _relationships(('slideMaster', 'slideMasters/slideMaster1.xml'), ('slide', 'slides/slide1.xml')),
            ),
            'ppt/slides/slide1.xml': (f'{presentation}.slide+xml', f'<p:sld xmlns:p="{P}"><p:cSld/></p:sld>'),
            'ppt/slides/_rels/slide1.xml.rels': (
                None,
                _relationships(('slideLayout', '../slideLayouts/slideLayout1.xml')),
            ),
            'ppt/slideLayouts/slideLayout1.xml': (f'{presentation}.slideLayout+xml', f'<p:sldLayout xmlns:p="{P}"/>'),
            'ppt/slideLayouts/_rels/slideLayout1.xml.rels': (
                None,
                _relationships(('slideMaster', '../slideMasters/slideMaster1.xml')),
            ),
            'ppt/slideMasters/slideMaster1.xml': (f'{presentation}.slideMaster+xml', f'<p:sldMaster xmlns:p="{P}"/>'),
            'ppt/slideMasters/_rels/slideMaster1.xml.rels': (None, _relationships(('theme', '../theme/theme1.xml'))),
            'ppt/theme/theme1.xml': (f'{OFFICE}.theme+xml', f'<a:theme xmlns:a="{A}" name="Office Theme"/>'),
            'ppt/presProps.xml': (f'{presentation}.presProps+xml', f'<p:presentationPr xmlns:p="{P}"/>'),
            'ppt/viewProps.xml': (f'{presentation}.viewProps+xml', f'<p:viewPr xmlns:p="{P}"/>'),
            'ppt/tableStyles.xml': (f'{OFFICE}.presentationml.tableStyles+xml', f'<a:tblStyleLst xmlns:a="{A}"/>'),
            'docProps/thumbnail.jpeg': (None, JPEG),
            **_properties(),
        }
    )


DOCX_BYTES = _docx()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type='application/octet-stream')


@pytest.mark.parametrize(
    ('name', 'content', 'served_as'),
    [
        ('dpia.pdf', PDF, 'application/pdf'),
        ('sign.png', PNG, 'image/png'),
        ('camera.JPG', JPEG, 'image/jpeg'),
        ('policy.docx', DOCX_BYTES, DOCX.content_type),
        ('audit.xlsx', _xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ],
)
def test_accepted_files_are_stored_through_the_storage_api_and_audited(editor_a, system_a, name, content, served_as):
    evidence = actions.add_evidence(editor_a, system_a, _upload(name, content), title='DPIA')
    assert evidence.content_type == served_as and evidence.size == len(content) and evidence.filename == name
    assert default_storage.exists(evidence.file.name) and name not in evidence.file.name
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == content
    change = ObjectChange.objects.for_object(evidence).get()
    assert change.organisation_id == system_a.organisation_id and 'sha256' in change.message


@pytest.mark.parametrize(
    ('name', 'content', 'says'),
    [
        ('dpia.pdf', PNG, 'is not a PDF'),  # not what its name says
        ('photo.png', PDF, 'is not a PNG image'),
        ('page.pdf', b'<html><script>alert(1)</script></html>', 'is not a PDF'),
        ('policy.docx', _zip({'policy.txt': 'hello'}), 'archives and other files are refused'),  # a plain zip
        (
            'policy.docx',
            _zip({'[Content_Types].xml': _content_types('application/vnd.ms-word.document.macroEnabled.main+xml')}),
            'is not a Word document',
        ),  # fmt: skip
        ('sheet.xlsx', DOCX_BYTES, 'is not an Excel workbook'),  # an office file of another kind
        ('policy.docx', PDF, 'is not a Word document'),
        ('bundle.zip', _zip({'a.pdf': 'x'}), 'is not a kind of file accepted'),
        ('page.html', b'<html></html>', 'is not a kind of file accepted'),
        ('noextension', PDF, 'is not a kind of file accepted'),
        ('empty.pdf', b'', 'is empty'),
    ],
)
def test_refused_files_name_the_field_and_store_nothing(editor_a, system_a, name, content, says):
    with pytest.raises(ValidationError) as caught:
        actions.add_evidence(editor_a, system_a, _upload(name, content), title='DPIA')
    assert says in ' '.join(caught.value.message_dict['file'])
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(editor_a, system_a, settings):
    settings.OVERSIGHT_MAX_EVIDENCE_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as caught:
        actions.add_evidence(editor_a, system_a, _upload('dpia.pdf', PDF), title='DPIA')
    assert 'the limit is' in caught.value.message_dict['file'][0]


@pytest.mark.parametrize('who', ['viewer_a', 'editor_b', 'regulator'])
def test_only_the_bodys_editors_add_evidence(request, who, system_a):
    with pytest.raises(PermissionDenied):
        actions.add_evidence(request.getfixturevalue(who), system_a, _upload('dpia.pdf', PDF), title='DPIA')


def test_an_editor_uploads_downloads_and_deletes_evidence_through_the_pages(client_for, editor_a, system_a):
    client = client_for(editor_a)
    add = reverse('compliance:evidence_add', args=[system_a.pk])
    principle = Principle.objects.get(number=2)
    upload = _upload('dpia.pdf', PDF)
    response = client.post(add, {'title': 'DPIA, March 2025', 'principle': principle.pk, 'file': upload})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.principle == principle
    page = client.get(reverse('compliance:governance_detail', args=[system_a.pk])).content.decode()
    assert 'DPIA, March 2025' in page and 'Principle 2' in page
    download = client.get(evidence.get_absolute_url())
    assert download['Content-Disposition'].startswith('attachment') and 'dpia.pdf' in download['Content-Disposition']
    assert download['Content-Type'] == 'application/pdf' and download['X-Content-Type-Options'] == 'nosniff'
    assert b''.join(download.streaming_content) == PDF
    # A file that is not what its name says is refused on the form, beside the field.
    refused = client.post(add, {'title': 'Disguised', 'file': _upload('dpia.pdf', b'<html>x</html>')})
    assert refused.status_code == 200 and 'is not a PDF' in refused.context['form'].errors['file'][0]
    delete = reverse('compliance:evidence_delete', args=[evidence.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete, {}).status_code == 302
    assert not Evidence.objects.exists()


def test_the_file_is_removed_from_storage_when_the_deletion_commits(
    editor_a, system_a, django_capture_on_commit_callbacks
):
    evidence = actions.add_evidence(editor_a, system_a, _upload('dpia.pdf', PDF), title='DPIA')
    stored, pk = evidence.file.name, evidence.pk
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_evidence(editor_a, evidence)
    assert not default_storage.exists(stored)
    deleted = ObjectChange.objects.get(action='delete', object_id=str(pk))
    assert deleted.before['file'] == stored


@pytest.mark.parametrize('who', ['viewer_a', 'regulator'])
def test_viewers_and_the_regulator_download_but_cannot_add_or_delete(client_for, request, who, editor_a, system_a):
    evidence = actions.add_evidence(editor_a, system_a, _upload('dpia.pdf', PDF), title='DPIA')
    client = client_for(request.getfixturevalue(who))
    assert client.get(evidence.get_absolute_url()).status_code == 200
    assert client.get(reverse('compliance:evidence_add', args=[system_a.pk])).status_code == 403
    assert client.post(reverse('compliance:evidence_delete', args=[evidence.pk])).status_code == 403
    assert Evidence.objects.exists()


def test_another_body_gets_404_for_the_evidence(client_for, editor_a, editor_b, system_a):
    evidence = actions.add_evidence(editor_a, system_a, _upload('dpia.pdf', PDF), title='DPIA')
    client = client_for(editor_b)
    assert client.get(evidence.get_absolute_url()).status_code == 404
    assert client.post(reverse('compliance:evidence_delete', args=[evidence.pk])).status_code == 404
    assert client.post(reverse('compliance:evidence_add', args=[system_a.pk]), {}).status_code == 404


# What a file really is: genuine files from the tools that write them are accepted.


def _matplotlib(format: str) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 3))
    figure.add_subplot().bar(['Kent', 'Essex'], [412, 388])
    buffer = io.BytesIO()
    figure.savefig(buffer, format=format)
    return buffer.getvalue()


def _weasyprint() -> bytes:
    from weasyprint import HTML

    return HTML(string='<h1>DPIA</h1><p>Cameras in custody suites: &lt;script&gt; is only text here.</p>').write_pdf()


def _docx_with_a_chart() -> bytes:
    """Word keeps a chart's data as a workbook inside the document: an embedded package, not an archive to refuse."""
    chart = f'{OFFICE}.drawingml.chart+xml'
    return _docx(
        **{
            'word/charts/chart1.xml': (
                chart,
                '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>',
            ),
            'word/embeddings/Microsoft_Excel_Worksheet.xlsx': (XLSX.content_type, _xlsx()),
            'word/media/image1.png': (None, PNG),
        }
    )


def _xlsx_with_a_chart_and_a_picture() -> bytes:
    from openpyxl.drawing.image import Image as Picture

    workbook = Workbook()
    sheet = workbook.active
    for row in range(1, 11):
        sheet.append([f'Site {row}', row * 3])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=10))
    sheet.add_chart(chart, 'D2')
    sheet.add_image(Picture(io.BytesIO(PNG)), 'D20')
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _amended() -> bytes:
    """An update appended as a PDF editor saves one: the changed object, its own cross-reference table and trailer,
    and a second %%EOF. Only the last, at the end, is where the format's end must be."""
    previous = int(PDF.rpartition(b'startxref\n')[2].split()[0])
    update = b'1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>\nendobj\n'
    table = f'xref\n1 1\n{len(PDF):010} 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev {previous} >>\n'
    return PDF + update + f'{table}startxref\n{len(PDF) + len(update)}\n%%EOF\n'.encode()


@pytest.mark.parametrize(
    ('name', 'make', 'served_as'),
    [
        ('chart.pdf', lambda: _matplotlib('pdf'), 'application/pdf'),
        ('report.pdf', _weasyprint, 'application/pdf'),
        ('chart.png', lambda: _matplotlib('png'), 'image/png'),
        ('chart.jpg', lambda: _matplotlib('jpg'), 'image/jpeg'),
        ('photo.jpg', lambda: _picture('JPEG', progressive=True, exif=Image.Exif()), 'image/jpeg'),
        ('scan.png', lambda: _picture('PNG', optimize=True), 'image/png'),
        ('policy.docx', _docx, DOCX.content_type),
        ('figures.docx', _docx_with_a_chart, DOCX.content_type),
        ('audit.xlsx', _xlsx_with_a_chart_and_a_picture, XLSX.content_type),
        ('briefing.pptx', _pptx, PPTX.content_type),
        ('amended.pdf', _amended, 'application/pdf'),
    ],
)
def test_genuine_files_from_the_tools_that_write_them_are_accepted(name, make, served_as):
    assert check_evidence(_upload(name, make())).content_type == served_as


# Bug: a damaged office document raised zlib.error, EOFError, ValueError or UnicodeDecodeError (a server error).


def _central_entry(package: bytes, member: str) -> int:
    """Where the member's entry in the zip's central directory starts: its name's last mention, after the header."""
    return package.rindex(member.encode()) - 46


def _with_field(package: bytes, at: int, value: int) -> bytes:
    return package[:at] + struct.pack('<I', value) + package[at + 4 :]


def _scrambled_part() -> bytes:
    """The compressed bytes of the main part flipped: inflating them fails."""
    package = bytearray(
        _docx(**{'word/document.xml': (DOCX.main_part, '<w:document>' + 'text ' * 400 + '</w:document>')})
    )
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        member = archive.getinfo('word/document.xml')
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    for at in range(start, start + 20):
        package[at] ^= 0xFF
    return bytes(package)


def _part_running_past_the_end() -> bytes:
    """A stored main part whose directory entry claims more bytes than the file has."""
    package = _package({'word/document.xml': (DOCX.main_part, '<w:document/>')}, compression=zipfile.ZIP_STORED)
    entry = _central_entry(package, 'word/document.xml')
    return _with_field(_with_field(package, entry + 20, 2_000_000), entry + 24, 2_000_000)


def _name_not_utf8() -> bytes:
    """A member whose name is flagged UTF-8 but is not."""
    return _docx(**{'word/média.xml': (None, '<a/>')}).replace('é'.encode(), b'\x80\x80')


def _directory_before_the_start() -> bytes:
    """An end record placing the central directory so far on that every member lies before the file's start."""
    package = _docx()
    return _with_field(package, package.rindex(b'PK\x05\x06') + 16, 0x80000000)


@pytest.mark.parametrize(
    'make',
    [
        _scrambled_part,
        _part_running_past_the_end,
        _name_not_utf8,
        _directory_before_the_start,
        lambda: DOCX_BYTES[: len(DOCX_BYTES) // 2],  # cut short
        lambda: _docx(**{'word/document.xml': (DOCX.main_part, '<w:document><w:body></w:document>')}),
        lambda: _docx(
            **{
                'word/document.xml': (
                    DOCX.main_part,
                    '<w:document>\udcff</w:document>'.encode(errors='surrogateescape'),
                )
            }
        ),
        lambda: _zip({'[Content_Types].xml': '<Types <', 'word/document.xml': '<w:document/>'}),  # not XML
    ],
)
def test_a_damaged_office_document_is_refused_not_a_server_error(make):
    with pytest.raises(ValidationError) as caught:
        check_evidence(_upload('policy.docx', make()))
    assert caught.value.message_dict['file'] == [
        '"policy.docx" is damaged: it cannot be read as a Word document. Save it again and upload the new copy.'
    ]


def test_a_damaged_office_document_is_refused_on_the_page_and_by_the_api(client_for, editor_a, system_a):
    client = client_for(editor_a)
    page = client.post(
        reverse('compliance:evidence_add', args=[system_a.pk]),
        {'title': 'DPIA', 'file': _upload('policy.docx', _scrambled_part())},
    )
    assert page.status_code == 200 and 'is damaged' in page.context['form'].errors['file'][0]
    api = client.post(
        '/api/compliance/evidence/',
        {'system': system_a.pk, 'title': 'DPIA', 'file': _upload('policy.docx', _scrambled_part())},
    )
    assert api.status_code == 400 and list(api.json()) == ['file']
    assert not Evidence.objects.exists()


# Bug: a zip of something else was accepted as a document once [Content_Types].xml declared its main part.

VBA_PROJECT = 'application/vnd.ms-office.vbaProject'


@pytest.mark.parametrize(
    ('content', 'says'),
    [
        # The main part declared but not there.
        (_zip({'[Content_Types].xml': _content_types(DOCX.main_part)}), 'archives and other files are refused'),
        (
            _zip(
                {
                    '[Content_Types].xml': _content_types(DOCX.main_part),
                    'index.html': '<script>alert(1)</script>',
                    'tool.exe': 'MZ',
                }
            ),
            'has a program, web page or archive inside it (index.html)',
        ),
        (_docx(**{'word/tool.exe': ('application/octet-stream', b'MZ\x90\x00')}), 'inside it (word/tool.exe)'),
        (_docx(**{'word/afchunk.dat': ('text/html', '<html></html>')}), 'inside it (word/afchunk.dat)'),
        (_docx(**{'word/run.ps1': (None, 'Get-Process')}), 'inside it (word/run.ps1)'),
        (_docx(**{'word/notes.txt': (None, 'not declared')}), 'holds a file that is not part of one (word/notes.txt)'),
        # A macro project, declared or not: .docx, .xlsx and .pptx are macro-free by definition.
        (
            _docx(**{'word/vbaProject.bin': (VBA_PROJECT, b'\xd0\xcf\x11\xe0' + bytes(100))}),
            'macro-enabled documents are refused',
        ),
        (
            _docx(**{'word/vbaProject.bin': (None, b'\xd0\xcf\x11\xe0' + bytes(100))}),
            'Save it as a .docx without macros',
        ),
        # The main part not XML at all, or XML that expands its entities without end.
        (_docx(**{'word/document.xml': (DOCX.main_part, 'MZ\x90\x00 this is a program')}), 'is damaged'),
        (
            _docx(
                **{
                    'word/document.xml': (
                        DOCX.main_part,
                        '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>',
                    )
                }
            ),
            'is damaged',
        ),
        # Two copies of a part, as a reader that ignores case would see them.
        (_docx(**{'word/Document.xml': (None, '<w:document/>')}), 'is damaged'),
        # A part of a few megabytes of nothing, deflated a thousand to one: a zip bomb in small.
        (_docx(**{'customXml/item1.xml': (None, '<a>' + ' ' * 3_000_000 + '</a>')}), 'unpacks to far more data'),
    ],
)
def test_an_office_document_must_be_a_package_of_its_kind_with_nothing_else_inside(content, says):
    with pytest.raises(ValidationError) as caught:
        check_evidence(_upload('policy.docx', content))
    assert says in caught.value.message_dict['file'][0]


@pytest.mark.parametrize(
    ('bound', 'value'), [('MAX_ZIP_MEMBERS', 5), ('MAX_UNPACKED_BYTES', 1000), ('MAX_MAIN_PART_BYTES', 50)]
)
def test_an_office_document_past_a_bound_is_refused(monkeypatch, bound, value):
    monkeypatch.setattr(f'oversight.compliance.evidence.{bound}', value)
    with pytest.raises(ValidationError) as caught:
        check_evidence(_upload('policy.docx', DOCX_BYTES))
    assert 'unpacks to far more data than a Word document holds' in caught.value.message_dict['file'][0]


def _encrypted() -> bytes:
    """The main part flagged as encrypted in the zip's directory, as a zip with a password marks it."""
    entry = _central_entry(DOCX_BYTES, 'word/document.xml')
    return DOCX_BYTES[: entry + 8] + struct.pack('<H', 1) + DOCX_BYTES[entry + 10 :]


def _lzma() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX_BYTES)) as source, zipfile.ZipFile(buffer, 'w', zipfile.ZIP_LZMA) as copy:
        for member in source.infolist():
            copy.writestr(member.filename, source.read(member))
    return buffer.getvalue()


@pytest.mark.parametrize('make', [_encrypted, _lzma])
def test_a_zip_office_would_not_write_is_refused(make):
    with pytest.raises(ValidationError, match='archives and other files are refused'):
        check_evidence(_upload('policy.docx', make()))


def test_an_image_too_large_to_check_is_refused(monkeypatch):
    monkeypatch.setattr('PIL.Image.MAX_IMAGE_PIXELS', 1000)  # the picture has 3,072: past twice the bound
    with pytest.raises(ValidationError, match='too many pixels to be checked'):
        check_evidence(_upload('sign.png', PNG))


# Bug: a file that is two things at once (a polyglot) was accepted by its first bytes.


def _zip_of(name: str) -> bytes:
    return _zip({name: 'payload'})


@pytest.mark.parametrize(
    ('name', 'content', 'says'),
    [
        (
            'dpia.pdf',
            b'%PDF-1.4\n<html><script>alert(1)</script></html>',
            'is not a PDF, whatever its name says: it holds a web page or script.',
        ),
        ('dpia.pdf', PDF.replace(b'stream\n', b'stream\n<SVG onload=alert(1)>'), 'it holds a web page or script'),
        ('dpia.pdf', PDF.replace(b'%PDF-1.7\n', b'%PDF-1.7\n<!DOCTYPE html>'), 'it holds a web page or script'),
        (
            'x.jpg',
            b'\xff\xd8\xff<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\xff\xd9',
            'is not a JPEG image, whatever its name says: it holds a web page or script.',
        ),
        ('sign.png', _png_saying('<iframe src=https://example.org>'), 'it holds a web page or script'),
        (
            'sign.png',
            PNG + _zip_of('secret.txt'),
            'is not a PNG image, whatever its name says: it has an archive inside it.',
        ),
        ('dpia.pdf', PDF + _zip_of('tool.exe'), 'is not a PDF, whatever its name says: it has an archive inside it.'),
        ('dpia.pdf', PDF.replace(b'%PDF-1.7\n', b'%PDF-1.7\nRar!\x1a\x07\x01\x00'), 'it has an archive inside it'),
        ('photo.jpg', JPEG[:-2] + b'7z\xbc\xaf\x27\x1c\x00\x04' + JPEG[-2:], 'it has an archive inside it'),
        # Not ending as the format does: something after the end, or the end missing.
        ('sign.png', PNG + b'trailing', 'does not end as a PNG image does'),
        ('photo.jpg', JPEG + b'<svg/onload=alert(1)>', 'it holds a web page or script'),
        ('dpia.pdf', PDF[:-20], 'does not end as a PDF does'),
        ('dpia.pdf', PDF + b'%' * 2000, 'does not end as a PDF does'),
        # Its signature and ending, but no image between them.
        ('photo.jpg', JPEG[:200] + b'\xff\xd9', 'is damaged: it cannot be read as a JPEG image'),
        ('sign.png', PNG[:33] + PNG[-12:], 'is damaged: it cannot be read as a PNG image'),
        ('sign.png', PNG[:-20] + bytes([PNG[-20] ^ 1]) + PNG[-19:], 'is damaged'),  # a checksum that does not match
    ],
)
def test_a_file_that_is_something_else_as_well_is_refused(name, content, says):
    with pytest.raises(ValidationError) as caught:
        check_evidence(_upload(name, content))
    assert says in caught.value.message_dict['file'][0]


@pytest.mark.parametrize('chunk', [1, 2, 3, 5, 7, 11, 4096])
def test_what_is_inside_is_found_across_the_chunks_the_file_is_read_in(monkeypatch, chunk):
    monkeypatch.setattr('oversight.compliance.evidence.CHUNK', chunk)
    script = PDF.replace(b'stream\n', b'stream\n<script>', 1)
    with pytest.raises(ValidationError, match='web page or script'):
        check_evidence(_upload('dpia.pdf', script))
    with pytest.raises(ValidationError, match='archive inside it'):
        check_evidence(_upload('sign.png', _png_saying(_zip_of('a.txt').decode('latin-1'))))
    handler = PDF.replace(b'stream\n', b'stream\n<svg width="9" height="9" onload="go()">', 1)
    with pytest.raises(ValidationError, match='web page or script'):
        check_evidence(_upload('dpia.pdf', handler))
    assert check_evidence(_upload('dpia.pdf', PDF)).content_type == 'application/pdf'


def test_a_phone_photo_with_data_after_the_image_is_accepted():
    # Phones write their own data after a JPEG's end: Samsung a trailer, motion photos a video.
    video = b'\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom' + bytes(range(256)) * 8
    assert check_evidence(_upload('photo.jpg', JPEG + video)).content_type == 'image/jpeg'
    assert check_evidence(_upload('photo.jpg', JPEG + b'SEFH\x00\x00<svg \x01\x02SEFT')).content_type == 'image/jpeg'


def test_one_half_of_a_zip_in_an_image_is_not_an_archive():
    # A local file header alone: four bytes compressed image data may hold by chance.
    assert check_evidence(_upload('sign.png', _png_saying('PK\x03\x04'))).content_type == 'image/png'


# Bug: a long name lost its checked extension when cut to 200 characters.


@pytest.mark.parametrize(
    ('name', 'stored'),
    [
        ('a' * 195 + '.html.pdf', 'a' * 195 + '.pdf'),
        ('b' * 300 + '.docx', 'b' * 195 + '.docx'),
        ('C:\\Users\\sro\\Documents\\dpia.pdf', 'dpia.pdf'),
        ('evidence/2025/dpia.pdf', 'dpia.pdf'),
        ('c' * 196 + '.pdf', 'c' * 196 + '.pdf'),  # exactly 200: kept as it is
        ('d' * 250, 'd' * 200),  # no extension to keep
    ],
)
def test_the_stored_name_keeps_the_checked_extension_within_200_characters(name, stored):
    assert stored_name(name) == stored
    assert len(stored_name(name)) <= 200
