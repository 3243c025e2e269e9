import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import oversight.core.tables  # noqa: F401  (GOV.UK date columns, registered before these tables are built)
from oversight.core.dates import govuk_date
from oversight.core.status import status_tag

from .models import Report


class ReportTable(tables.Table):
    title = tables.Column(linkify=True)
    campaign = tables.Column(verbose_name=_('Campaign'), accessor='campaign__title')
    year = tables.Column(verbose_name=_('Year'), accessor='campaign__year')
    published = tables.Column(verbose_name=_('Published'), empty_values=(), orderable=False)

    class Meta:
        model = Report
        fields = ('title', 'campaign', 'year', 'published')
        order_by = ('-year',)

    @staticmethod
    def _latest(record):
        return max(record.versions.all(), key=lambda v: v.number, default=None)

    def render_published(self, record):
        latest = self._latest(record)
        if latest is None:
            return status_tag('draft', gettext('Draft only'))
        shown = gettext('Version %(number)s') % {'number': latest.number}
        return format_html('{} {}', status_tag('published', shown), govuk_date(latest.published_at))

    def value_published(self, record):
        latest = self._latest(record)
        return f'Version {latest.number}, {govuk_date(latest.published_at)}' if latest else 'Draft only'
