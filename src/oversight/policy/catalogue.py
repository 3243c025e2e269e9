"""CISA's Known Exploited Vulnerabilities catalogue, as Oversight keeps it in the database (KevCatalogue,
KevEntry; the shipped catalogue is loaded by policy's migration 0002).

`prepare` reads a catalogue in CISA's own format from a file or an address, checks it and keeps the
entries about surveillance cameras and recorders (the selection in data/kev-matching.json);
`policy.actions.replace_kev_catalogue` stores it in one transaction, so a bad file changes nothing
(`oversight refresh-kev` does both). Entries known only from secondary sources are kept apart, marked
as such, until CISA's catalogue carries them.
"""

import datetime
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

from oversight.core.jsondata import JsonError, loads
from oversight.vendors.resolution import normalise

from .models import KevCatalogue, KevEntry

DATA_DIR = Path(__file__).resolve().parent / 'data'
MATCHING_FILE = DATA_DIR / 'kev-matching.json'
# CISA's full catalogue is a few megabytes; anything far larger is not it.
MAX_BYTES = 50 * 1024 * 1024
SOURCE = (
    'CISA Known Exploited Vulnerabilities catalogue (https://www.cisa.gov/known-exploited-vulnerabilities-catalog; '
    'mirror https://github.com/cisagov/kev-data), entries about IP cameras and video recorders as selected by '
    '`oversight refresh-kev` (selection in kev-matching.json)'
)

REQUIRED_TEXT = ('cveID', 'vendorProject', 'product', 'vulnerabilityName', 'shortDescription', 'requiredAction')
REQUIRED_DATES = ('dateAdded', 'dueDate')
_CVE = re.compile(r'^CVE-\d{4}-\d{4,}$')
_MAX_ERRORS = 20


class CatalogueError(Exception):
    """The file is not a usable KEV catalogue; the message says what is wrong and where."""


def _entry_errors(entry, where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f'{where} is not an object.']
    errors = []
    for name in REQUIRED_TEXT:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append(f'{where}: "{name}" is missing or not text.')
    if isinstance(entry.get('cveID'), str) and not _CVE.match(entry['cveID']):
        errors.append(f'{where}: "cveID" {entry["cveID"]!r} is not a CVE identifier (CVE-yyyy-nnnn).')
    for name in REQUIRED_DATES:
        value = entry.get(name)
        try:
            datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            errors.append(f'{where}: "{name}" {value!r} is not a date (yyyy-mm-dd).')
    if 'cwes' in entry and not (isinstance(entry['cwes'], list) and all(isinstance(c, str) for c in entry['cwes'])):
        errors.append(f'{where}: "cwes" is not a list of text.')
    return errors


def validate(document) -> None:
    """Raise CatalogueError listing every problem in a catalogue document (as CISA publishes it)."""
    if not isinstance(document, dict):
        raise CatalogueError('The file is not a KEV catalogue: expected a JSON object with "vulnerabilities".')
    errors = []
    for name in ('catalogVersion', 'dateReleased'):
        if not isinstance(document.get(name), str) or not document[name].strip():
            errors.append(f'"{name}" is missing or not text.')
    entries = document.get('vulnerabilities')
    if not isinstance(entries, list):
        raise CatalogueError('The file is not a KEV catalogue: "vulnerabilities" is missing or not a list.')
    if 'count' in document and document['count'] != len(entries):
        errors.append(f'"count" says {document["count"]!r} but the file holds {len(entries)} vulnerabilities.')
    seen = set()
    for index, entry in enumerate(entries):
        where = f'vulnerabilities[{index}]' + (
            f' ({entry["cveID"]})' if isinstance(entry, dict) and 'cveID' in entry else ''
        )
        errors.extend(_entry_errors(entry, where))
        cve = entry.get('cveID') if isinstance(entry, dict) else None
        if cve in seen:
            errors.append(f'{where}: {cve} appears more than once.')
        seen.add(cve)
    if errors:
        shown = errors[:_MAX_ERRORS]
        more = f' (and {len(errors) - _MAX_ERRORS} more)' if len(errors) > _MAX_ERRORS else ''
        raise CatalogueError('The KEV catalogue is not valid: ' + ' '.join(shown) + more)


def parse(data: bytes) -> dict:
    """A validated catalogue document from a file's bytes."""
    if len(data) > MAX_BYTES:
        raise CatalogueError(f'The file is {len(data):,} bytes; a KEV catalogue is at most {MAX_BYTES:,} bytes.')
    try:
        document = loads(data.decode('utf-8-sig'))
    except UnicodeDecodeError as exc:
        raise CatalogueError('The file is not UTF-8 text, so it is not a KEV JSON file.') from exc
    except JsonError as exc:
        raise CatalogueError(f'The file is not JSON: {exc}.') from exc
    validate(document)
    return document


def matching_data() -> dict:
    return json.loads(MATCHING_FILE.read_text(encoding='utf-8'))


class Selection:
    """Which catalogue entries concern surveillance cameras and recorders."""

    def __init__(self, spec: dict):
        self.vendors = frozenset(normalise(v) for v in spec['vendors'])
        self.keywords = re.compile(r'\b(' + '|'.join(re.escape(k) for k in spec['keywords']) + r')\b', re.IGNORECASE)
        self.product_patterns = [re.compile(p, re.IGNORECASE) for p in spec['product_patterns']]

    def keeps(self, entry: dict) -> bool:
        if normalise(entry['vendorProject']) in self.vendors:
            return True
        if self.keywords.search(entry['product']) or self.keywords.search(entry['vulnerabilityName']):
            return True
        return any(p.search(entry['product']) for p in self.product_patterns)


def stored() -> dict:
    """The catalogue in the database, as a document of the shape `build` makes."""
    held = KevCatalogue.objects.get()
    entries = list(KevEntry.objects.all())
    vulnerabilities = [e.entry for e in entries if not e.secondary]
    return {
        'title': held.title,
        'catalogVersion': held.catalogue_version,
        'dateReleased': held.date_released,
        'source': held.source,
        'count': len(vulnerabilities),
        'vulnerabilities': vulnerabilities,
        'additions': [e.entry for e in entries if e.secondary],
    }


def row_source(document: dict, entry: dict, secondary: bool) -> str:
    """Where one entry's facts come from: the catalogue (and its version), or the secondary sources it names."""
    if secondary:
        return "Secondary sources, not yet confirmed in CISA's catalogue: " + '; '.join(entry['sources'])
    return f'{document["source"]}; catalogue version {document["catalogVersion"]}'


def build(catalogue: dict, previous: dict | None) -> dict:
    """The data file for a validated catalogue: its surveillance entries, and earlier secondary-source
    additions that the catalogue does not yet carry."""
    selection = Selection(matching_data()['selection'])
    kept = [entry for entry in catalogue['vulnerabilities'] if selection.keeps(entry)]
    in_catalogue = {entry['cveID'] for entry in catalogue['vulnerabilities']}
    additions = [a for a in (previous or {}).get('additions', []) if a['cveID'] not in in_catalogue]
    return {
        'title': catalogue.get('title', 'CISA Catalog of Known Exploited Vulnerabilities'),
        'catalogVersion': catalogue['catalogVersion'],
        'dateReleased': catalogue['dateReleased'],
        'source': SOURCE,
        'count': len(kept),
        'vulnerabilities': kept,
        'additions': additions,
    }


def read(source: str) -> bytes:
    """The bytes of a catalogue file, or of an http(s) address (CISA's feed), at most MAX_BYTES."""
    if source.startswith(('https://', 'http://')):
        try:
            with urllib.request.urlopen(source, timeout=60) as response:
                data = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise CatalogueError(f'{source} cannot be fetched: the server answered HTTP {exc.code}.') from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise CatalogueError(f'{source} cannot be fetched: {getattr(exc, "reason", exc)}.') from exc
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise CatalogueError(f'{source} cannot be read: {exc.strerror or exc}.') from exc
    return data


def prepare(source: str) -> dict:
    """The catalogue to store for a catalogue file or address, carrying over the additions stored now."""
    return build(parse(read(source)), stored())
