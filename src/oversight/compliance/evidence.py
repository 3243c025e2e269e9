"""What an evidence file really is, read from its content: never from its name or the browser's word.

Accepted: PDF, PNG and JPEG images, and Word, Excel and PowerPoint documents in their zip-based formats
(.docx, .xlsx, .pptx). The name's extension must agree with the content, so a PNG called report.pdf is refused.

- A PDF, PNG or JPEG starts with its format's signature and ends as the format does: a PDF's last `%%EOF` within
  its last 1,024 bytes, a PNG with its IEND chunk, a JPEG with its end-of-image marker, and nothing after them.
  Pillow reads the images through (a PNG's chunks with their checksums, a JPEG decoded at an eighth of its size).
  The whole file is searched for web pages and scripts (an HTML, SVG or script tag) and for an archive inside
  (zip, RAR, 7z), so a file that is two things at once is refused.
- An office document is an Office Open XML package: a zip whose `[Content_Types].xml` gives every member a
  content type, declares the main part of the format its name says, and that part is in the zip and is
  well-formed XML. Macro projects, and members that are programs, web pages or archives, are refused; so are
  more members than MAX_ZIP_MEMBERS and members that would unpack to too much (their declared sizes and
  compression ratios are checked before anything is read). A damaged package is refused, never a server error.

Each refusal names the field (`file`) and says why. `stored_name` gives the name the file is kept under.
"""

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote
from xml.sax import SAXException

from defusedxml import ElementTree, sax
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

FIELD = 'file'
# The [Content_Types].xml of a document is a few kilobytes; a larger one is not read.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
# A 20 MB workbook unpacks to some 300 MB and its sheets compress about 15 to 1; a zip bomb goes far beyond both.
MAX_UNPACKED_BYTES = 1024**3
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # a small part of repeated text compresses past any ratio, harmlessly
MAX_MAIN_PART_BYTES = 128 * 1024 * 1024
OOXML_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types'
CONTENT_TYPES_PART = '/[content_types].xml'  # as _part_name gives it
CHUNK = 1024 * 1024
STORED_NAME_LENGTH = 200  # Evidence.filename


@dataclass(frozen=True)
class Kind:
    name: str  # as people say it, with its article
    content_type: str  # as it is served
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...] = ()
    end: bytes = b''  # the format's closing bytes, found within its last `end_within` bytes
    end_within: int = 0
    pillow: str = ''  # the format Pillow reads an image as
    main_part: str = ''  # for an office document: the content type of its main part


PDF = Kind(gettext_lazy('a PDF'), 'application/pdf', ('pdf',), (b'%PDF-',), b'%%EOF', 1024)
PNG = Kind(gettext_lazy('a PNG image'), 'image/png', ('png',), (b'\x89PNG\r\n\x1a\n',),
           b'\x00\x00\x00\x00IEND\xaeB`\x82', 12, 'PNG')  # fmt: skip
# A JPEG's end is not checked: phones write their own data after it (Samsung's trailer, motion photos'
# video), which the search for web pages and archives reads like the rest.
JPEG = Kind(gettext_lazy('a JPEG image'), 'image/jpeg', ('jpg', 'jpeg'), (b'\xff\xd8\xff',), pillow='JPEG')
OFFICE = 'application/vnd.openxmlformats-officedocument'
DOCX = Kind(gettext_lazy('a Word document'), f'{OFFICE}.wordprocessingml.document', ('docx',),
            main_part=f'{OFFICE}.wordprocessingml.document.main+xml')  # fmt: skip
XLSX = Kind(gettext_lazy('an Excel workbook'), f'{OFFICE}.spreadsheetml.sheet', ('xlsx',),
            main_part=f'{OFFICE}.spreadsheetml.sheet.main+xml')  # fmt: skip
PPTX = Kind(gettext_lazy('a PowerPoint presentation'), f'{OFFICE}.presentationml.presentation', ('pptx',),
            main_part=f'{OFFICE}.presentationml.presentation.main+xml')  # fmt: skip
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX)
BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
ZIP_MAGIC = b'PK\x03\x04'
ACCEPTED = gettext_lazy('a PDF, a PNG or JPEG image, or a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx)')

# Tags a browser would act on, each with the byte that ends a tag name: six bytes or more, which compressed
# image or PDF data is unlikely ever to hold by chance (nor PDF's hex strings: these letters are not hex digits).
# An <svg> tag alone is five, about once in 2,000 photos of 20 MB: it counts only with an event handler.
MARKUP = re.compile(rb'<(?:!doctype|html|script|iframe|body)[\s/>]|<svg[\s/][^<>]{0,200}?\bon[a-z]+\s*=', re.IGNORECASE)
# A zip shows its local file header and its end record; RAR and 7z their signatures.
ARCHIVE = re.compile(rb'PK\x03\x04|PK\x05\x06|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c')
ZIP_SIGNATURES = {b'PK\x03\x04', b'PK\x05\x06'}
OVERLAP = 256  # longer than any marker, so one split between two chunks is still seen whole

# What these macro-free formats must not hold: a macro project (or its data), macro sheets, a macro-enabled part.
MACRO_TYPES = ('vbaproject', 'vbadata', 'macrosheet', 'macroenabled')
MACRO_PROJECT = 'vbaproject.bin'
PROGRAM_TYPES = {'text/html', 'application/xhtml+xml', 'application/x-msdownload', 'application/x-msdos-program',
                 'application/javascript', 'text/javascript', 'application/hta', 'application/zip',
                 'application/x-zip-compressed', 'application/vnd.rar', 'application/x-7z-compressed'}  # fmt: skip
PROGRAM_EXTENSIONS = ('exe', 'dll', 'scr', 'msi', 'com', 'bat', 'cmd', 'ps1', 'vbs', 'vbe', 'js', 'jse', 'wsf',
                      'hta', 'jar', 'html', 'htm', 'xhtml', 'zip', 'rar', '7z')  # fmt: skip
# What reading a damaged zip, or damaged XML in it, raises (a UnicodeDecodeError of a member's name, or
# defusedxml's refusal of entities, is a ValueError; an XML declaration's unknown encoding a LookupError).
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, LookupError,
           struct.error, SAXException, ElementTree.ParseError)  # fmt: skip


# Each refusal says what is wrong in a whole sentence, given the file's name and the kind its name says.
TOO_LARGE = gettext_lazy('The file is %(size)s bytes; the limit is %(limit)s bytes.')
EMPTY = gettext_lazy('The file is empty.')
NOT_ACCEPTED = gettext_lazy('"%(name)s" is not a kind of file accepted as evidence: upload %(accepted)s.')
NOT_WHAT_IT_SAYS = gettext_lazy('"%(name)s" is not %(kind)s, whatever its name says.')
NOT_A_PACKAGE = gettext_lazy(
    '"%(name)s" is not %(kind)s, whatever its name says: archives and other files are refused.'
)
HOLDS_WEB_PAGE = gettext_lazy('"%(name)s" is not %(kind)s, whatever its name says: it holds a web page or script.')
HOLDS_ARCHIVE = gettext_lazy('"%(name)s" is not %(kind)s, whatever its name says: it has an archive inside it.')
BADLY_ENDED = gettext_lazy(
    '"%(name)s" does not end as %(kind)s does: it is cut short or has something added after it. '
    'Save it again and upload the new copy.'
)
DAMAGED_FILE = gettext_lazy(
    '"%(name)s" is damaged: it cannot be read as %(kind)s. Save it again and upload the new copy.'
)
TOO_MANY_PIXELS = gettext_lazy(
    '"%(name)s" has too many pixels to be checked: save it at a smaller size and upload that.'
)
UNPACKS_TOO_FAR = gettext_lazy('"%(name)s" unpacks to far more data than %(kind)s holds, so it is refused.')
STRAY_FILE = gettext_lazy(
    '"%(name)s" is not %(kind)s, whatever its name says: it holds a file that is not part of one (%(part)s).'
)
HOLDS_PROGRAM = gettext_lazy(
    '"%(name)s" has a program, web page or archive inside it (%(part)s): remove it, save the document again '
    'and upload the new copy.'
)
HOLDS_MACROS = gettext_lazy(
    '"%(name)s" is not %(kind)s, whatever its name says: macro-enabled documents are refused. Save it as a '
    '.%(extension)s without macros and upload that.'
)


def max_bytes() -> int:
    return settings.OVERSIGHT_MAX_EVIDENCE_BYTES


def _refuse(message, name: str = '', kind: Kind | None = None, **values):
    values = {'name': name, 'kind': kind.name if kind else '', **values}
    raise ValidationError({FIELD: message % values})


def stored_name(name: str) -> str:
    """The name the file is kept under: its last path component, shortened to fit by its stem, never its
    extension, so what is kept still says the kind that was checked."""
    name = name.replace('\\', '/').rpartition('/')[2]
    if len(name) <= STORED_NAME_LENGTH or '.' not in name:
        return name[:STORED_NAME_LENGTH]
    stem, _dot, extension = name.rpartition('.')
    stem = stem[: max(STORED_NAME_LENGTH - len(extension) - 1, 0)].rstrip('. ')
    return f'{stem}.{extension}'[:STORED_NAME_LENGTH]


def _check_ending(upload, name: str, kind: Kind) -> None:
    """The format's closing bytes where they must be: a file cut short, or with something after it, is refused."""
    if not kind.end:
        return
    upload.seek(max(upload.size - kind.end_within, 0))
    if kind.end not in upload.read(kind.end_within):
        _refuse(BADLY_ENDED, name, kind)


def _check_nothing_inside(upload, name: str, kind: Kind) -> None:
    """No web page, script or archive anywhere in the file, read a chunk at a time."""
    upload.seek(0)
    seen = b''
    archives = set()
    while chunk := upload.read(CHUNK):
        window = seen + chunk
        if MARKUP.search(window):
            _refuse(HOLDS_WEB_PAGE, name, kind)
        archives.update(ARCHIVE.findall(window))
        if archives - ZIP_SIGNATURES or archives >= ZIP_SIGNATURES:
            _refuse(HOLDS_ARCHIVE, name, kind)
        seen = window[-OVERLAP:]


def _check_picture(upload, name: str, kind: Kind) -> None:
    """Pillow reads the image through: a PNG's every chunk against its checksum; a JPEG decoded, but at an eighth
    of its size (the smallest Pillow asks of libjpeg), which reads every block for a sixty-fourth of the pixels."""
    from PIL import Image  # here, not at the top: commands that load this module never draw

    upload.seek(0)
    try:
        with Image.open(upload, formats=[kind.pillow]) as picture:
            if kind is PNG:
                picture.verify()
            else:
                picture.draft(None, (1, 1))
                picture.load()
    except Image.DecompressionBombError:
        _refuse(TOO_MANY_PIXELS, name, kind)
    # What Pillow raises on a damaged image (an IndexError for a PNG with no image data).
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        _refuse(DAMAGED_FILE, name, kind)


def _part_name(member: str) -> str:
    """A zip member's part name as [Content_Types].xml writes it, compared as the package rules say: ignoring
    case and percent-encoding."""
    return unquote(f'/{member.lstrip("/")}').lower()


def _check_sizes(members: list[zipfile.ZipInfo], name: str, kind: Kind) -> None:
    """What the zip's directory says, before anything is unpacked."""
    if len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        _refuse(UNPACKS_TOO_FAR, name, kind)
    if any(
        member.file_size > RATIO_CHECKED_FROM and member.file_size > member.compress_size * MAX_COMPRESSION_RATIO
        for member in members
    ):
        _refuse(UNPACKS_TOO_FAR, name, kind)
    parts = [_part_name(member.filename) for member in members]
    if len(set(parts)) != len(parts):  # two copies of a part, which readers would choose between differently
        _refuse(DAMAGED_FILE, name, kind)
    # Office writes its parts stored or deflated, never encrypted (a password-protected document is not a zip).
    if any(
        member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        for member in members
    ):
        _refuse(NOT_A_PACKAGE, name, kind)


def _check_members(members: list[zipfile.ZipInfo], defaults: dict, overrides: dict, name: str, kind: Kind) -> None:
    """Every member is a part with a content type by the package's own rules, and none is a macro project, a
    program, a web page or an archive."""
    declared = [*defaults.values(), *overrides.values()]
    if any(marker in content_type for content_type in declared for marker in MACRO_TYPES) or any(
        member.filename.lower().rpartition('/')[2] == MACRO_PROJECT for member in members
    ):
        _refuse(HOLDS_MACROS, name, kind, extension=kind.extensions[0])
    for member in members:
        part = _part_name(member.filename)
        if member.is_dir() or part == CONTENT_TYPES_PART:
            continue
        last = part.rpartition('/')[2]
        extension = last.rpartition('.')[2] if '.' in last else ''
        content_type = overrides.get(part) or defaults.get(extension)
        if (content_type or '').partition(';')[0].strip() in PROGRAM_TYPES or extension in PROGRAM_EXTENSIONS:
            _refuse(HOLDS_PROGRAM, name, kind, part=member.filename)
        if content_type is None:
            _refuse(STRAY_FILE, name, kind, part=member.filename)


def _check_well_formed(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse the part as it unpacks, a chunk at a time, keeping nothing: only whether it is well-formed XML."""
    parser = sax.make_parser()
    with package.open(member) as stream:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
    parser.close()


def _check_package(upload, name: str, kind: Kind) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
            _check_sizes(members, name, kind)
            by_part = {_part_name(member.filename): member for member in members}
            declared = by_part.get(CONTENT_TYPES_PART)
            if declared is None or declared.file_size > MAX_CONTENT_TYPES_BYTES:
                _refuse(NOT_A_PACKAGE, name, kind)
            with package.open(declared) as stream:
                types = ElementTree.fromstring(stream.read(MAX_CONTENT_TYPES_BYTES + 1))
            defaults = {
                element.get('Extension', '').lower(): element.get('ContentType', '').lower()
                for element in types.iter(f'{{{OOXML_TYPES}}}Default')
            }
            overrides = {
                unquote(element.get('PartName', '')).lower(): element.get('ContentType', '').lower()
                for element in types.iter(f'{{{OOXML_TYPES}}}Override')
            }
            _check_members(members, defaults, overrides, name, kind)
            main = [part for part, content_type in overrides.items() if content_type == kind.main_part]
            if len(main) != 1 or main[0] not in by_part:
                _refuse(NOT_A_PACKAGE, name, kind)
            if by_part[main[0]].file_size > MAX_MAIN_PART_BYTES:
                _refuse(UNPACKS_TOO_FAR, name, kind)
            _check_well_formed(package, by_part[main[0]])
    except DAMAGED:
        _refuse(DAMAGED_FILE, name, kind)


def check_evidence(upload) -> Kind:
    """The kind of an uploaded file, or a ValidationError on `file` saying why it is refused."""
    name = upload.name or ''
    if upload.size > max_bytes():
        _refuse(TOO_LARGE, size=f'{upload.size:,}', limit=f'{max_bytes():,}')
    if upload.size == 0:
        _refuse(EMPTY)
    extension = name.rpartition('.')[2].lower() if '.' in name else ''
    kind = BY_EXTENSION.get(extension)
    if kind is None:
        _refuse(NOT_ACCEPTED, name, accepted=ACCEPTED)
    upload.seek(0)
    head = upload.read(16)
    if kind.main_part:
        if not head.startswith(ZIP_MAGIC):
            _refuse(NOT_A_PACKAGE, name, kind)
        _check_package(upload, name, kind)
    else:
        if not head.startswith(kind.magic):
            _refuse(NOT_WHAT_IT_SAYS, name, kind)
        _check_nothing_inside(upload, name, kind)
        _check_ending(upload, name, kind)
        if kind.pillow:
            _check_picture(upload, name, kind)
    upload.seek(0)
    return kind
