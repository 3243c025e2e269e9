"""Who may do what: the one place the service answers it.

Every view, action, API permission and template asks these predicates (templates through the
`permissions` context processor), so the rules cannot drift apart. A deactivated person may do nothing,
checked here once. Which rows a person may *see* is the query layer's job (`for_user()`); which they may
*change* is `editable_by()` beside it, built on these predicates.
"""


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
