"""The coverage table of docs/identification.md, worked out from the signature files.

    python -m oversight.identification.coverage

prints it as Markdown; the test suite fails while the table in the docs differs, so the docs say what the
data holds. One row per maker (with the brands its entries name), the product lines its model entries
cover (their `lines`, in the order of PRODUCT_LINES), and how many entries of each kind of signal it has.
"""

from collections import defaultdict

from .signatures import KINDS, PRODUCT_LINES, load_entries

COLUMNS = (
    ('model', 'model families'),
    ('firmware', 'firmware formats'),
    ('oui', 'MAC organisations'),
    ('banners', 'banners'),
    ('onvif', 'ONVIF scopes'),
)
BANNERS = ('http_server', 'www_authenticate', 'html_title', 'rtsp_server')


def coverage_rows() -> list[tuple[str, str, str, dict[str, int]]]:
    """(maker, brands, product lines, entries per column) for every maker named by a signature."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    brands: dict[str, set[str]] = defaultdict(set)
    lines: dict[str, set[str]] = defaultdict(set)
    for kind in KINDS:
        column = 'banners' if kind in BANNERS else kind
        for entry in load_entries(kind):
            maker = entry.get('maker') or 'notes (count for no maker)'
            counts[maker][column] += 1
            if entry.get('brand'):
                brands[maker].add(entry['brand'])
            if kind == 'model' and entry.get('maker'):
                lines[maker].update(entry.get('lines', ()))
    return [
        (
            maker,
            ', '.join(sorted(brands[maker])),
            ', '.join(line for line in PRODUCT_LINES if line in lines[maker]),
            dict(counts[maker]),
        )
        for maker in sorted(counts, key=lambda m: (m.startswith('notes'), m.casefold()))
    ]


def coverage_table() -> str:
    header = ['maker', 'sold as', 'product lines', *(label for _, label in COLUMNS)]
    rows = [
        '| ' + ' | '.join(header) + ' |',
        '|' + '|'.join('---' for _ in header) + '|',
    ]
    for maker, brands, lines, counts in coverage_rows():
        cells = [maker, brands or '—', lines or '—', *(str(counts.get(column, '')) or '—' for column, _ in COLUMNS)]
        rows.append('| ' + ' | '.join(cell or '—' for cell in cells) + ' |')
    return '\n'.join(rows) + '\n'


if __name__ == '__main__':
    print(coverage_table(), end='')
