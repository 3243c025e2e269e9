from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK input styling and the browser hints password managers use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['username'].widget.attrs.update(
            {'class': 'govuk-input govuk-input--width-20', 'autocomplete': 'username', 'spellcheck': 'false'}
        )
        self.fields['password'].widget.attrs.update(
            {'class': 'govuk-input govuk-input--width-20', 'autocomplete': 'current-password'}
        )
