from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import GovukDateField, VersionedForm, govuk_widgets
from oversight.register.models import Category

from .actions import DECISION_FIELDS
from .models import ObligationDecision
from .rules import optional_rule_sets


class PoundsField(forms.DecimalField):
    """An amount in pounds, as people write it: "1200", "1,200.50" or "£1,200"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix('£').replace(',', '').strip()
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _('"%(value)s" is not an amount in pounds, e.g. 1200 or 1,200.50.') % {'value': value}, code='invalid'
            ) from None


class UnitCostsForm(forms.Form):
    """One cost per system category; an empty box clears the category's cost."""

    def __init__(self, *args, stored: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in Category.choices:
            unit = stored.get(category)
            self.fields[f'cost_{category}'] = PoundsField(
                label=label,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(10_000_000),
                max_digits=11,
                decimal_places=2,
                initial=unit.cost if unit else None,
                widget=forms.TextInput(attrs={'inputmode': 'decimal', 'spellcheck': 'false'}),
            )
            self.fields[f'version_{category}'] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=unit.version if unit else None
            )
        govuk_widgets(self)
        for name, field in self.fields.items():
            if name.startswith('cost_'):
                field.widget.attrs['class'] += ' govuk-input--width-10'

    def costs(self) -> dict:
        return {c: self.cleaned_data[f'cost_{c}'] for c in Category.values}

    def versions(self) -> dict:
        return {c: self.cleaned_data[f'version_{c}'] for c in Category.values}


class PolicySettingsForm(forms.Form):
    rule_sets = forms.MultipleChoiceField(
        label=_('Optional rule sets this body applies'),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_by = GovukDateField(
        label=_('Review removal by'),
        required=False,
        help_text=_(
            'When "consider removal" obligations fall due where no scheduled upgrade comes sooner. '
            'Leave empty for the end of the current financial year (31 March).'
        ),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['rule_sets'].choices = [(s.slug, s.shown_name) for s in optional_rule_sets()]
        govuk_widgets(self)
        self.fields['rule_sets'].widget.attrs['class'] = 'govuk-checkboxes__input'


class DecisionForm(VersionedForm):
    """The body's decision on one obligation and, for a replacement, how far it has got."""

    actual_cost = PoundsField(
        label=capfirst(ObligationDecision._meta.get_field('actual_cost').verbose_name),  # lazy: translated when shown
        required=False, min_value=0, max_digits=13, decimal_places=2,
    )  # fmt: skip

    class Meta:
        model = ObligationDecision
        fields = DECISION_FIELDS
        widgets = {
            'reason': forms.Textarea(attrs={'rows': 3}),
        }
