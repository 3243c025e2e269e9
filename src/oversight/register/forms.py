from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import VersionedForm, govuk_widgets

from .models import EquipmentLine, Site, System
from .values import BadValue, parse_mac


class SiteForm(VersionedForm):
    class Meta:
        model = Site
        fields = ['name', 'address', 'postcode', 'kind', 'sensitive']


class SystemForm(VersionedForm):
    class Meta:
        model = System
        fields = ['name', 'category', 'description']
        widgets = {'description': forms.Textarea(attrs={'rows': 3})}


class EquipmentLineForm(VersionedForm):
    class Meta:
        model = EquipmentLine
        fields = ['site', 'system', *EquipmentLine.DECLARED_FIELDS]
        widgets = {'notes': forms.Textarea(attrs={'rows': 3})}
        help_texts = {
            'manufacturer_declared': _('As on the invoice or the device. Who really made it is worked out for you.'),
            'mac_address': _('Optional, e.g. 00:1F:54:12:AB:CD.'),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Dropdowns offer only the signed-in body's own sites and systems.
        self.fields['site'].queryset = Site.objects.for_user(self.user)
        self.fields['system'].queryset = System.objects.for_user(self.user)

    def clean_mac_address(self):
        try:
            return parse_mac(self.cleaned_data['mac_address'].strip())
        except BadValue as exc:
            raise ValidationError(str(exc)) from exc


class UploadForm(forms.Form):
    file = forms.FileField(label=_('Spreadsheet (.xlsx or .csv)'))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def clean_file(self):
        upload = self.cleaned_data['file']
        limit = settings.OVERSIGHT_MAX_UPLOAD_BYTES
        # Refused before it is read: the size Django reports is the size received.
        if upload.size > limit:
            raise ValidationError(
                _('The file is %(size)s bytes; the limit is %(limit)s bytes.')
                % {'size': f'{upload.size:,}', 'limit': f'{limit:,}'}
            )
        return upload
