import django_tables2 as tables

from .models import Manufacturer


class ManufacturerTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Manufacturer
        fields = ('name', 'country')
