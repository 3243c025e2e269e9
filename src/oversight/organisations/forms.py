from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import GovukCheckboxes

from .imports import IMPORTABLE_KINDS
from .models import Language, Organisation, OrganisationGroup


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={'class': 'govuk-input'}))
    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in IMPORTABLE_KINDS], widget=forms.Select(attrs={'class': 'govuk-select'})
    )
    country = forms.CharField(
        max_length=60,
        required=False,
        help_text=_('For example England, Wales, or United Kingdom for a body working across it.'),
        widget=forms.TextInput(attrs={'class': 'govuk-input govuk-input--width-20'}),
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=OrganisationGroup.objects.none(), required=False, widget=GovukCheckboxes
    )
    source = forms.CharField(
        max_length=300,
        help_text=_('Where this record comes from: a web address or a document.'),
        widget=forms.TextInput(attrs={'class': 'govuk-input'}),
    )
    preferred_language = forms.TypedChoiceField(
        label=_('Language of its invitations and reminders'),
        choices=Language.choices,
        initial=Language.ENGLISH,
        required=False,
        empty_value=Language.ENGLISH,
        widget=forms.Select(attrs={'class': 'govuk-select'}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['groups'].queryset = OrganisationGroup.objects.for_user(user)


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_('Language of its invitations and reminders'),
        help_text=_(
            'The emails about its returns are written in this language. Its people choose the language of their '
            'pages themselves.'
        ),
        choices=Language.choices,
        widget=forms.Select(attrs={'class': 'govuk-select'}),
    )


class GroupForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text=_('For example "Local authorities, South East".'),
        widget=forms.TextInput(attrs={'class': 'govuk-input'}),
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={'class': 'govuk-textarea', 'rows': 3}))


class AddMembersForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), widget=GovukCheckboxes, label=_('Organisations to add')
    )

    def __init__(self, *args, user, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['organisations'].queryset = Organisation.objects.for_user(user).bodies().exclude(groups=group)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_('Spreadsheet (.csv or .xlsx)'),
        help_text=_('Columns: name, kind, country, group (several groups separated by ";"), and optionally source.'),
        widget=forms.ClearableFileInput(attrs={'class': 'govuk-file-upload', 'accept': '.csv,.xlsx'}),
    )
