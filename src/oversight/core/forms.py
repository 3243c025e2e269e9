"""Form pieces every app shares: GOV.UK widget classes, scoped dropdowns and optimistic locking."""

from django import forms
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.safestring import SafeData

from .labels import translated


def govuk_widgets(form: forms.BaseForm) -> None:
    """Give each widget the GOV.UK Frontend class for its kind (core/form_fields.html renders them bare), and show
    the choices and help texts a model makes (English in the model, core/labels.py) in the page's language.

    ActionFormView calls it again on the finished form, so a form that sets its choices after its own call (or
    never calls it) is shown in the page's language too; a second call changes nothing (a translated label is
    its own translation)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            field.choices = [(value, _translated(label)) for value, label in field.choices]
        # A model's help text is a plain string (a form's own is marked lazily, and HTML is left as it is).
        if field.help_text and isinstance(field.help_text, str) and not isinstance(field.help_text, SafeData):
            field.help_text = translated(field.help_text)
        if isinstance(widget, forms.CheckboxInput):
            css = 'govuk-checkboxes__input'
        elif isinstance(widget, forms.Select):
            css = 'govuk-select'
        elif isinstance(widget, forms.Textarea):
            css = 'govuk-textarea'
            widget.attrs.setdefault('rows', 4)
        elif isinstance(widget, forms.FileInput):
            css = 'govuk-file-upload'
        else:
            css = 'govuk-input'
        classes = widget.attrs.get('class', '').split()
        if css not in classes:
            widget.attrs['class'] = ' '.join((*classes, css))


def _translated(label):
    """A choice's label in the active language; a group of choices (a label and its choices) label by label."""
    if isinstance(label, list | tuple):
        return [(value, _translated(inner)) for value, inner in label]
    return translated(label)


# A web address typed without its scheme is taken as https (Django 6's default; 5.2 assumes http).
ASSUME_HTTPS = {'assume_scheme': 'https'}


def _form_field(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs = {**ASSUME_HTTPS, **kwargs}
    return model_field.formfield(**kwargs)


class _VersionedFormMetaclass(ModelFormMetaclass):
    """Gives each form's own Meta the field callback: Django reads it from that Meta only."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get('Meta')
        if meta is not None and not hasattr(meta, 'formfield_callback'):
            meta.formfield_callback = _form_field
        return super().__new__(mcs, name, bases, attrs)


class VersionedForm(forms.ModelForm, metaclass=_VersionedFormMetaclass):
    """A form for an editable record.

    It posts the version it was opened at (optimistic locking), and every dropdown offers only
    what the signed-in user may see, so no other body's sites or systems appear as choices.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            # An edit must say what it started from, or a stale one could not be told apart.
            self.initial['version'] = self.instance.version
            self.fields['version'].required = True
        if user is not None:
            for field in self.fields.values():
                manager = getattr(getattr(field, 'queryset', None), 'model', None)
                if manager is not None and hasattr(manager.objects, 'for_user'):
                    field.queryset = field.queryset & manager.objects.for_user(user)
        govuk_widgets(self)

    def model_values(self) -> dict:
        """The model fields as entered, for the action."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ConfirmForm(forms.Form):
    """A confirmation posts the version the page showed, so a record changed meanwhile is refused, not acted
    on unseen (records without a version post none)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
