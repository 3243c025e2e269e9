from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import ConfirmForm, VersionedForm, govuk_widgets
from oversight.surveys.models import Campaign

from .models import Report


class NewReportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), help_text=_('Campaigns that have no report yet.')
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['campaign'].queryset = (
            Campaign.objects.for_user(user).filter(report__isnull=True).exclude(status=Campaign.Status.DRAFT)
        )
        govuk_widgets(self)


class ReportForm(VersionedForm):
    class Meta:
        model = Report
        fields = ['title', 'narrative', 'title_cy', 'narrative_cy']
        widgets = {'narrative': forms.Textarea(attrs={'rows': 24}), 'narrative_cy': forms.Textarea(attrs={'rows': 24})}
        labels = {'title_cy': _('Title in Welsh (optional)'), 'narrative_cy': _('Text in Welsh (optional)')}
        help_texts = {
            'title_cy': _('Empty: the Welsh report shows the English title.'),
            'narrative_cy': _(
                'The same text in Welsh, with the same placeholders; empty: the Welsh report shows the English text. '
                'Placeholders give figures in digits in Welsh. The check does not read numbers typed in the Welsh: '
                'each is listed for you to confirm before publishing.'
            ),
        }


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # The fingerprint of the unchecked numbers as shown, so the confirmation is of that list only.
    unchecked = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_unchecked = forms.BooleanField(
        label=_('I have confirmed each number and claim the check could not match against the data'),
        required=False,
    )
    note = forms.CharField(
        label=_('What this version changes (optional)'),
        max_length=300,
        required=False,
        help_text=_('Shown in the list of versions, e.g. "Corrected body-worn video figures".'),
    )

    def __init__(self, *args, unchecked: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not unchecked:
            del self.fields['confirm_unchecked']
        govuk_widgets(self)

    def confirmed_unchecked(self) -> str:
        return self.cleaned_data['unchecked'] if self.cleaned_data.get('confirm_unchecked') else ''


class WithdrawForm(ConfirmForm):
    reason = forms.CharField(
        label=_('Why is this version withdrawn?'),
        max_length=300,
        help_text=_('Shown beside the version to everyone signed in, e.g. "Published in error: figures incomplete".'),
        error_messages={'required': 'Say why the version is withdrawn.'},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)
