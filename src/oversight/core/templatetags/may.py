"""`{% if user|may_edit_body:object.organisation_id %}`: the predicate for one object's body, in templates."""

from django import template

from oversight.core import permissions

register = template.Library()


@register.filter
def may_edit_body(user, organisation_id) -> bool:
    return permissions.may_edit_body(user, organisation_id)
