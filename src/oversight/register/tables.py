import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

# Imported before these tables are built: it registers GOV.UK's date columns too.
from oversight.core.tables import CountColumn

from .models import EquipmentLine, Site, System


class MadeByColumn(tables.Column):
    """Who really made the line, marked when that maker (or the declared one) is of concern."""

    empty_values = ()

    def render(self, record):
        return render_to_string('register/made_by.html', {'line': record})


class EquipmentLineTable(tables.Table):
    manufacturer_declared = tables.Column(linkify=True, verbose_name=_('Manufacturer (as declared)'))
    site = tables.Column(linkify=True, order_by='site__name')
    # The name alone: the category is a filter, and "ANPR (ANPR)" says it twice.
    system = tables.Column(
        accessor='system__name', verbose_name=_('System'), linkify=lambda record: record.system.get_absolute_url()
    )
    maker = tables.TemplateColumn(
        template_name='register/maker.html',
        accessor='manufacturer',
        verbose_name=_('Maker'),
        order_by='manufacturer__name',
    )
    made_by = MadeByColumn(verbose_name=_('Made by'), order_by=('made_by__name', 'concern'))
    quantity = CountColumn(verbose_name=_('Devices'))

    class Meta:
        model = EquipmentLine
        fields = ('organisation', 'manufacturer_declared', 'brand', 'model', 'quantity', 'site', 'system')
        sequence = ('organisation', 'manufacturer_declared', 'brand', 'model', 'maker', 'made_by', '...')
        empty_text = _('No equipment lines match.')


class CountsTable(tables.Table):
    """The equipment counted in each row (querysets' `with_counts()`)."""

    line_count = CountColumn(verbose_name=_('Lines'))
    device_count = CountColumn(verbose_name=_('Devices'))
    concern_device_count = CountColumn(verbose_name=_('Devices of concern'))


class SiteTable(CountsTable):
    name = tables.Column(linkify=True)

    class Meta:
        model = Site
        fields = ('organisation', 'name', 'kind', 'sensitive', 'postcode')
        empty_text = _('No sites match.')


class SystemTable(CountsTable):
    name = tables.Column(linkify=True)

    class Meta:
        model = System
        fields = ('organisation', 'name', 'category')
        empty_text = _('No systems match.')
