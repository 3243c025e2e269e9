"""What an evidence file really is, read from its content: never from its name or the browser's word.

Accepted: PDF, PNG and JPEG images, and Word, Excel and PowerPoint documents in their zip-based formats
(.docx, .xlsx, .pptx). Every other file is refused, archives included: a zip is accepted only when its
`[Content_Types].xml` declares the main part of the office format its name says, so a plain zip, a
macro-enabled document or a zip renamed .docx is refused. The name's extension must agree with the
content, so a PNG called report.pdf is refused too. Each refusal names the field (`file`).
"""

import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError

FIELD = 'file'
# The [Content_Types].xml of a document is a few kilobytes; a larger one is not read.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
OOXML_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types'


@dataclass(frozen=True)
class Kind:
    name: str  # as people say it
    content_type: str  # as it is served
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...] = ()
    main_part: str = ''  # for an office document: the content type of its main part


PDF = Kind('PDF', 'application/pdf', ('pdf',), (b'%PDF-',))
PNG = Kind('PNG image', 'image/png', ('png',), (b'\x89PNG\r\n\x1a\n',))
JPEG = Kind('JPEG image', 'image/jpeg', ('jpg', 'jpeg'), (b'\xff\xd8\xff',))
OFFICE = 'application/vnd.openxmlformats-officedocument'
DOCX = Kind('Word document', f'{OFFICE}.wordprocessingml.document', ('docx',),
            main_part=f'{OFFICE}.wordprocessingml.document.main+xml')  # fmt: skip
XLSX = Kind('Excel workbook', f'{OFFICE}.spreadsheetml.sheet', ('xlsx',),
            main_part=f'{OFFICE}.spreadsheetml.sheet.main+xml')  # fmt: skip
PPTX = Kind('PowerPoint presentation', f'{OFFICE}.presentationml.presentation', ('pptx',),
            main_part=f'{OFFICE}.presentationml.presentation.main+xml')  # fmt: skip
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX)
BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
ZIP_MAGIC = b'PK\x03\x04'
ACCEPTED = 'a PDF, a PNG or JPEG image, or a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx)'


def max_bytes() -> int:
    return settings.OVERSIGHT_MAX_EVIDENCE_BYTES


def _refuse(message: str):
    raise ValidationError({FIELD: message})


def _office_main_parts(upload) -> set[str]:
    """The content types of the parts a zip's [Content_Types].xml declares (empty if it has none)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return set()
            declared = next((m for m in members if m.filename == '[Content_Types].xml'), None)
            if declared is None or declared.file_size > MAX_CONTENT_TYPES_BYTES:
                return set()
            with archive.open(declared) as stream:
                text = stream.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
        return set()
    try:
        root = ElementTree.fromstring(text)
    except Exception:  # defusedxml refuses entities and malformed XML alike: either way, not a document
        return set()
    return {element.get('ContentType', '') for element in root.iter(f'{{{OOXML_TYPES}}}Override')}


def check_evidence(upload) -> Kind:
    """The kind of an uploaded file, or a ValidationError on `file` saying why it is refused."""
    name = upload.name or ''
    if upload.size > max_bytes():
        _refuse(f'The file is {upload.size:,} bytes; the limit is {max_bytes():,} bytes.')
    if upload.size == 0:
        _refuse('The file is empty.')
    extension = name.rpartition('.')[2].lower() if '.' in name else ''
    kind = BY_EXTENSION.get(extension)
    if kind is None:
        _refuse(f'"{name}" is not a kind of file accepted as evidence: upload {ACCEPTED}.')
    upload.seek(0)
    head = upload.read(16)
    if kind.main_part:
        if not head.startswith(ZIP_MAGIC) or kind.main_part not in _office_main_parts(upload):
            _refuse(f'"{name}" is not a {kind.name}, whatever its name says: archives and other files are refused.')
    elif not head.startswith(kind.magic):
        _refuse(f'"{name}" is not a {kind.name}, whatever its name says.')
    upload.seek(0)
    return kind
