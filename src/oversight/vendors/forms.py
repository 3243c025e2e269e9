from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import VersionedForm, govuk_widgets

from .models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName


class ManufacturerForm(VersionedForm):
    class Meta:
        model = Manufacturer
        fields = ['name', 'country', 'website', 'source_url', 'notes']
        labels = {'source_url': _('Source (web address)')}


class ManufacturerNameForm(VersionedForm):
    kind = forms.ChoiceField(
        choices=[c for c in ManufacturerName.Kind.choices if c[0] != ManufacturerName.Kind.CANONICAL],
        help_text=_("The canonical name is the maker's own name: change it by editing the maker."),
    )

    class Meta:
        model = ManufacturerName
        fields = ['name', 'kind', 'source_url']
        labels = {'source_url': _('Source (web address)')}


class BrandForm(VersionedForm):
    class Meta:
        model = Brand
        fields = ['name', 'kind', 'owner', 'made_by', 'confidence', 'evidence', 'source_url', 'notes']
        labels = {'made_by': _('Made by'), 'source_url': _('Source (web address)')}
        help_texts = {
            'owner': _('The company that owns the brand, when it is a maker in the reference data.'),
            'made_by': _(
                "Who makes the products: the owner for its own brand, the group's parent maker for a sub-brand, the "
                'original maker (ODM) for a relabel.'
            ),
            'evidence': _('What shows who makes the products, e.g. firmware formats, MAC address blocks, filings.'),
        }


class CorporateRelationForm(VersionedForm):
    class Meta:
        model = CorporateRelation
        fields = ['parent', 'child', 'kind', 'since', 'until', 'source_url', 'notes']
        labels = {'child': _('Subsidiary, affiliate or joint venture'), 'source_url': _('Source (web address)')}
        help_texts = {'until': _('The last day the relation held; leave empty while it holds.')}


class ConcernListForm(VersionedForm):
    class Meta:
        model = ConcernList
        fields = [
            'slug',
            'name',
            'authority',
            'instrument',
            'jurisdiction',
            'date',
            'covers_affiliates',
            'description',
            'source_url',
        ]
        labels = {
            'slug': _('Short name'),
            'covers_affiliates': _('Covers subsidiaries and affiliates of the makers it names'),
            'source_url': _('Source (web address)'),
        }
        help_texts = {'slug': _('Lower-case letters, digits and hyphens, e.g. "ndaa-889". It cannot change later.')}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Campaigns, exports and commands refer to a list by its short name.
            del self.fields['slug']


class DesignationForm(VersionedForm):
    class Meta:
        model = Designation
        fields = ['manufacturer', 'date', 'scope', 'reason', 'source_url', 'notes']
        labels = {'manufacturer': _('Maker'), 'source_url': _('Source (web address)')}


class ResolveForm(forms.Form):
    name = forms.CharField(label=_('Maker or brand, as written'), max_length=200, required=False)
    brand = forms.CharField(label=_('Brand (optional)'), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id='resolve-%s', **kwargs)
        govuk_widgets(self)

    @property
    def asked(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data['name'].strip() or self.cleaned_data['brand'].strip())
