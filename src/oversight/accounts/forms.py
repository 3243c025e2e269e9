from allauth.account.forms import LoginForm

from oversight.core.forms import govuk_widgets


class SignInForm(LoginForm):
    """allauth's sign-in form with GOV.UK input styling and the browser hints password managers use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)
        self.fields['login'].label = 'Username or email address'
        self.fields['login'].widget.attrs.update(
            {'class': 'govuk-input govuk-input--width-20', 'autocomplete': 'username', 'spellcheck': 'false'}
        )
        self.fields['login'].widget.attrs.pop('placeholder', None)
        self.fields['password'].widget.attrs.update(
            {'class': 'govuk-input govuk-input--width-20', 'autocomplete': 'current-password'}
        )
        self.fields['password'].widget.attrs.pop('placeholder', None)
        self.fields['password'].help_text = ''
