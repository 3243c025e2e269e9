import django_tables2 as tables

from .models import EquipmentLine, Site


class SiteTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Site
        fields = ('name', 'organisation', 'kind', 'sensitive', 'postcode')


class EquipmentLineTable(tables.Table):
    manufacturer_declared = tables.Column(linkify=True, verbose_name='Manufacturer (as declared)')

    class Meta:
        model = EquipmentLine
        fields = ('manufacturer_declared', 'brand', 'model', 'quantity', 'site', 'system', 'made_by', 'concern')
