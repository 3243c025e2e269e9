"""The report's charts, drawn on the server as SVG from a report's data (the page carries no chart script).

Text stays text in the SVG, and the output carries no date or random ids, so the same data always
draws the same bytes (a frozen version's charts do not change). Every chart has a table beside it
with the same figures (downloads.py). Labels are in the active language, like the page around the chart.
"""

import io

from django.utils.translation import gettext as _

from .downloads import label

# GOV.UK Frontend colours.
BLUE, RED, ORANGE, GREEN, PURPLE, TURQUOISE, PINK, BROWN = (
    '#1d70b8',
    '#d4351c',
    '#f47738',
    '#00703c',
    '#4c2c92',
    '#28a197',
    '#d53880',
    '#b58840',
)
PALETTE = (BLUE, RED, ORANGE, GREEN, PURPLE, TURQUOISE, PINK, BROWN)
_SVG_SETTINGS = {
    'svg.fonttype': 'none',
    'svg.hashsalt': 'oversight-findings',
    'font.family': 'sans-serif',
    'font.size': 9,
}


def _svg(draw, size: tuple[float, float]) -> str:
    # Imported here, not at module level: matplotlib costs every process that loads the URLs (and with them
    # this module) a fraction of a second, and most never draw a chart.
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_SVG_SETTINGS):
        figure = Figure(figsize=size, dpi=100)
        axes = figure.add_subplot()
        draw(axes)
        axes.spines[['top', 'right']].set_visible(False)
        # Text stays text, drawn in the reader's sans-serif rather than matplotlib's own: wider faces (the
        # PDF's) need more margin than matplotlib measures, or the first letters of long labels are cut.
        figure.tight_layout(pad=2.0)
        buffer = io.StringIO()
        figure.savefig(buffer, format='svg', metadata={'Date': None, 'Creator': 'Oversight'})
    return buffer.getvalue()


def _label_bars(axes, bars) -> None:
    """The value at the end of each bar; none on an empty bar (the table beside gives the zeros)."""
    axes.bar_label(bars, [f'{b.get_width():.0f}' if b.get_width() else '' for b in bars], padding=2, fontsize=8)


def categories_svg(data: dict) -> str:
    """Per category: respondents operating, with equipment of concern, and of those aware."""
    rows = list(reversed(data['categories']))
    series = (
        ('operating', _('Operating'), BLUE),
        ('with_concern', _('With equipment of concern'), RED),
        ('aware', _('Of those, aware of the concerns'), ORANGE),
    )
    height = 0.26

    def draw(axes):
        for number, (key, name, colour) in enumerate(series):
            positions = [i + (1 - number) * height for i in range(len(rows))]
            bars = axes.barh(positions, [r[key] for r in rows], height=height, color=colour, label=name)
            _label_bars(axes, bars)
        axes.set_yticks(range(len(rows)), [label(r['label']) for r in rows])
        axes.set_xlabel(_('Respondents (of %(respondents)s)') % {'respondents': data['respondents']})
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.legend(frameon=False, loc='lower right')

    return _svg(draw, (7.0, 5.2))


def makers_svg(data: dict) -> str:
    """Respondents with each maker of concern's equipment, category by category, as a grid of counts."""
    categories = [row for row in data['categories'] if row['respondents_by_maker']]
    makers = sorted({maker for row in categories for maker in row['respondents_by_maker']})

    def draw(axes):
        if not makers:
            axes.text(0.5, 0.5, _('No respondent has equipment of concern.'), ha='center', va='center')
            axes.set_axis_off()
            return
        counts = [[row['respondents_by_maker'].get(maker, 0) for row in categories] for maker in makers]
        most = max(max(line) for line in counts)
        axes.imshow(counts, cmap='Reds', vmin=0, vmax=most * 1.4, aspect='auto')
        for y, line in enumerate(counts):
            for x, value in enumerate(line):
                colour = 'white' if value > most * 0.7 else '#0b0c0c'
                axes.text(x, y, str(value) if value else '–', ha='center', va='center', color=colour, fontsize=10)
        axes.set_xticks(range(len(categories)), [label(row['label']) for row in categories])
        axes.set_yticks(range(len(makers)), makers)
        axes.tick_params(length=0)
        axes.xaxis.tick_top()
        for spine in axes.spines.values():
            spine.set_visible(False)

    return _svg(draw, (7.0, 0.8 + 0.42 * max(1, len(makers))))


def responses_svg(data: dict) -> str:
    """Response rate of each campaign in the series, labelled "39 of 47"."""
    series = data['series']

    def draw(axes):
        rates = [100 * e['responded'] / e['invited'] if e['invited'] else 0 for e in series]
        bars = axes.bar(range(len(series)), rates, color=BLUE, width=0.6)
        of = _('%(responded)s of %(invited)s')
        axes.bar_label(bars, [of % e for e in series], padding=2, fontsize=8)
        axes.set_xticks(range(len(series)), [str(e['year']) for e in series])
        axes.set_ylim(0, 110)
        axes.set_ylabel(_('Response rate (%)'))

    return _svg(draw, (5.0, 3.0))


def trends_svg(data: dict) -> str:
    """Respondents with equipment of concern per category, campaign by campaign."""
    series = data['series']
    years = [e['year'] for e in series]
    labels = {row['code']: label(row['label']) for row in data['categories']}
    codes = [code for code in labels if any(e['categories'][code]['with_concern'] for e in series)]

    def draw(axes):
        if not codes:
            axes.text(0.5, 0.5, _('No respondent had equipment of concern.'), ha='center', va='center')
            axes.set_axis_off()
            return
        for number, code in enumerate(codes):
            values = [e['categories'][code]['with_concern'] for e in series]
            axes.plot(years, values, marker='o', color=PALETTE[number % len(PALETTE)], label=labels[code])
        axes.set_xticks(years, [str(y) for y in years])
        axes.set_ylabel(_('Respondents with equipment of concern'))
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylim(bottom=0)
        axes.legend(frameon=False, loc='upper left', fontsize=8)

    return _svg(draw, (7.0, 3.6))


def governance_svg(data: dict) -> str:
    """Systems and respondents meeting each governance figure, as percentages (labelled with the counts)."""
    from .downloads import governance

    rows = list(reversed(governance(data).rows))
    height = 0.38

    def draw(axes):
        for number, (column, name, colour) in enumerate(((2, _('Systems'), BLUE), (4, _('Bodies'), GREEN))):
            positions = [i + (0.5 - number) * height for i in range(len(rows))]
            bars = axes.barh(positions, [r[column] for r in rows], height=height, color=colour, label=name)
            counts = [str(r[column - 1]) if r[column - 1] else '' for r in rows]
            axes.bar_label(bars, counts, padding=2, fontsize=8)
        axes.set_yticks(range(len(rows)), [r[0] for r in rows])
        axes.set_xlim(0, 110)
        axes.set_xlabel(_('Per cent of systems, and of respondents (counts at the bars)'))
        axes.legend(frameon=False, loc='lower right')

    return _svg(draw, (7.0, 4.0))


def principles_svg(data: dict) -> str:
    """Actions not done in the latest frozen self-assessments, by principle."""
    actions = data['governance']['open_actions_by_principle']

    def draw(axes):
        bars = axes.bar(range(len(actions)), list(actions.values()), color=ORANGE, width=0.6)
        axes.bar_label(bars, [str(v) if v else '' for v in actions.values()], padding=2, fontsize=8)
        axes.set_xticks(range(len(actions)), list(actions))
        axes.set_xlabel(_('Guiding principle'))
        axes.set_ylabel(_('Open actions'))
        # From zero, and at least to one: with no open action matplotlib centres the axis on zero (-0.04 to 0.04).
        axes.set_ylim(0, max([1, *actions.values()]) * 1.15)
        axes.yaxis.get_major_locator().set_params(integer=True)

    return _svg(draw, (7.0, 3.0))


CHARTS = {
    'categories': categories_svg,
    'manufacturers': makers_svg,
    'responses': responses_svg,
    'trends': trends_svg,
    'governance': governance_svg,
    'principles': principles_svg,
}
