"""GOV.UK Frontend's widgets: the date input (three boxes, the Design System's messages, a whole date still read
when posted as one) and checkboxes, each group in a fieldset."""

import datetime

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from oversight.core.forms import GovukCheckboxes, GovukDateField, govuk_widgets


class DateForm(forms.Form):
    due = GovukDateField(label='Review due', required=False)
    signed = GovukDateField(label='Signed on')


def bound(**data):
    return DateForm(data={'signed': '2026-01-15', **data})


def test_a_date_typed_in_three_boxes_is_read_with_spaces_and_leading_zeros():
    form = bound(due_day=' 7 ', due_month='03', due_year='2027')
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {'due': datetime.date(2027, 3, 7), 'signed': datetime.date(2026, 1, 15)}


def test_a_date_posted_whole_is_read_as_before():
    form = bound(due='2027-03-07')
    assert form.is_valid()
    assert form.cleaned_data['due'] == datetime.date(2027, 3, 7)


@pytest.mark.parametrize(
    ('day', 'month', 'year', 'message'),
    [
        ('', '3', '2027', 'The date must include a day.'),
        ('7', '', '2027', 'The date must include a month.'),
        ('7', '3', '', 'The date must include a year.'),
        ('', '', '2027', 'The date must include a day and a month.'),
        ('', '3', '', 'The date must include a day and a year.'),
        ('7', '', '', 'The date must include a month and a year.'),
        ('31', '2', '2027', 'The date must be a real date, for example 27 3 2026.'),
        ('7', 'March', '2027', 'The date must be a real date, for example 27 3 2026.'),
        ('7', '3', '27', 'The year must have 4 digits.'),
        ('-1', '3', '2027', 'The date must be a real date, for example 27 3 2026.'),
    ],
)
def test_a_date_with_a_part_missing_or_impossible_says_which(day, month, year, message):
    form = bound(due_day=day, due_month=month, due_year=year)
    assert not form.is_valid()
    assert form.errors == {'due': [message]}


def test_empty_boxes_are_no_date_and_a_required_date_says_it_is_required():
    form = DateForm(data={'due_day': '', 'due_month': '', 'due_year': ''})
    assert not form.is_valid()
    assert 'due' not in form.errors and form.errors['signed'] == ['This field is required.']


def test_the_page_shows_a_fieldset_with_three_labelled_boxes_and_keeps_what_was_typed_after_a_problem():
    form = bound(due_day='31', due_month='2', due_year='2027')
    form.is_valid()
    html = render_to_string('core/form_fields.html', {'form': form})
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Review due</legend>' in html
    assert 'aria-describedby="id_due-hint id_due-error"' in html
    for box, label, typed in (('0', 'Day', '31'), ('1', 'Month', '2'), ('2', 'Year', '2027')):
        assert f'<label class="govuk-label govuk-date-input__label" for="id_due_{box}">{label}</label>' in html
        assert f'id="id_due_{box}"' in html and f'value="{typed}"' in html
    assert html.count('govuk-input--error') == 3  # the boxes of the date with the problem, not the other's
    # The error summary's link takes the reader to the day's box.
    assert '<a href="#id_due_0">Review due: The date must be a real date' in html


def test_a_saved_date_is_shown_in_its_boxes_and_in_welsh_the_boxes_are_named_in_welsh():
    form = DateForm(initial={'due': datetime.date(2027, 3, 7)})
    with translation.override('cy'):
        html = render_to_string('core/form_fields.html', {'form': form})
    assert (
        'name="due_day" value="7"' in html
        and 'name="due_month" value="3"' in html
        and 'name="due_year" value="2027"' in html
    )
    assert '>Diwrnod</label>' in html and '>Mis</label>' in html and '>Blwyddyn</label>' in html


class ChoicesForm(forms.Form):
    kinds = forms.MultipleChoiceField(label='Kinds', choices=[('a', 'Alpha'), ('b', 'Beta')], required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    systems = forms.MultipleChoiceField(label='Systems covered', choices=[('1', 'ANPR')], widget=GovukCheckboxes)


def test_checkboxes_keep_govuk_classes_however_often_the_widgets_are_styled():
    """ActionFormView styles a form again once it is finished: a checkbox must not become a text box."""
    form = ChoicesForm()
    govuk_widgets(form)
    govuk_widgets(form)
    assert form.fields['kinds'].widget.attrs['class'] == 'govuk-checkboxes__input'
    assert 'class' not in form.fields['systems'].widget.attrs


def test_a_group_of_checkboxes_is_a_fieldset_named_by_its_legend():
    html = render_to_string('core/form_fields.html', {'form': ChoicesForm(data={})})
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Systems covered</legend>' in html
    assert 'class="govuk-checkboxes__input" type="checkbox" name="systems" value="1" id="id_systems_0"' in html
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_systems-error">' in html
    # The error summary's link takes the reader to the first box.
    assert '<a href="#id_systems_0">Systems covered: This field is required.</a>' in html
