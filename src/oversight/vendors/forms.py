from django import forms

from .models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName

_WIDGET_CLASSES = {
    'select': 'govuk-select',
    'textarea': 'govuk-textarea',
    'checkbox': 'govuk-checkboxes__input',
    'hidden': '',
}


def govuk_widgets(form: forms.BaseForm) -> None:
    """Give each widget its GOV.UK Frontend class (core/form_fields.html renders widgets as they are)."""
    for field in form.fields.values():
        widget = field.widget
        css = _WIDGET_CLASSES.get(getattr(widget, 'input_type', None) or widget.__class__.__name__.lower())
        if css is None:
            css = 'govuk-input'
        if css:
            widget.attrs['class'] = f'{widget.attrs.get("class", "")} {css}'.strip()
        if css == 'govuk-textarea':
            widget.attrs.setdefault('rows', 4)


class ReferenceForm(forms.ModelForm):
    """A reference-data form: GOV.UK widgets, and the version an edit started from (stale edits are refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields['version'].initial = self.instance.version
            self.fields['version'].required = True
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and user is not None:
                field.queryset = field.queryset.model.objects.for_user(user)
        govuk_widgets(self)


_DATE = forms.DateInput(attrs={'type': 'date'}, format='%Y-%m-%d')


class ManufacturerForm(ReferenceForm):
    class Meta:
        model = Manufacturer
        fields = ['name', 'country', 'website', 'source_url', 'notes']
        labels = {'source_url': 'Source (web address)'}


class ManufacturerNameForm(ReferenceForm):
    kind = forms.ChoiceField(
        choices=[c for c in ManufacturerName.Kind.choices if c[0] != ManufacturerName.Kind.CANONICAL],
        help_text="The canonical name is the maker's own name: change it by editing the maker.",
    )

    class Meta:
        model = ManufacturerName
        fields = ['name', 'kind', 'source_url']
        labels = {'source_url': 'Source (web address)'}


class BrandForm(ReferenceForm):
    class Meta:
        model = Brand
        fields = ['name', 'kind', 'owner', 'made_by', 'confidence', 'evidence', 'source_url', 'notes']
        labels = {'made_by': 'Made by', 'source_url': 'Source (web address)'}
        help_texts = {
            'owner': 'The company that owns the brand, when it is a maker in the reference data.',
            'made_by': "Who makes the products: the owner for its own brand, the group's parent maker for a "
            'sub-brand, the original maker (ODM) for a relabel.',
            'evidence': 'What shows who makes the products, e.g. firmware formats, MAC address blocks, filings.',
        }


class CorporateRelationForm(ReferenceForm):
    class Meta:
        model = CorporateRelation
        fields = ['parent', 'child', 'kind', 'since', 'until', 'source_url', 'notes']
        labels = {'child': 'Subsidiary, affiliate or joint venture', 'source_url': 'Source (web address)'}
        help_texts = {'until': 'The last day the relation held; leave empty while it holds.'}
        widgets = {'since': _DATE, 'until': _DATE}


class ConcernListForm(ReferenceForm):
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
            'slug': 'Short name',
            'covers_affiliates': 'Covers subsidiaries and affiliates of the makers it names',
            'source_url': 'Source (web address)',
        }
        help_texts = {'slug': 'Lower-case letters, digits and hyphens, e.g. "ndaa-889". It cannot change later.'}
        widgets = {'date': _DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Campaigns, exports and commands refer to a list by its short name.
            del self.fields['slug']


class DesignationForm(ReferenceForm):
    class Meta:
        model = Designation
        fields = ['manufacturer', 'date', 'scope', 'reason', 'source_url', 'notes']
        labels = {'manufacturer': 'Maker', 'source_url': 'Source (web address)'}
        widgets = {'date': _DATE}


class ResolveForm(forms.Form):
    name = forms.CharField(label='Maker or brand, as written', max_length=200, required=False)
    brand = forms.CharField(label='Brand (optional)', max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id='resolve-%s', **kwargs)
        govuk_widgets(self)

    @property
    def asked(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data['name'].strip() or self.cleaned_data['brand'].strip())
