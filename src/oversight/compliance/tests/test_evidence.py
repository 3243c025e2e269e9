import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from oversight.compliance import actions
from oversight.compliance.evidence import DOCX
from oversight.compliance.models import Evidence, Principle
from oversight.core.models import ObjectChange

PDF = b'%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
PNG = b'\x89PNG\r\n\x1a\n' + b'\x00\x00\x00\rIHDR' + b'\x00' * 40
JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + b'\x00' * 40


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


DOCX_BYTES = _zip({'[Content_Types].xml': _content_types(DOCX.main_part), 'word/document.xml': '<w:document/>'})


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
        ('sheet.xlsx', DOCX_BYTES, 'is not a Excel workbook'),  # an office file of another kind
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
