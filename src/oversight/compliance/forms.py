from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import ConfirmForm, GovukCheckboxes, VersionedForm, govuk_widgets

from .models import RECORDED_FIELDS, Answer, Assessment, Governance, PlanAction, Principle


class GovernanceForm(VersionedForm):
    class Meta:
        model = Governance
        fields = RECORDED_FIELDS
        widgets = {
            'purpose': forms.Textarea(attrs={'rows': 3}),
            'lawful_basis': forms.Textarea(attrs={'rows': 3}),
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(max_length=200, help_text=_('What the document is, e.g. "DPIA, March 2025".'))
    principle = forms.ModelChoiceField(
        queryset=Principle.objects.all(),
        required=False,
        empty_label=_('None in particular'),
        label=_('Principle it evidences (optional)'),
    )
    file = forms.FileField(
        help_text=_(
            'A PDF, a PNG or JPEG image, or a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx). The file is '
            'checked by its content.'
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A principle is named by its number, in the page's language ("Principle 3" is its English name).
        self.fields['principle'].label_from_instance = lambda principle: (
            _('Principle %(number)s') % {'number': principle.number}
        )
        govuk_widgets(self)


class AnswerForm(VersionedForm):
    class Meta:
        model = Answer
        fields = ['response', 'comment']
        widgets = {'comment': forms.Textarea(attrs={'rows': 4})}


class PlanActionForm(VersionedForm):
    class Meta:
        model = PlanAction
        fields = ['action', 'owner', 'due', 'status']
        widgets = {'action': forms.Textarea(attrs={'rows': 3})}


class ResolveTaskForm(ConfirmForm):
    resolution = forms.CharField(
        label=_('How was it resolved?'),
        max_length=2000,
        widget=forms.Textarea(attrs={'rows': 3}),
        help_text=_('For example, "DPIA reviewed on 3 March: no change needed". It is kept in the history.'),
        error_messages={'required': _('Say how the task was resolved.')},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)


class AssessmentGroupForm(VersionedForm):
    """The other systems of the body an open assessment answers for (an assessment of a group of systems)."""

    class Meta:
        model = Assessment
        fields = ['also_covers']
        widgets = {'also_covers': GovukCheckboxes}
        labels = {'also_covers': _('Other systems this assessment covers')}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields['also_covers']
        field.queryset = field.queryset.filter(organisation_id=self.instance.system.organisation_id).exclude(
            pk=self.instance.system_id
        )
