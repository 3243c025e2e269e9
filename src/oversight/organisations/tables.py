import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

import oversight.core.tables  # noqa: F401  (GOV.UK date columns, registered before these tables are built)

from .imports import GROUP_SEPARATOR
from .models import Organisation, OrganisationGroup


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True)
    # Group names contain commas, so they are joined the way the import splits them.
    groups = tables.ManyToManyColumn(verbose_name=_('Groups'), orderable=False, separator=f'{GROUP_SEPARATOR} ')

    class Meta:
        model = Organisation
        fields = ('name', 'kind', 'country', 'groups')


class OrganisationGroupTable(tables.Table):
    name = tables.Column(linkify=True)
    member_count = tables.Column(verbose_name=_('Members'))

    class Meta:
        model = OrganisationGroup
        fields = ('name', 'description', 'member_count')


class MemberTable(tables.Table):
    """A group's members; regulator staff get a button to take each one out."""

    name = tables.Column(linkify=True)
    remove = tables.TemplateColumn(
        template_name='organisations/remove_member_button.html',
        extra_context=lambda table: {'group': table.group},
        verbose_name='',
        orderable=False,
    )

    class Meta:
        model = Organisation
        fields = ('name', 'kind', 'country')

    def __init__(self, *args, group, can_manage, **kwargs):
        self.group = group
        super().__init__(*args, exclude=() if can_manage else ('remove',), **kwargs)
