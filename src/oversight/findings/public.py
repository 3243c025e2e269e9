"""Published findings for everyone, signed in or not: the GOV.UK publication pattern, open data and an Atom feed.

These are the only pages of the findings app without sign-in, and they reach nothing but
`ReportVersion.objects.public()`: drafts, returns and registers stay behind sign-in. An address of a version
that was never published is a 404. Every file is served from what the version froze at publication (its
PDF bytes, its data and its text), never recomputed from the returns as they stand.

Every page follows its reader's language (the language switcher leads to the Welsh rendering of the same
address); the PDF is two files frozen at publication, `report.pdf` in English and `report.cy.pdf` in Welsh,
both listed among the publication's documents as GOV.UK lists a Welsh version.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from oversight.core import exports
from oversight.core.dates import govuk_date
from oversight.core.languages import english, in_welsh

from . import actions, downloads, narrative
from .models import ReportVersion


def public_version(slug: str, number) -> ReportVersion:
    return get_object_or_404(
        ReportVersion.objects.public().select_related('report__campaign'), report__campaign__slug=slug, number=number
    )


def latest_versions():
    """The latest public version of each report, newest first: the list of publications."""
    versions = ReportVersion.objects.public().select_related('report__campaign').order_by('-published_at')
    seen, latest = set(), []
    for version in versions:
        if version.report_id not in seen:
            seen.add(version.report_id)
            latest.append(version)
    return latest


def summary(version: ReportVersion) -> str:
    """The publication's summary: the first paragraph of its text as published (the Welsh text's on a Welsh page,
    when written), else its response figures."""
    paragraph = next((b.text for b in narrative.blocks(version.shown_narrative()) if b.kind == 'paragraph'), '')
    if paragraph:
        return paragraph
    responses = version.data['responses']
    return gettext('Findings of %(campaign)s: %(responded)s of %(invited)s bodies invited responded.') % {
        'campaign': version.data['campaign']['title'],
        'responded': responses['responded'],
        'invited': responses['invited'],
    }


def summary_lang(version: ReportVersion) -> str:
    """'en-GB' when a Welsh page shows the English text's paragraph as the summary (WCAG 3.1.2), else ''."""
    blocks = narrative.blocks(version.narrative)
    english = not version.narrative_cy.strip() and any(block.kind == 'paragraph' for block in blocks)
    return 'en-GB' if english and in_welsh() else ''


def addresses(version: ReportVersion) -> dict:
    slug, number = version.report.campaign.slug, version.number
    return {
        'page': reverse('publications:publication', args=[slug, number]),
        'report': reverse('publications:report', args=[slug, number]),
        'pdf': reverse('publications:pdf', args=[slug, number]),
        'pdf_cy': reverse('publications:pdf_cy', args=[slug, number]) if version.has_welsh_pdf else '',
        'tables': reverse('publications:publication', args=[slug, number]) + 'tables/',
    }


def _size(length: int) -> str:
    return f'{length / 1024:,.0f} KB' if length >= 1024 else f'{length} bytes'


class PublicVersionMixin:
    @cached_property
    def version(self) -> ReportVersion:
        return public_version(self.kwargs['slug'], self.kwargs['number'])

    def version_context(self) -> dict:
        version = self.version
        others = (
            ReportVersion.objects.public()
            .filter(report=version.report)
            .select_related('report__campaign')
            .order_by('-number')
        )
        licence_name, licence_url = downloads.licence_shown()
        return {
            'version': version,
            'title': version.shown_title(),
            'title_lang': version.title_lang(),
            'summary_lang': summary_lang(version),
            'summary': summary(version),
            'links': addresses(version),
            'others': [(other, addresses(other)['page']) for other in others],
            'latest': others.first(),
            'licence_name': licence_name,
            'licence_url': licence_url,
            'publisher': settings.OVERSIGHT_OPERATOR['name'],
        }


class PublicationListView(TemplateView):
    template_name = 'findings/public/publication_list.html'

    def get_context_data(self, **kwargs):
        publications = [(version, addresses(version)['page'], summary(version)) for version in latest_versions()]
        return super().get_context_data(title=gettext('Publications'), publications=publications, **kwargs)


class LatestPublicationView(View):
    """/publications/<campaign>/: the stable address of a report's latest public version."""

    def get(self, request, slug):
        latest = ReportVersion.objects.public().filter(report__campaign__slug=slug).order_by('-number').first()
        if latest is None:
            raise Http404
        return redirect('publications:publication', slug, latest.number)


class PublicationView(PublicVersionMixin, TemplateView):
    """A version's publication page: its summary, its documents (report, PDF, tables as CSV with CSVW) and licence."""

    template_name = 'findings/public/publication.html'

    def get_context_data(self, **kwargs):
        version = self.version
        context = self.version_context()
        base = context['links']['tables']
        tables = []
        for name in downloads.TABLES:
            table = downloads.table(name, version.data)
            if table is None:
                continue
            with downloads.english():
                english = downloads.table(name, version.data)
            csv_length = len(exports.csv_bytes(english.headers, english.rows))
            tables.append(
                {
                    'title': table.title,
                    'csv': f'{base}{name}.csv',
                    'metadata': f'{base}{name}.csv-metadata.json',
                    'csv_size': _size(csv_length),
                    'rows': len(table.rows),
                }
            )
        return super().get_context_data(
            tables=tables,
            pdf_size=_size(len(version.pdf)),
            pdf_cy_size=_size(len(version.pdf_cy)),
            title_en=version.title,
            title_cy=version.title_cy or version.title,
            **context,
            **kwargs,
        )


class PublicReportView(PublicVersionMixin, TemplateView):
    """The report as HTML, rendered from the version's frozen data and text."""

    template_name = 'findings/public/report.html'

    def get_context_data(self, **kwargs):
        version = self.version
        context = self.version_context()
        context.update(
            actions.version_context(
                version.report, version.data, version.narrative_source, version.narrative_source_cy, draft=False
            ),
            title=version.shown_title(),
            title_lang=version.title_lang(),
            tables_base=context['links']['tables'],
        )
        return super().get_context_data(**context, **kwargs)


class PublicPdfView(PublicVersionMixin, View):
    """The PDF as frozen at publication, in English, or in Welsh (`welsh`): a 404 where none was frozen."""

    welsh = False

    def get(self, request, slug, number):
        pdf = bytes(self.version.pdf_cy if self.welsh else self.version.pdf)
        if not pdf:
            raise Http404
        response = HttpResponse(pdf, content_type='application/pdf')
        name = f'{slug}-findings-v{number}{"-cy" if self.welsh else ""}.pdf'
        response['Content-Disposition'] = f'inline; filename="{name}"'
        response['Content-Language'] = 'cy' if self.welsh else 'en-GB'
        return response


class PublicTableView(PublicVersionMixin, View):
    def get(self, request, slug, number, name, fmt):
        with downloads.english():
            table = downloads.table(name, self.version.data)
        if table is None:
            raise Http404
        return exports.download(fmt, f'{slug}-v{number}-{table.name}', table.headers, table.rows)


class TableMetadataView(PublicVersionMixin, View):
    """The CSVW metadata of a table's CSV, served beside it (`<name>.csv-metadata.json`, as CSVW looks for it)."""

    def get(self, request, slug, number, name):
        version = self.version
        with downloads.english():
            table = downloads.table(name, version.data)
        if table is None:
            raise Http404
        metadata = downloads.csvw_metadata(
            table,
            csv_url=f'{name}.csv',
            description=f'{table.title}, from {version.title} (version {version.number}).',
            publisher=settings.OVERSIGHT_OPERATOR['name'],
            issued=version.published_at.date().isoformat(),
        )
        return JsonResponse(metadata, content_type='application/csvm+json', json_dumps_params={'indent': 2})


class PublicationFeed(Feed):
    """Every public version, newest first, as an Atom feed (Django's syndication framework)."""

    feed_type = Atom1Feed
    title = 'Published findings'
    subtitle = 'Findings reports published through Oversight, each version as it was published.'
    feed_copyright = f'{downloads.OGL_NAME}: {downloads.OGL_URL}'

    def __call__(self, request, *args, **kwargs):
        # The feed is in English, as its title and summaries are, whatever the reader's page language.
        with english():
            return super().__call__(request, *args, **kwargs)

    def link(self):
        return reverse('publications:publication_list')

    def author_name(self):
        return settings.OVERSIGHT_OPERATOR['name']

    def items(self):
        return ReportVersion.objects.public().select_related('report__campaign').order_by('-published_at')[:50]

    def item_title(self, item):
        return f'{item.title} (version {item.number})'

    def item_description(self, item):
        note = f' {item.note}' if item.note else ''
        return f'{summary(item)}{note} Published {govuk_date(item.published_at)}.'

    def item_link(self, item):
        return addresses(item)['page']

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return settings.OVERSIGHT_OPERATOR['name']
