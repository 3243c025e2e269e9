"""What the report page and the PDF show, from a report's data and text (the same for both)."""

import base64
import datetime
from dataclasses import dataclass

from . import charts, downloads, narrative
from .report import percent_text

# How the Update notes name each category's systems.
SYSTEMS = {
    'external_cctv': 'external camera systems',
    'internal_cctv': 'internal camera systems',
    'anpr': 'ANPR systems',
    'body_worn_video': 'body-worn video systems',
    'drone': 'drones',
    'helicopter': 'helicopter-borne cameras',
    'facial_recognition': 'facial recognition systems',
    'other': 'other systems',
}
CHART_ALT = {
    'categories': 'Bar chart: for each category, respondents operating it, with equipment of concern, and aware of '
    'the concerns. The table below gives the same figures.',
    'manufacturers': 'Grid: for each maker of concern and each category, the respondents with its equipment. '
    'The table below gives the same figures.',
    'responses': 'Bar chart: the response rate of each campaign. The table below gives the same figures.',
    'trends': 'Line chart: respondents with equipment of concern per category, campaign by campaign. '
    'The table below gives the same figures.',
    'governance': 'Bar chart: per cent of systems and of respondents with a governance record, an in-date DPIA, '
    'certification at each step, a self-assessment, and using facial recognition. The table below gives the '
    'same figures.',
    'principles': 'Bar chart: actions not done in the latest frozen self-assessments, by guiding principle; the '
    'table also gives the answers to each principle. The table below gives the same figures.',
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


def _respondents(n: int) -> str:
    return f'{n} respondent{"s" if n != 1 else ""}'


def update_sentences(update: dict) -> list[str]:
    """The Update note's text, every number from the update's data."""
    if update['category'] is None:
        n = update['corrections']
        return [
            f'{n} correction{"s" if n != 1 else ""} to other answers {"were" if n != 1 else "was"} published; '
            'no figure of this report changed.'
        ]
    sentences = []
    systems = SYSTEMS.get(update['category'], 'systems')
    changed = {change['figure']: change for change in update['changes']}
    for change in update['changes']:
        before, after = change['published'], change['corrected']
        if change['figure'] == 'with_concern':
            makers = ', '.join(update.get('makers_published') or [])
            named = f' ({makers})' if makers else ''
            sentences.append(
                f'The survey returns gave the impression that {_respondents(before)} had equipment from '
                f'manufacturers of concern{named} in their {systems}. Subsequent enquiries have shown that to be '
                f'incorrect: the corrected figure is {after}.'
            )
        elif change['figure'] == 'manufacturers_of_concern':
            if 'with_concern' not in changed:  # else the sentence above names them
                sentences.append(
                    f'Manufacturers of concern named for {systems}: {narrative.joined(before)} as first published, '
                    f'{narrative.joined(after)} as corrected.'
                )
        else:
            sentences.append(
                f'{update["label"]}, {change["label"]}: {before} as first published, {after} as corrected.'
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


def context(data: dict, narrative_source: str, *, with_charts: bool = True) -> dict:
    """Template context for a report's data and text (a live draft or a frozen version)."""
    names = narrative.namespace(data)
    rendered, _problems = narrative.render(narrative_source, names)
    responses = data['responses']
    sections = []
    for name, draw in charts.CHARTS.items():
        table = downloads.table(CHART_TABLE[name], data)
        if table is None:
            continue  # a version published before these figures were counted
        sections.append(Section(name, table.title, data_uri(draw(data)) if with_charts else '', CHART_ALT[name], table))
    updates = [
        {
            **update,
            'sentences': update_sentences(update),
            'date': datetime.date.fromisoformat(update['date']) if update['date'] else None,
        }
        for update in data['updates']
    ]
    return {
        'data': data,
        'blocks': narrative.blocks(rendered),
        'updates': updates,
        'sections': sections,
        'designations': downloads.designations(data),
        'response_rate': percent_text(responses['responded'], responses['invited']),
    }
