from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import govuk_widgets
from oversight.register.forms import EquipmentLineForm, UploadForm
from oversight.register.models import EquipmentLine

CAPABILITIES = ('video', 'audio', 'thermal', 'night_vision')


class ScanFileForm(UploadForm):
    """The register's upload form (size bound and all), for scan results."""

    file = forms.FileField(
        label=_('Scan results'),
        help_text=_('The JSON lines `oversight discover` writes, or nmap XML (nmap -sV -oX).'),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text=_('What will use it, e.g. "Custody network agent" or "Security team laptop".')
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)


class AcceptDeviceForm(EquipmentLineForm):
    """A new register line for a discovered device: its identity as found, and where it belongs."""

    class Meta(EquipmentLineForm.Meta):
        # What a scan can tell, and where the line belongs; dates and capabilities are for the line's own page.
        fields = [
            'site',
            'system',
            *(f for f in EquipmentLine.DECLARED_FIELDS if f not in ('installed_on', 'next_upgrade', *CAPABILITIES)),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No network is chosen for the editor: a new line's default ("unknown") would be a guess made for them.
        network = self.fields['network']
        network.choices = [('', _('Choose how it is connected')), *EquipmentLine.Network.choices]
        network.error_messages['required'] = _('Select how the device is connected to the network.')
        network.initial = None
        self.initial.pop('network', None)
