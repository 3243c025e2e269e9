import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from oversight.core.tables import ChoiceColumn, CountColumn, DateTimeColumn

from .models import DiscoveredDevice, Scan, UnseenLine


class CountsColumn(CountColumn):
    """One of a scan's stored counts."""

    empty_values = ()

    def __init__(self, key, verbose_name):
        super().__init__(verbose_name=verbose_name, orderable=False)
        self.key = key

    def render(self, record):
        return super().render(record.counts.get(self.key, 0))

    def value(self, record):
        return record.counts.get(self.key, 0)


class ScanTable(tables.Table):
    uploaded = DateTimeColumn(linkify=True, verbose_name=_('Uploaded'))
    source = ChoiceColumn(verbose_name=_('From'))
    up = CountsColumn('up', _('Devices'))
    undeclared = CountsColumn('undeclared', _('Not in the register'))
    unseen = CountsColumn('unseen', _('Register lines unseen'))
    mismatched = CountsColumn('mismatched', _('Mismatches'))
    errors = CountsColumn('errors', _('Hosts with errors'))

    class Meta:
        model = Scan
        fields = ('organisation', 'uploaded', 'source', 'tool')
        empty_text = _('No scans yet: upload one, or send one from the discovery agent.')


class MakerColumn(tables.Column):
    """Who made the device, as identified, marked when a concern list names the maker."""

    empty_values = ()

    def render(self, record):
        return render_to_string('discovery/maker.html', {'device': record})


class DeviceTable(tables.Table):
    address = tables.Column(linkify=True, order_by=('address',))
    reported = tables.Column(
        accessor='manufacturer', verbose_name=_('Reports itself as'), empty_values=(), orderable=False
    )
    maker = MakerColumn(verbose_name=_('Made by'), order_by=('maker',))
    line = tables.Column(linkify=True, verbose_name=_('Register line'))
    match = tables.Column(verbose_name=_('Matched by'))
    problems = tables.Column(accessor='errors', verbose_name=_('Errors'), orderable=False)

    class Meta:
        model = DiscoveredDevice
        fields = ('address', 'mac_address')
        sequence = ('address', 'reported', 'maker', 'mac_address', 'line', 'match', 'problems')
        empty_text = 'None.'

    def render_reported(self, record):
        return ' '.join(x for x in (record.manufacturer, record.model) if x) or '—'

    def render_problems(self, value):
        return '; '.join(f'{e["probe"]}: {e["message"]}' for e in value[:3]) + (' …' if len(value) > 3 else '')


class MismatchTable(tables.Table):
    address = tables.Column(linkify=True)
    line = tables.Column(linkify=True, verbose_name=_('Register line'))
    mismatches = tables.TemplateColumn(
        template_name='discovery/mismatches_cell.html', verbose_name=_('What differs'), orderable=False
    )
    evidence = tables.TemplateColumn(
        template_name='discovery/evidence_cell.html', verbose_name=_('The evidence'), orderable=False
    )

    class Meta:
        model = DiscoveredDevice
        fields = ('address', 'line')
        empty_text = _('No device contradicts its register line.')


class UnseenTable(tables.Table):
    line = tables.Column(linkify=True, verbose_name=_('Register line'))
    site = tables.Column(accessor='line__site', linkify=True)
    address = tables.Column(accessor='line__ip_address', verbose_name=_('Address'), default='—')
    seen = tables.TemplateColumn('{{ record.seen }} of {{ record.expected }}', verbose_name=_('Seen'), orderable=False)
    reason = tables.Column(verbose_name=_('Expected because'), orderable=False)

    class Meta:
        model = UnseenLine
        fields = ('line',)
        empty_text = _('Every line the scan should have seen was seen.')
