from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import govuk_widgets


class SignInForm(LoginForm):
    """allauth's sign-in form with GOV.UK input styling and the browser hints password managers use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)
        self.fields['login'].label = _('Username or email address')
        self.fields['password'].label = _('Password')
        self.fields['login'].widget.attrs.update(
            {'class': 'govuk-input govuk-input--width-20', 'autocomplete': 'username', 'spellcheck': 'false'}
        )
        self.fields['login'].widget.attrs.pop('placeholder', None)
        self.fields['password'].widget.attrs.update(
            {'class': 'govuk-input govuk-input--width-20', 'autocomplete': 'current-password'}
        )
        self.fields['password'].widget.attrs.pop('placeholder', None)
        self.fields['password'].help_text = ''


class SingleSignOnForm(forms.Form):
    """The work address that chooses the organisation whose own sign-in service to use."""

    email = forms.EmailField(
        label=_('Your work email address'),
        help_text=_('For example, name@kent.police.uk'),
        widget=forms.EmailInput(attrs={'autocomplete': 'email', 'spellcheck': 'false'}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def clean_email(self):
        from .models import SingleSignOn

        email = self.cleaned_data['email']
        self.sign_on = SingleSignOn.for_email(email)
        if self.sign_on is None:
            domain = email.rpartition('@')[2]
            raise forms.ValidationError(
                f'No organisation signs in to Oversight through its own service with addresses at {domain}. '
                'Sign in with your username and password instead.'
            )
        return email
