import django_tables2 as tables

from .models import Organisation


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True)
    groups = tables.ManyToManyColumn(verbose_name='Groups', orderable=False)

    class Meta:
        model = Organisation
        fields = ('name', 'kind', 'country', 'groups')
