from django import template
from django.utils.html import format_html

from oversight.core.labels import translated

from ..models import CERTIFICATION_STATUS, DPIA_STATUS

register = template.Library()


def status_tag(statuses: dict, status: str | None) -> str:
    label, colour = statuses[status]
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, translated(label))


@register.simple_tag
def dpia_tag(status):
    return status_tag(DPIA_STATUS, status or 'missing')


@register.simple_tag
def certification_tag(status):
    return status_tag(CERTIFICATION_STATUS, status or 'none')
