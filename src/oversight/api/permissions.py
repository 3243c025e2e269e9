"""Who may call what in the API: DRF's permission classes over the predicates of `core.permissions`.

Reads are already scoped by each viewset's `for_user()` queryset (another body's object is a 404); these
classes only say who may write, as the pages do.
"""

from rest_framework import permissions

from oversight.core.permissions import may_edit_body, may_edit_reference_data


class ReadOrBodyEditor(permissions.BasePermission):
    """Reads for every signed-in user; writes for their body's editors and administrators.

    Regulator staff read every body's data but do not change a body's register or returns; viewers only read.
    """

    message = 'Only an editor of the body can change its data.'

    def has_permission(self, request, view):
        user = request.user
        return request.method in permissions.SAFE_METHODS or may_edit_body(user, user.organisation_id)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or may_edit_body(request.user, obj.organisation_id)


class BodyEditors(permissions.BasePermission):
    """Only the body's editors and administrators, even to read (imports in progress are their working papers)."""

    message = 'Only an editor of the body can do this.'

    def has_permission(self, request, view):
        return may_edit_body(request.user, request.user.organisation_id)

    def has_object_permission(self, request, view, obj):
        return may_edit_body(request.user, obj.organisation_id)


class ReadOrReferenceEditor(permissions.BasePermission):
    """Reference data (organisations): read by everyone signed in, changed by regulator staff."""

    message = 'Only regulator staff add organisations.'

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or may_edit_reference_data(request.user)
