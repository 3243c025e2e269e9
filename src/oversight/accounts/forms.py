from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import govuk_widgets
from oversight.core.permissions import sees_everything


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
                _(
                    'No organisation signs in to Oversight through its own service with addresses at %(domain)s. '
                    'Sign in with your username and password instead.'
                )
                % {'domain': domain}
            )
        return email


class InviteForm(forms.Form):
    """Who to invite, to which organisation (regulator staff choose; a body's administrators invite to their
    own body), in which role: only the roles the inviting person may give (accounts.actions.roles_offered)."""

    email = forms.EmailField(
        label=_('Email address'),
        help_text=_('Their work address: the invitation goes to it, and it is their username.'),
        widget=forms.EmailInput(attrs={'autocomplete': 'off', 'spellcheck': 'false'}),
    )
    first_name = forms.CharField(label=_('First name'), max_length=150, required=False)
    last_name = forms.CharField(label=_('Last name'), max_length=150, required=False)
    organisation = forms.ModelChoiceField(label=_('Organisation'), queryset=None)
    role = forms.ChoiceField(label=_('Role'))

    def __init__(self, *args, user, **kwargs):
        from oversight.organisations.models import Organisation

        from .actions import roles_offered
        from .models import User

        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_user(user)
        if not sees_everything(user):
            organisations = organisations.filter(pk=user.organisation_id)
        self.fields['organisation'].queryset = organisations.order_by('name')
        if organisations.count() == 1:
            self.fields['organisation'].initial = user.organisation_id
            self.fields['organisation'].widget = forms.HiddenInput()
        # Every role this person may give anywhere (regulator staff: their own, and bodies' administrators);
        # the action refuses one not allowed at the organisation chosen, naming the field.
        offered = set(roles_offered(user, user.organisation)) if user.organisation else set()
        if sees_everything(user):
            offered |= {User.Role.REGULATOR, User.Role.ADMINISTRATOR}
        self.fields['role'].choices = [(value, label) for value, label in User.Role.choices if value in offered]
        govuk_widgets(self)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_('New role'))

    def __init__(self, *args, roles, **kwargs):
        from .models import User

        super().__init__(*args, **kwargs)
        self.fields['role'].choices = [(value, label) for value, label in User.Role.choices if value in roles]
        govuk_widgets(self)


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_('Choose a password'),
        widget=forms.PasswordInput(attrs={'autocomplete': 'new-password'}),
        help_text=_('At least 8 characters, not all numbers, and not a common password.'),
    )
    password2 = forms.CharField(
        label=_('Type the password again'), widget=forms.PasswordInput(attrs={'autocomplete': 'new-password'})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get('password1') and cleaned.get('password1') != cleaned.get('password2'):
            self.add_error('password2', _('The passwords do not match: type the same password twice.'))
        return cleaned
