from django import forms

from oversight.core.forms import VersionedForm

from .models import Governance

DATE = forms.DateInput(attrs={'type': 'date'}, format='%Y-%m-%d')


class GovernanceForm(VersionedForm):
    class Meta:
        model = Governance
        fields = [
            'purpose',
            'lawful_basis',
            'sro_name',
            'spoc_name',
            'spoc_contact',
            'retention_days',
            'dpia_completed_on',
            'dpia_review_due',
            'dpia_trigger',
            'certification_scheme',
            'certification_body',
            'certification_step',
            'certified_on',
            'certification_expires',
            'facial_recognition',
        ]
        widgets = {
            'purpose': forms.Textarea(attrs={'rows': 3}),
            'lawful_basis': forms.Textarea(attrs={'rows': 3}),
            'dpia_completed_on': DATE,
            'dpia_review_due': DATE,
            'certified_on': DATE,
            'certification_expires': DATE,
        }
