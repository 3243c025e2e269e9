import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

import oversight.core.tables  # noqa: F401  (GOV.UK date columns, registered before these tables are built)

from .models import Brand, ConcernList, Manufacturer


class ManufacturerTable(tables.Table):
    name = tables.Column(linkify=True)
    legal_names = tables.Column(verbose_name=_('Legal names'), empty_values=(), orderable=False)
    designated_by = tables.Column(verbose_name=_('Named by'), empty_values=(), orderable=False)

    class Meta:
        model = Manufacturer
        fields = ('name', 'legal_names', 'country', 'designated_by')
        empty_text = _('No maker matches.')

    def render_legal_names(self, record):
        return '; '.join(record.legal_names)

    def render_designated_by(self, record):
        # Direct designations only; lists that cover affiliates reach further (see the maker's page).
        return ', '.join(sorted(d.concern_list.name for d in record.designations.all()))


class BrandTable(tables.Table):
    name = tables.Column(linkify=True)
    owner = tables.Column(linkify=True)
    made_by = tables.Column(linkify=True, verbose_name=_('Made by'))

    class Meta:
        model = Brand
        fields = ('name', 'kind', 'owner', 'made_by', 'confidence')
        empty_text = _('No brand matches.')


class ConcernListTable(tables.Table):
    name = tables.Column(linkify=True)
    slug = tables.Column(verbose_name=_('Short name'))
    covers_affiliates = tables.BooleanColumn(verbose_name=_('Covers affiliates'), yesno=(_('Yes'), _('No')))
    designation_count = tables.Column(verbose_name=_('Makers named'))

    class Meta:
        model = ConcernList
        fields = ('name', 'slug', 'authority', 'jurisdiction', 'date', 'covers_affiliates', 'designation_count')
