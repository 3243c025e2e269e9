"""Form pieces every app shares: GOV.UK widget classes, scoped dropdowns and optimistic locking."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.safestring import SafeData
from django.utils.translation import gettext_lazy as _

from .labels import translated
from .text import whole_number


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
        if isinstance(widget, GovukDateInput | GovukCheckboxes):
            continue  # their inputs carry their own classes
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = 'govuk-checkboxes__input'  # a group's boxes are drawn by a template of the form's own
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


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """GOV.UK Frontend's checkboxes (core/widgets/checkboxes.html), in a fieldset whose legend is the field's label."""

    template_name = 'core/widgets/checkboxes.html'

    def id_for_label(self, id_, index=None):
        """The first box when the group as a whole is asked for: where the error summary's link takes the reader
        (Django gives no id for the group, so the link went nowhere)."""
        return super().id_for_label(id_, '0' if index is None else index)


class GovukDateInput(forms.MultiWidget):
    """GOV.UK Frontend's date input: the day, month and year in three boxes (core/widgets/date_input.html).

    The Design System asks for it rather than the browser's date picker, which some assistive technology
    reads badly and which cannot be typed into the same way in every browser. A date posted as one value
    (2026-03-31), as a script or a test may post it, is read too.
    """

    template_name = 'core/widgets/date_input.html'
    PARTS = {'day': (_('Day'), 2), 'month': (_('Month'), 2), 'year': (_('Year'), 4)}

    def __init__(self, attrs=None):
        boxes = {
            part: forms.TextInput(attrs={'class': f'govuk-input govuk-date-input__input govuk-input--width-{width}',
                                         'inputmode': 'numeric'})
            for part, (_label, width) in self.PARTS.items()
        }  # fmt: skip
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                value = None
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data[name]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        """The day's box: where a problem's link in the error summary takes the reader."""
        return f'{id_}_0' if id_ else ''  # MultiWidget numbers its boxes' ids

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        invalid = str(context['widget']['attrs'].get('aria-invalid')) == 'true'
        for (label, _width), box in zip(self.PARTS.values(), context['widget']['subwidgets'], strict=True):
            box['label'] = label
            if invalid:
                box['attrs']['class'] += ' govuk-input--error'
        return context


# What a date with parts missing says, by the parts missing (whole messages, so each translates whole).
MISSING_PARTS = {
    ('day',): _('The date must include a day.'),
    ('month',): _('The date must include a month.'),
    ('year',): _('The date must include a year.'),
    ('day', 'month'): _('The date must include a day and a month.'),
    ('day', 'year'): _('The date must include a day and a year.'),
    ('month', 'year'): _('The date must include a month and a year.'),
}
NOT_A_REAL_DATE = _('The date must be a real date, for example 27 3 2026.')


class GovukDateField(forms.DateField):
    """A date typed into GOV.UK's day, month and year boxes, with the Design System's messages."""

    widget = GovukDateInput

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = self._from_parts(*(str(part or '').strip() for part in value))
        return super().to_python(value)

    def _from_parts(self, day: str, month: str, year: str) -> datetime.date | None:
        given = {'day': day, 'month': month, 'year': year}
        missing = tuple(part for part, typed in given.items() if not typed)
        if len(missing) == len(given):
            return None
        if missing:
            raise ValidationError(MISSING_PARTS[missing], code='incomplete')
        if any(whole_number(typed) is None for typed in given.values()):
            raise ValidationError(NOT_A_REAL_DATE, code='invalid')
        if len(year) != 4:
            raise ValidationError(_('The year must have 4 digits.'), code='invalid_year')
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(NOT_A_REAL_DATE, code='invalid') from None


# A web address typed without its scheme is taken as https (Django 6's default; 5.2 assumes http).
ASSUME_HTTPS = {'assume_scheme': 'https'}


def _form_field(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs = {**ASSUME_HTTPS, **kwargs}
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kwargs = {'form_class': GovukDateField, **kwargs}
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
