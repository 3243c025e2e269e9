from django import template

from oversight.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def object_panels(context, obj):
    """Other apps' panels for this object's page (core.panels)."""
    return render_panels(context['request'], obj)
