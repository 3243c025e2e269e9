import django_tables2 as tables

from oversight.core.dates import govuk_date

from .models import Report


class ReportTable(tables.Table):
    title = tables.Column(linkify=True)
    campaign = tables.Column(verbose_name='Campaign', accessor='campaign__title')
    year = tables.Column(verbose_name='Year', accessor='campaign__year')
    published = tables.Column(verbose_name='Published', empty_values=(), orderable=False)

    class Meta:
        model = Report
        fields = ('title', 'campaign', 'year', 'published')
        order_by = ('-year',)

    def render_published(self, record):
        versions = sorted(record.versions.all(), key=lambda v: v.number)
        if not versions:
            return 'Draft only'
        latest = versions[-1]
        return f'Version {latest.number}, {govuk_date(latest.published_at)}'

    def value_published(self, record):
        return self.render_published(record)
