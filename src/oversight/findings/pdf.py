"""The report as a PDF (WeasyPrint), from the same context as the page.

Only data: URIs are fetched (the charts are embedded SVG), so rendering never reaches the network
or the file system whatever the text says.
"""

from django.template.loader import render_to_string


def render_pdf(context: dict) -> bytes:
    """PDF bytes of a report; `context` is presentation.context() plus title and status fields."""
    # WeasyPrint loads Pango through cffi (about half a second): only a process that renders a PDF pays it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string('findings/report_print.html', context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={'data'})).write_pdf()
