"""The policy charts as SVG, drawn on the server (the page carries no chart script).

Text stays text in the SVG (not paths), and the output carries no date or random ids, so the same
figures always draw the same bytes.
"""

import base64
import io

from django.utils.translation import gettext

from .rules import SEVERITIES, SEVERITY_LABELS

# GOV.UK Frontend colours: red, orange, blue (most to least pressing).
COLOURS = {'must': '#d4351c', 'should': '#f47738', 'consider': '#1d70b8'}
_SVG_SETTINGS = {'svg.fonttype': 'none', 'svg.hashsalt': 'oversight-policy', 'font.family': 'sans-serif'}


def _svg(labels: list[str], ylabel: str, draw, legend: str) -> str:
    """A chart over `labels` on the x axis: `draw(axes, positions)` plots the series."""
    # Imported when a chart is drawn: a process that loads the URLs without drawing one does not pay for it.
    import matplotlib
    from matplotlib.figure import Figure

    positions = range(len(labels))
    with matplotlib.rc_context(_SVG_SETTINGS):
        figure = Figure(figsize=(6.4, 3.6), dpi=100)
        axes = figure.add_subplot()
        draw(axes, positions)
        crowded = len(labels) > 6
        axes.set_xticks(list(positions), labels, rotation=45 if crowded else 0, ha='right' if crowded else 'center')
        axes.set_ylabel(ylabel)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.spines[['top', 'right']].set_visible(False)
        axes.legend(frameon=False, loc=legend)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format='svg', metadata={'Date': None, 'Creator': 'Oversight'})
    return buffer.getvalue()


def timeline_svg(periods) -> str:
    """Stacked bars of devices to replace per period, by severity."""

    def draw(axes, positions):
        bottom = [0] * len(periods)
        for severity in SEVERITIES:
            heights = [p.devices[severity] for p in periods]
            if any(heights):
                label = str(SEVERITY_LABELS[severity])
                axes.bar(positions, heights, bottom=bottom, color=COLOURS[severity], label=label)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]

    return _svg([str(p.label) for p in periods], gettext('Devices to replace'), draw, 'upper right')


def progress_svg(quarters) -> str:
    """Bars of devices replaced per quarter, and a line of the running total (policy.exposure.quarters)."""

    def draw(axes, positions):
        axes.bar(positions, [q.devices for q in quarters], color='#1d70b8', label=gettext('Replaced in the quarter'))
        running = gettext('Replaced so far')
        axes.plot(positions, [q.cumulative for q in quarters], color='#00703c', marker='o', label=running)

    return _svg([str(q.label) for q in quarters], gettext('Devices replaced'), draw, 'upper left')


def data_uri(svg: str) -> str:
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode()


def chart_src(timeline) -> str:
    """The timeline chart as the page's image source, in the active language."""
    return data_uri(timeline_svg(timeline))
