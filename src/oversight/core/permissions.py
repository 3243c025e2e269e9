"""Who may do what: the one place the service answers it.

Every view, action, API permission and template asks these predicates (templates through the
`permissions` context processor), so the rules cannot drift apart. A deactivated person may do nothing,
checked here once. Which rows a person may *see* is the query layer's job (`for_user()`); which they may
*change* is `editable_by()` beside it, built on these predicates. The page mixins that ask them
(`Require`, `RequireBodyEditor`...) and `get_editable` live in `core.views`; the API's permission classes in
`api.permissions`. This module imports nothing of Django's auth, so the user model's queryset can use it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property


def is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_everything(user) -> bool:
    """Regulator staff (and superusers) read every body's data."""
    return is_active(user) and (user.is_superuser or user.role == user.Role.REGULATOR)


def may_edit_body(user, organisation_id) -> bool:
    """A body's editors and administrators change its own data; the regulator reads but does not edit it."""
    return (
        is_active(user)
        and organisation_id is not None
        and user.organisation_id == organisation_id
        and user.role in (user.Role.EDITOR, user.Role.ADMINISTRATOR)
    )


def may_administer_body(user, organisation_id) -> bool:
    """A body's administrators run its people (invite, change role, deactivate, reset a second factor)."""
    return (
        is_active(user)
        and organisation_id is not None
        and user.organisation_id == organisation_id
        and user.role == user.Role.ADMINISTRATOR
    )


def may_administer_anyone(user) -> bool:
    """Those with a People page: regulator staff and bodies' administrators."""
    return sees_everything(user) or (is_active(user) and may_administer_body(user, user.organisation_id))


def may_administer_person(user, person) -> bool:
    """Body administrators run their own body's people; regulator staff run the regulator's people and
    bodies' administrators. Nobody administers themselves through this route (they use their account page)."""
    if not is_active(user) or person.pk == user.pk:
        return False
    if user.is_superuser:
        return True
    if user.role == user.Role.REGULATOR:
        return person.role in (person.Role.REGULATOR, person.Role.ADMINISTRATOR)
    return may_administer_body(user, person.organisation_id) and person.role != person.Role.REGULATOR


def may_edit_reference_data(user) -> bool:
    """Makers, brands, concern lists, principles: the regulator's reference data."""
    return sees_everything(user)


def may_manage_api_token(user, person) -> bool:
    """People issue and revoke their own API token; regulator staff anyone's."""
    return is_active(user) and (person.pk == user.pk or sees_everything(user))


def may_retry_job(user, job) -> bool:
    """A failed task is queued again by the person who started it, or an editor of its body."""
    return is_active(user) and (
        (job.user_id is not None and job.user_id == user.pk) or may_edit_body(user, job.organisation_id)
    )


# Refusing: actions and views say no in the same words.


def require(allowed: bool, message: str = '') -> None:
    """A 403 for what a predicate refused. Views fetch the object through `for_user()` first, so another
    body's object is already a 404 and its existence does not leak."""
    if not allowed:
        raise PermissionDenied(message)


def check(actor, predicate, *args, message: str = '') -> None:
    """For actions: refuse a person the predicate refuses. `actor=None` is the service itself (a command or a
    task run on the server), which answers to whoever queued it."""
    if actor is not None:
        require(predicate(actor, *args), message)


class May:
    """The predicates' answers for one person, as templates ask them (`{% if may.see_everything %}`), given to
    every page by the `permissions` context processor; for one object's body, the `may_edit_body` filter."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def see_everything(self) -> bool:
        return sees_everything(self.user)

    @cached_property
    def edit_reference_data(self) -> bool:
        return may_edit_reference_data(self.user)

    # `is_active` first: the anonymous have no organisation to ask about.
    @cached_property
    def edit_own_body(self) -> bool:
        return is_active(self.user) and may_edit_body(self.user, self.user.organisation_id)

    @cached_property
    def administer_own_body(self) -> bool:
        return is_active(self.user) and may_administer_body(self.user, self.user.organisation_id)

    @cached_property
    def administer_anyone(self) -> bool:
        return may_administer_anyone(self.user)
