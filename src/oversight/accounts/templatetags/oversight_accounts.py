from django import template

from oversight.core.forms import govuk_widgets

register = template.Library()


@register.filter
def govuk_form(form):
    """allauth's forms with GOV.UK Frontend widget classes, as core/form_fields.html expects."""
    govuk_widgets(form)
    return form
