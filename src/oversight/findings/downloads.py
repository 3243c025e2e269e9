"""The report's tables, from a report's data: shown beside each chart, and downloaded as CSV or XLSX.

One definition serves the page, the PDF and the downloads, so they always agree. Only aggregates:
no table carries a body's own answers. core.exports writes the downloads formula-safe.

Titles, headers and the labels the data froze (in English) are written in the active language, so the Welsh
page and PDF have Welsh tables; the downloads are made in English (`english`), so the open data's columns
keep their names whatever the language of the page they are downloaded from.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .report import percent

# The licence of everything published (the Open Government Licence v3.0, as GOV.UK publishes under).
OGL_URL = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/'
OGL_NAME = 'Open Government Licence v3.0'
# The National Archives publishes the licence in Welsh too, under its Welsh name.
OGL_CY_URL = 'https://www.nationalarchives.gov.uk/doc/open-government-licence-cymraeg/version/3/'
OGL_CY_NAME = 'Trwydded Llywodraeth Agored v3.0'
# What core.exports does to text columns, said in their CSVW metadata.
FORMULA_SAFE_NOTE = 'Text starting =, +, - or @ is prefixed with an apostrophe, so no spreadsheet runs it as a formula.'


@dataclass(frozen=True)
class Table:
    name: str  # in download URLs and file names
    title: str
    headers: list[str]
    rows: list[list]

    def _numeric(self, column: int) -> bool:
        values = [row[column] for row in self.rows]
        return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)

    @property
    def wide(self) -> bool:
        """Many columns: printed smaller so the table fits the page."""
        return len(self.headers) > 9

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """(header, whether the column is numeric), for right-aligning numbers on the page."""
        return [(header, self._numeric(column)) for column, header in enumerate(self.headers)]

    def column_datatype(self, column: int) -> str:
        """The CSVW datatype of a column: integer or decimal when every value is one, else string."""
        if not self._numeric(column):
            return 'string'
        return 'integer' if all(isinstance(row[column], int) for row in self.rows) else 'decimal'

    @property
    def cells(self) -> list[list[tuple[object, bool]]]:
        numeric = [self._numeric(column) for column in range(len(self.headers))]
        return [[(_shown(v), n) for v, n in zip(row, numeric, strict=True)] for row in self.rows]


@contextmanager
def english():
    """Tables made inside are in English: the downloads, and their CSVW metadata."""
    with translation.override('en-gb'):
        yield


def label(text: str) -> str:
    """A label the data froze in English (a category, a designation's reason), in the active language."""
    return _(text) if text else text


def csvw_metadata(table: Table, *, csv_url: str, description: str, publisher: str, issued: str) -> dict:
    """CSV on the Web (W3C CSVW) metadata of a table's CSV: what each column holds, the licence, who published it.

    `csv_url` may be relative to where the metadata is served (beside the CSV, `<name>.csv-metadata.json`)."""
    columns = []
    for column, header in enumerate(table.headers):
        datatype = table.column_datatype(column)
        columns.append(
            {
                'name': re.sub(r'[^a-z0-9]+', '_', header.lower()).strip('_'),
                'titles': header,
                'datatype': datatype,
                **({'dc:description': FORMULA_SAFE_NOTE} if datatype == 'string' else {}),
            }
        )
    return {
        '@context': ['http://www.w3.org/ns/csvw', {'@language': 'en'}],
        'url': csv_url,
        'dc:title': table.title,
        'dc:description': description,
        'dc:publisher': publisher,
        'dc:issued': {'@value': issued, '@type': 'xsd:date'},
        'dc:license': {'@id': OGL_URL},
        'dialect': {'encoding': 'utf-8', 'header': True, 'delimiter': ','},
        'tableSchema': {'columns': columns, **({'primaryKey': columns[0]['name']} if _unique_first(table) else {})},
    }


def _unique_first(table: Table) -> bool:
    values = [row[0] for row in table.rows]
    return bool(values) and len(set(values)) == len(values)


def _shown(value):
    """Large counts grouped by thousands on the page ("65,155"); years and small counts as they are."""
    return f'{value:,}' if isinstance(value, int) and not isinstance(value, bool) and value >= 10000 else value


def categories(data: dict) -> Table:
    published = {row['code']: row for row in data['published_categories']}
    headers = [
        _('Category'),
        _('Respondents'),
        _('Operating'),
        _('Operating: not known'),
        _('With equipment of concern'),
        _('Concern: not known'),
        _('Of those, aware'),
        _('Aware: not known'),
        _('Makers of concern'),
        _('Devices'),
        _('Devices of concern'),
        _('Lines, maker unknown'),
        _('Lines, no quantity'),
        _('With concern, as first published'),
    ]
    rows = [
        [
            label(row['label']),
            row['respondents'],
            row['operating'],
            row['operating_unknown'],
            row['with_concern'],
            row['concern_unknown'],
            row['aware'],
            row['aware_unknown'],
            ', '.join(row['manufacturers_of_concern']),
            row['devices'],
            row['devices_of_concern'],
            row['lines_unresolved'],
            row['quantity_unknown'],
            published[row['code']]['with_concern'],
        ]
        for row in data['categories']
    ]
    return Table('categories', _('Findings by category'), headers, rows)


def manufacturers(data: dict) -> Table:
    headers = [_('Maker of concern'), _('Category'), _('Respondents'), _('Devices')]
    found = [
        (maker, position, row, respondents)
        for position, row in enumerate(data['categories'])
        for maker, respondents in row['respondents_by_maker'].items()
    ]
    rows = [
        [maker, label(row['label']), respondents, row['devices_by_maker'].get(maker, 0)]
        for maker, _position, row, respondents in sorted(found, key=lambda f: f[:2])
    ]
    return Table('manufacturers', _('Respondents with equipment of concern, by maker'), headers, rows)


def responses(data: dict) -> Table:
    headers = [
        _('Campaign'),
        _('Year'),
        _('Invited'),
        _('Responded'),
        _('On time'),
        _('Late'),
        _('Response rate (%)'),
        _('Did not respond'),
    ]
    rows = [
        [
            entry['title'],
            entry['year'],
            entry['invited'],
            entry['responded'],
            entry['on_time'],
            entry['late'],
            float(percent(entry['responded'], entry['invited'], 1) or 0),
            '; '.join(entry['non_respondents']),
        ]
        for entry in data['series']
    ]
    return Table('responses', _('Responses, campaign by campaign'), headers, rows)


def trends(data: dict) -> Table:
    series = data['series']
    headers = [_('Category')]
    for entry in series:
        year = entry['year']
        headers += [
            _('Operating %(year)s') % {'year': year},
            _('With concern %(year)s') % {'year': year},
            _('Aware %(year)s') % {'year': year},
        ]
    rows = []
    for row in data['categories']:
        cells = [label(row['label'])]
        for entry in series:
            figures = entry['categories'][row['code']]
            cells += [figures['operating'], figures['with_concern'], figures['aware']]
        rows.append(cells)
    return Table('trends', _('Trends across campaigns'), headers, rows)


def non_respondents(data: dict) -> Table:
    rows = [[name] for name in data['responses']['non_respondents']]
    return Table('non-respondents', _('Bodies that did not respond'), [_('Body')], rows)


def designations(data: dict) -> Table:
    listed = data['concern_list']
    headers = [_('Maker'), _('Designated'), _('Scope'), _('Reason'), _('Source')]
    rows = [[d['maker'], d['date'], d['scope'], label(d['reason']), d['source_url']] for d in listed['designations']]
    title = _('The concern list as it stood: %(name)s') % {'name': listed['name']}
    return Table('designations', title, headers, rows)


# Compliance with the Code: a version published before governance was counted has no such data, and no tables.
GOVERNANCE_ROWS = (
    (gettext_noop('Governance record'), 'systems_recorded', 'bodies_with_records'),
    (gettext_noop('DPIA in date'), ('dpia_in_date', 'systems'), ('dpia_in_date', 'bodies')),
    (
        gettext_noop('Certified, step 1 (desktop)'),
        ('certified', 'step_1', 'systems'),
        ('certified', 'step_1', 'bodies'),
    ),
    (gettext_noop('Certified, step 2 (full)'), ('certified', 'step_2', 'systems'), ('certified', 'step_2', 'bodies')),
    (gettext_noop('Self-assessed'), ('self_assessed', 'systems'), ('self_assessed', 'bodies')),
    (gettext_noop('Facial recognition used'), None, ('facial_recognition', 'bodies_using')),
)


def _at(figures: dict, path):
    for key in (path,) if isinstance(path, str) else path:
        figures = figures[key]
    return figures


def governance(data: dict) -> Table | None:
    figures = data.get('governance')
    if figures is None:
        return None
    # Headers that do not change with the figures, so the open data's columns keep their names.
    headers = [_('Figure'), _('Systems'), _('Systems (% of all systems)'), _('Bodies'), _('Bodies (% of respondents)')]
    rows = []
    # Bodies are counted among the respondents whose records are available (a version published before some
    # could be unavailable counted every respondent).
    with_records = figures.get('respondents_with_records', figures['respondents'])
    for name, systems, bodies in GOVERNANCE_ROWS:
        if systems is None:
            used = figures['systems'] - figures['facial_recognition']['systems']['none']
            systems_count = used - figures['facial_recognition']['systems']['not_recorded']
        else:
            systems_count = _at(figures, systems)
        bodies_count = _at(figures, bodies)
        rows.append([
            _(name),
            systems_count,
            float(percent(systems_count, figures['systems'], 1) or 0),
            bodies_count,
            float(percent(bodies_count, with_records, 1) or 0),
        ])  # fmt: skip
    return Table('governance', _('Compliance with the Code'), headers, rows)


def principles(data: dict) -> Table | None:
    figures = data.get('governance')
    if figures is None:
        return None
    headers = [
        _('Principle'),
        _('Open actions'),
        _('Answered fully compliant'),
        _('Partly compliant'),
        _('Not compliant'),
        _('Not yet assessed'),
        _('Not answered'),
    ]
    rows = []
    for number, answered in figures['answers']['principles'].items():
        rows.append([
            int(number),
            figures['open_actions_by_principle'][number],
            answered['compliant'],
            answered['partly_compliant'],
            answered['not_compliant'],
            answered['not_assessed'],
            answered['unanswered'],
        ])  # fmt: skip
    return Table('principles', _('The guiding principles: open actions and answers'), headers, rows)


TABLES = {
    t.__name__.replace('_', '-'): t
    for t in (categories, manufacturers, responses, trends, governance, principles, non_respondents, designations)
}


def table(name: str, data: dict) -> Table | None:
    """The named table of the data; None for an unknown name, or a table the data has no figures for."""
    maker = TABLES.get(name)
    return maker(data) if maker else None


def licence_shown() -> tuple[str, str]:
    """(name, address) of the licence as a page in the active language names it; open data keeps the English."""
    if (translation.get_language() or '').startswith('cy'):
        return OGL_CY_NAME, OGL_CY_URL
    return OGL_NAME, OGL_URL
