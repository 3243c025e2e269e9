from django import template

from oversight.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def object_panels(context, obj):
    """Other apps' panels for this object's page (core.panels)."""
    return render_panels(context['request'], obj)


@register.simple_tag(takes_context=True)
def page_panels(context, key):
    """Other apps' panels for a page that shows no one object, by the page's name (core.panels)."""
    return render_panels(context['request'], None, key)
