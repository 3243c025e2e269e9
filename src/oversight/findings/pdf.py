"""The report as a PDF (WeasyPrint), from the same context as the page.

Only data: URIs are fetched (the charts are embedded SVG), so rendering never reaches the network
or the file system whatever the text says.

The PDF is tagged for accessibility (PDF/UA-1): headings, lists, tables with their header cells and
charts with their alternative text are in its structure tree, with the document's title and language.
What WeasyPrint wrote is checked before the bytes are returned, and a PDF that is not fully tagged is
refused (`UntaggedPdf`), so publication stops rather than publish a PDF a screen reader cannot read.

A PDF is rendered in the active language (its `Lang` is `en-GB` or `cy`): publication renders one of each.
"""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from oversight.core.languages import in_welsh

PDF_VARIANT = 'pdf/ua-1'


class UntaggedPdf(ValidationError):
    """The PDF could not be tagged for accessibility: what is missing, in words."""


def tagging_problems(pdf) -> list[str]:
    """What a tagged, accessible PDF lacks, read from the pydyf.PDF WeasyPrint is about to write."""
    catalog, problems = pdf.catalog, []
    mark_info = catalog.get('MarkInfo') or {}
    if mark_info.get('Marked') != 'true' or 'StructTreeRoot' not in catalog:
        problems.append('it has no structure tree (it is not tagged)')
    if not str(getattr(catalog.get('Lang'), 'string', '')).strip():
        problems.append('it does not say which language it is in')
    if not str(getattr(pdf.info.get('Title'), 'string', '')).strip():
        problems.append('it has no title')
    elements = [o for o in pdf.objects if isinstance(o, dict) and o.get('Type') == '/StructElem']
    kinds = {element['S'] for element in elements}
    for needed, what in (('/H1', 'a main heading'), ('/TH', 'table header cells')):
        if kinds and needed not in kinds:
            problems.append(f'it has no {what}')
    unnamed = sum(1 for e in elements if e['S'] == '/Figure' and not getattr(e.get('Alt'), 'string', '').strip())
    if unnamed:
        problems.append(f'{unnamed} chart(s) have no alternative text')
    return problems


def _object(pdf, reference: bytes):
    """The pydyf object a reference (b'12 0 R') names: objects are numbered by their place in the list."""
    return pdf.objects[int(reference.split()[0])]


def mark_running_text_as_artifacts(pdf) -> None:
    """Mark the pages' running text (title, status, "Page 1 of 5") as pagination artifacts.

    WeasyPrint 70 marks that text, drawn in the page margins, as content but leaves it out of the structure
    tree; PDF/UA wants content outside the tree to be an artifact, which screen readers skip."""
    if 'StructTreeRoot' not in pdf.catalog:
        return
    root = _object(pdf, pdf.catalog['StructTreeRoot'])
    in_tree, todo = set(), [root]
    while todo:
        for kid in todo.pop().get('K', ()):
            if isinstance(kid, bytes) and kid not in in_tree:  # a reference; K also holds content ids (ints)
                in_tree.add(kid)
                todo.append(_object(pdf, kid))
    nums = _object(pdf, root['ParentTree'])['Nums']
    for page, elements in zip(nums[0::2], nums[1::2], strict=True):
        if not isinstance(elements, list):  # a link annotation's entry, not a page's
            continue
        outside = {mcid for mcid, element in enumerate(elements) if element not in in_tree}
        if not outside:
            continue
        operators = _object(pdf, _object(pdf, pdf.page_references[page])['Contents']).stream
        for index, operator in enumerate(operators):
            if isinstance(operator, dict) and operator.get('MCID') in outside and operators[index + 1] == b'BDC':
                elements[operator['MCID']] = 'null'
                operators[index - 1], operators[index] = '/Artifact', type(operator)({'Type': '/Pagination'})


def render_pdf(context: dict) -> bytes:
    """Tagged PDF bytes of a report; `context` is presentation.context() plus title and status fields.

    Raises UntaggedPdf when the PDF could not be tagged fully."""
    # WeasyPrint loads Pango through cffi (about half a second): only a process that renders a PDF pays it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    problems: list[str] = []

    def finish(_document, pdf):  # WeasyPrint's finisher: the PDF's objects, before they are written
        mark_running_text_as_artifacts(pdf)
        problems.extend(tagging_problems(pdf))

    welsh = in_welsh()
    html = render_to_string('findings/report_print.html', {**context, 'pdf_language': 'cy' if welsh else 'en-GB'})
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={'data'})).write_pdf(
        pdf_variant=PDF_VARIANT, finisher=finish
    )
    if problems:
        raise UntaggedPdf(
            'The PDF could not be tagged for accessibility (PDF/UA), so it was not made and nothing was published: '
            + '; '.join(problems)
            + '.',
            code='untagged_pdf',
        )
    return pdf
