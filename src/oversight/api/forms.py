import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import govuk_widgets

from .models import ApiToken

LIFETIMES = [('30', _('30 days')), ('90', _('90 days')), ('365', _('A year')), ('', _('Until revoked'))]


class TokenForm(forms.Form):
    """What a new token may do, and how long it works."""

    scope = forms.ChoiceField(
        label=_('What may programs with it do?'),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_('Read only is safest: such a token can change nothing, even if it leaks.'),
    )
    lifetime = forms.ChoiceField(label=_('How long should it work?'), choices=LIFETIMES, initial='90', required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def expires(self):
        days = self.cleaned_data.get('lifetime')
        return timezone.now() + datetime.timedelta(days=int(days)) if days else None
