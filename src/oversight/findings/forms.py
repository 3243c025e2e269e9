from django import forms

from oversight.core.forms import VersionedForm, govuk_widgets
from oversight.surveys.models import Campaign

from .models import Report


class NewReportForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), help_text='Campaigns that have no report yet.')

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['campaign'].queryset = (
            Campaign.objects.for_user(user).filter(report__isnull=True).exclude(status=Campaign.Status.DRAFT)
        )
        govuk_widgets(self)


class ReportForm(VersionedForm):
    class Meta:
        model = Report
        fields = ['title', 'narrative']
        widgets = {'narrative': forms.Textarea(attrs={'rows': 24})}


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label='What this version changes (optional)',
        max_length=300,
        required=False,
        help_text='Shown in the list of versions, e.g. "Corrected body-worn video figures".',
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)
