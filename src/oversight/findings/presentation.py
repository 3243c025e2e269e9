"""What the report page and the PDF show, from a report's data and text (the same for both).

Everything here is written in the active language: the page renders in its reader's language, and publication
renders the PDF once in English and once in Welsh (actions.publish_report). The data froze its labels in English;
they are translated as they are shown (`LABELS_IN_DATA` puts them in the catalogue).
"""

import base64
import datetime
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from . import charts, downloads, narrative
from .report import percent_text

# The labels report.build() freezes in a version's data, in English (register.models.Category, the designation
# reasons of vendors.models.Designation, engine.FIGURE_LABELS, the "Other answers" update): shown translated.
LABELS_IN_DATA = (
    gettext_noop('External CCTV'),
    gettext_noop('Internal CCTV'),
    gettext_noop('ANPR'),
    gettext_noop('Body-worn video'),
    gettext_noop('Drones'),
    gettext_noop('Helicopter-borne cameras'),
    gettext_noop('Facial recognition'),
    gettext_noop('Other'),
    gettext_noop('National-security law'),
    gettext_noop('Human rights'),
    gettext_noop('Sanctions'),
    gettext_noop('Known exploited vulnerabilities'),
    gettext_noop('Named by the regulator as a concern'),
    gettext_noop('respondents operating it'),
    gettext_noop('respondents with equipment of concern'),
    gettext_noop('of those, respondents aware of the concerns'),
    gettext_noop('manufacturers of concern named'),
    gettext_noop('Other answers'),
)
# How the Update notes name each category's systems.
SYSTEMS = {
    'external_cctv': gettext_lazy('external camera systems'),
    'internal_cctv': gettext_lazy('internal camera systems'),
    'anpr': gettext_lazy('ANPR systems'),
    'body_worn_video': gettext_lazy('body-worn video systems'),
    'drone': gettext_lazy('drones'),
    'helicopter': gettext_lazy('helicopter-borne cameras'),
    'facial_recognition': gettext_lazy('facial recognition systems'),
    'other': gettext_lazy('other systems'),
}
CHART_ALT = {
    'categories': gettext_lazy(
        'Bar chart: for each category, respondents operating it, with equipment of concern, and aware of '
        'the concerns. The table below gives the same figures.'
    ),
    'manufacturers': gettext_lazy(
        'Grid: for each maker of concern and each category, the respondents with its equipment. '
        'The table below gives the same figures.'
    ),
    'responses': gettext_lazy('Bar chart: the response rate of each campaign. The table below gives the same figures.'),
    'trends': gettext_lazy(
        'Line chart: respondents with equipment of concern per category, campaign by campaign. '
        'The table below gives the same figures.'
    ),
    'governance': gettext_lazy(
        'Bar chart: per cent of systems and of respondents with a governance record, an in-date DPIA, '
        'certification at each step, a self-assessment, and using facial recognition. The table below gives the '
        'same figures.'
    ),
    'principles': gettext_lazy(
        'Bar chart: actions not done in the latest frozen self-assessments, by guiding principle; the '
        'table also gives the answers to each principle. The table below gives the same figures.'
    ),
}
# Which table sits beside which chart.
CHART_TABLE = {
    'categories': 'categories',
    'manufacturers': 'manufacturers',
    'responses': 'responses',
    'trends': 'trends',
    'governance': 'governance',
    'principles': 'principles',
}


def update_sentences(update: dict) -> list[str]:
    """The Update note's text, every number from the update's data."""
    if update['category'] is None:
        n = update['corrections']
        return [
            ngettext(
                '%(n)s correction to other answers was published; no figure of this report changed.',
                '%(n)s corrections to other answers were published; no figure of this report changed.',
                n,
            )
            % {'n': n}
        ]
    sentences = []
    systems = SYSTEMS.get(update['category'], gettext_lazy('systems'))
    changed = {change['figure']: change for change in update['changes']}
    for change in update['changes']:
        before, after = change['published'], change['corrected']
        if change['figure'] == 'with_concern':
            makers = ', '.join(update.get('makers_published') or [])
            values = {'before': before, 'systems': systems, 'after': after, 'makers': makers}
            if makers:
                sentence = ngettext(
                    'The survey returns gave the impression that %(before)s respondent had equipment from '
                    'manufacturers of concern (%(makers)s) in their %(systems)s. Subsequent enquiries have shown '
                    'that to be incorrect: the corrected figure is %(after)s.',
                    'The survey returns gave the impression that %(before)s respondents had equipment from '
                    'manufacturers of concern (%(makers)s) in their %(systems)s. Subsequent enquiries have shown '
                    'that to be incorrect: the corrected figure is %(after)s.',
                    before,
                )
            else:
                sentence = ngettext(
                    'The survey returns gave the impression that %(before)s respondent had equipment from '
                    'manufacturers of concern in their %(systems)s. Subsequent enquiries have shown that to be '
                    'incorrect: the corrected figure is %(after)s.',
                    'The survey returns gave the impression that %(before)s respondents had equipment from '
                    'manufacturers of concern in their %(systems)s. Subsequent enquiries have shown that to be '
                    'incorrect: the corrected figure is %(after)s.',
                    before,
                )
            sentences.append(sentence % values)
        elif change['figure'] == 'manufacturers_of_concern':
            if 'with_concern' not in changed:  # else the sentence above names them
                sentences.append(
                    _(
                        'Manufacturers of concern named for %(systems)s: %(before)s as first published, %(after)s as '
                        'corrected.'
                    )
                    % {'systems': systems, 'before': narrative.joined(before), 'after': narrative.joined(after)}
                )
        else:
            sentences.append(
                _('%(category)s, %(figure)s: %(before)s as first published, %(after)s as corrected.')
                % {
                    'category': downloads.label(update['label']),
                    'figure': downloads.label(change['label']),
                    'before': before,
                    'after': after,
                }
            )
    return sentences


def data_uri(svg: str) -> str:
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode()


@dataclass(frozen=True)
class Section:
    """A chart and the table beside it."""

    name: str
    title: str
    chart: str  # data: URI of the SVG
    alt: str
    table: downloads.Table


def context(data: dict, narrative_source: str, *, narrative_language: str = 'en-gb', with_charts: bool = True) -> dict:
    """Template context for a report's data and text (a live draft or a frozen version), in the active language.

    The text is the regulator's, written in `narrative_language`: its figures are bound in that language (lists
    joined with "and" or "a"), and the page marks it with its language when that is not the page's."""
    with translation.override(narrative_language):
        rendered, _problems = narrative.render(narrative_source, narrative.namespace(data))
    same_language = narrative_language[:2] == (translation.get_language() or 'en')[:2]
    responses = data['responses']
    sections = []
    for name, draw in charts.CHARTS.items():
        table = downloads.table(CHART_TABLE[name], data)
        if table is None:
            continue  # a version published before these figures were counted
        chart = data_uri(draw(data)) if with_charts else ''
        sections.append(Section(name, table.title, chart, str(CHART_ALT[name]), table))
    updates = [
        {
            **update,
            'label': downloads.label(update['label']),
            'sentences': update_sentences(update),
            'date': datetime.date.fromisoformat(update['date']) if update['date'] else None,
        }
        for update in data['updates']
    ]
    return {
        'data': data,
        'categories': [{**row, 'label': downloads.label(row['label'])} for row in data['categories']],
        'blocks': narrative.blocks(rendered),
        # English text on a Welsh page says so, for screen readers' pronunciation.
        'narrative_lang': '' if same_language else ('cy' if narrative_language == 'cy' else 'en-GB'),
        'updates': updates,
        'sections': sections,
        'designations': downloads.designations(data),
        'response_rate': percent_text(responses['responded'], responses['invited']),
    }
