import re
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.forms import GovukDateField, govuk_widgets
from oversight.organisations.models import Organisation, OrganisationGroup
from oversight.vendors.models import ConcernList

from .answers import LINE_FIELDS, Schema
from .models import Campaign, Question, Questionnaire

LINE_NAME = re.compile(r'^line-(?P<category>[a-z_]+)-(?P<row>[A-Za-z0-9_]+)-(?P<field>[a-z]+)$')


class LondonDateTimeField(forms.DateTimeField):
    """A date and time typed in London time (the campaign's zone), whatever the server's."""

    widget = forms.DateTimeInput(attrs={'type': 'datetime-local'}, format='%Y-%m-%dT%H:%M')

    def prepare_value(self, value):
        if hasattr(value, 'tzinfo') and value.tzinfo is not None:
            value = timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return super().prepare_value(value)


class ReturnForm(forms.Form):
    """The return as a web form, built from the questionnaire: one field per question but the lines.

    Manufacturer lines are rows posted as line-<category>-<row>-<field>, so rows can be added and
    removed in the page (HTMX) without renumbering; `lines_from_post` gathers them.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, schema: Schema, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema
        for key, question in schema.questions.items():
            if section is not None and question.section.code != section.code:
                continue
            field = self._field_for(question)
            if field is not None:
                self.fields[key] = field

    @staticmethod
    def _field_for(question: Question):
        label = f'{question.number} {question.shown_text}'
        kind = question.kind
        if kind == Question.Kind.MANUFACTURER_LINES:
            return None
        if kind in (Question.Kind.YES_NO_UNKNOWN, Question.Kind.CHOICE):
            return forms.ChoiceField(
                label=label, choices=question.choice_pairs(), required=False, widget=forms.RadioSelect
            )
        if kind == Question.Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                label=label, choices=question.choice_pairs(), required=False, widget=forms.CheckboxSelectMultiple
            )
        if kind == Question.Kind.DATE:
            return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={'type': 'date'}))
        if kind == Question.Kind.NUMBER:
            return forms.CharField(
                label=label,
                required=False,
                widget=forms.TextInput(attrs={'inputmode': 'numeric', 'class': 'govuk-input govuk-input--width-10'}),
            )
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={'rows': 2, 'class': 'govuk-textarea'})
        )

    def answers(self, post) -> dict:
        """Raw answers for the action: the form's fields plus the manufacturer lines from the post."""
        answers = {key: value for key, value in self.cleaned_data.items() if key != 'version'}
        answers.update(lines_from_post(post))
        return answers


class SectionForm(ReturnForm):
    """One section of the return, and GOV.UK's "Have you completed this section?"."""

    completed = forms.ChoiceField(
        label=_('Have you completed this section?'),
        choices=[('yes', _('Yes, I’ve completed this section')), ('no', _('No, I’ll come back to it later'))],
        required=False,
        widget=forms.RadioSelect,
    )

    def answers(self, post) -> dict:
        answers = {key: value for key, value in self.cleaned_data.items() if key not in ('version', 'completed')}
        answers.update(lines_from_post(post))
        return answers


class DeclarationForm(forms.Form):
    """The declaration made by the person submitting, on behalf of the body's Senior Responsible Officer."""

    declarant_name = forms.CharField(
        label=_('Your full name'), max_length=200, error_messages={'required': _('Enter your full name')}
    )
    declarant_role = forms.CharField(
        label=_('Your role'), max_length=200, error_messages={'required': _('Enter your role')}
    )
    declared_for = forms.CharField(
        label=_('Name of your Senior Responsible Officer'),
        max_length=200,
        help_text=_('You make this declaration on their behalf.'),
        error_messages={'required': _('Enter the name of your Senior Responsible Officer')},
    )
    confirm = forms.BooleanField(
        label=_(
            'I confirm that, to the best of my knowledge, the answers in this return are correct and complete, '
            'and that I make this declaration on behalf of our Senior Responsible Officer.'
        ),
        error_messages={'required': _('Confirm the declaration to submit the return')},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)


def lines_from_post(post) -> dict[str, list[dict]]:
    """Manufacturer lines by answer key, in the order the rows were posted; rows marked removed are dropped."""
    rows: dict[tuple[str, str], dict] = {}
    for name in post:
        match = LINE_NAME.match(name)
        if match and match['field'] in (*LINE_FIELDS, 'remove'):
            rows.setdefault((match['category'], match['row']), {})[match['field']] = post.get(name)
    lines: dict[str, list[dict]] = {}
    for (category, _row), values in rows.items():
        if values.pop('remove', None):
            continue
        lines.setdefault(f'{category}.manufacturers', []).append(values)
    return lines


class QueryAnswersForm(forms.Form):
    """One answer field per open query, named query_<id>."""

    def __init__(self, *args, queries, **kwargs):
        super().__init__(*args, **kwargs)
        for query in queries:
            self.fields[f'query_{query.pk}'] = forms.CharField(
                label=_('Your answer to: %(query)s') % {'query': query.text},
                required=False,
                widget=forms.Textarea(attrs={'rows': 3, 'class': 'govuk-textarea'}),
            )

    def query_answers(self) -> dict[int, str]:
        return {int(name.split('_', 1)[1]): value for name, value in self.cleaned_data.items()}


class CampaignForm(forms.ModelForm):
    opens_at = LondonDateTimeField(label=_('Opens (London time)'), required=False)
    deadline = LondonDateTimeField(label=_('Deadline (London time)'), required=False)
    late_cutoff = LondonDateTimeField(
        label=_('Late-acceptance cut-off (London time)'),
        required=False,
        help_text=_('Submissions after the deadline are accepted, and marked late, until then.'),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Campaign
        fields = [
            'title',
            'slug',
            'year',
            'description',
            'questionnaire',
            'concern_list',
            'opens_at',
            'deadline',
            'late_cutoff',
            'reminder_interval_days',
            'reminder_cap',
        ]
        widgets = {'description': forms.Textarea(attrs={'rows': 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['questionnaire'].queryset = Questionnaire.objects.all()
        self.fields['concern_list'].queryset = ConcernList.objects.all()
        if self.instance.pk:
            self.initial['version'] = self.instance.version
            del self.fields['slug']
            if self.instance.status != Campaign.Status.DRAFT:
                del self.fields['questionnaire']
                del self.fields['concern_list']
        govuk_widgets(self)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != 'version'}


class NewCampaignForm(CampaignForm):
    recipients_group = forms.ModelChoiceField(
        queryset=OrganisationGroup.objects.all(), required=False, label=_('Invite every body of this group')
    )
    recipients = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.bodies(),
        required=False,
        label=_('Or invite these bodies'),
        widget=forms.SelectMultiple(attrs={'size': 8}),
    )

    def values(self) -> dict:
        values = super().values()
        values['recipients'] = list(values['recipients'] or [])
        return values


class QueryForm(forms.Form):
    text = forms.CharField(
        label=_('Query for the body to answer'),
        widget=forms.Textarea(attrs={'rows': 4, 'class': 'govuk-textarea'}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CorrectionForm(forms.Form):
    # Hundreds of fields: core/static/oversight/pickers.js makes the select an autocomplete.
    field = forms.ChoiceField(
        label=_('Field to correct'),
        help_text=_('The answer, or the attribute of a line, whose value was wrong.'),
        widget=forms.Select(attrs={'data-autocomplete': ''}),
    )
    new_value = forms.CharField(
        label=_('Corrected value'),
        required=False,
        help_text=_(
            'As the questionnaire takes it: yes, no or unknown; a whole number; a date as YYYY-MM-DD; several '
            'choices separated by commas; for a line, "yes" under "removed" withdraws it.'
        ),
    )
    reason = forms.CharField(label=_('Why the value was wrong'), widget=forms.Textarea(attrs={'rows': 3}))
    source = forms.CharField(label=_('Source of the correct value'), max_length=300)
    date = GovukDateField(label=_('Date established'))
    publish_as_update = forms.BooleanField(
        label=_('Publish as an Update to findings that used the old value'), required=False
    )

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['field'].choices = [('', _('Choose a field'))] + list(fields)
        govuk_widgets(self)


class ExtensionForm(forms.Form):
    extended_until = LondonDateTimeField(label=_('New cut-off for this body (London time)'))
    extension_reason = forms.CharField(label=_('Reason'), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)


class ContactsForm(forms.Form):
    contacts = forms.CharField(
        label=_('Contacts'),
        required=False,
        help_text=_(
            'One a line: name, email address, role (e.g. "Jo Bloggs, jo.bloggs@police.example, Senior Responsible '
            'Officer").'
        ),
        widget=forms.Textarea(attrs={'rows': 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def clean_contacts(self) -> list[tuple[str, str, str]]:
        contacts, errors = [], []
        for number, line in enumerate(self.cleaned_data['contacts'].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(',')]
            if len(parts) < 2 or not parts[0] or '@' not in parts[1]:
                errors.append(f'Line {number}: write "name, email address, role".')
                continue
            contacts.append((parts[0], parts[1], ', '.join(parts[2:])))
        if errors:
            raise forms.ValidationError(errors)
        return contacts


class UploadForm(forms.Form):
    file = forms.FileField(label=_('Completed return workbook (.xlsx)'))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)


class NewVersionForm(forms.Form):
    slug = forms.SlugField(label=_('Slug of the new version'), max_length=60)
    title = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)


def _bounded(upload):
    limit = settings.OVERSIGHT_MAX_UPLOAD_BYTES
    # Refused before it is read: the size Django reports is the size received.
    if upload is not None and upload.size > limit:
        raise forms.ValidationError(
            _('The file is %(size)s bytes; the limit is %(limit)s bytes.')
            % {'size': f'{upload.size:,}', 'limit': f'{limit:,}'}
        )
    return upload


class ReturnsImportForm(forms.Form):
    """An interchange file (docs/interchange.md) for `import-returns`, from the web."""

    campaign = forms.CharField(
        max_length=60, help_text=_('Its slug (e.g. police-2022) or year; a campaign that does not exist is created.')
    )
    file = forms.FileField(label=_('Interchange file (.csv, UTF-8)'))
    recipients = forms.FileField(
        required=False,
        label=_('Bodies invited (optional)'),
        help_text=_('One exact organisation name a line; bodies not yet invited are added.'),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def clean_file(self):
        return _bounded(self.cleaned_data['file'])

    def clean_recipients(self):
        return _bounded(self.cleaned_data.get('recipients'))
