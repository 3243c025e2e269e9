"""Every write to organisations and their groups. Only regulator staff make them; each is audited.

Group membership is a field of the organisation (`groups`), so joining or leaving a group is
recorded in the organisation's history, with its groups before and after.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import record_changes, save_audited, snapshot
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, may_edit_reference_data
from oversight.core.text import check_visible_text

from .imports import RESERVED_GROUP_SLUGS, RESERVED_SLUGS, ImportPlan, group_key, plan_import, slug_for
from .models import Language, Organisation, OrganisationGroup


@transaction.atomic
def create_organisation(
    actor, *, name, kind, country='', groups=(), source='', preferred_language=Language.ENGLISH
) -> Organisation:
    check(actor, may_edit_reference_data)
    name = ' '.join(name.split())
    slug = slug_for(name)
    if kind == Organisation.Kind.REGULATOR:
        raise ValidationError({'kind': _('There is one regulator; add the bodies it oversees.')})
    if not slug or slug in RESERVED_SLUGS:
        raise ValidationError({'name': _('"%(name)s" cannot be used as an organisation name.') % {'name': name}})
    clash = Organisation.objects.filter(slug=slug).first()
    if clash is not None:
        raise ValidationError({'name': _('"%(name)s" already exists.') % {'name': clash.name}})
    organisation = Organisation(
        name=name,
        slug=slug,
        kind=kind,
        country=' '.join(country.split()),
        source=source,
        preferred_language=_language(preferred_language),
    )
    return save_audited(actor, organisation, 'Organisation added', m2m={'groups': list(groups)})


def _language(code: str) -> str:
    if code not in Language.values:
        raise ValidationError({'preferred_language': _('Choose English or Cymraeg (Welsh).')})
    return code


@transaction.atomic
def set_preferred_language(actor, organisation: Organisation, preferred_language: str) -> Organisation:
    """The language the organisation's invitations and reminders are written in."""
    check(actor, may_edit_reference_data)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.preferred_language = _language(preferred_language)
    return save_audited(actor, organisation, f'Preferred language: {organisation.get_preferred_language_display()}')


@transaction.atomic
def create_group(actor, *, name, description='') -> OrganisationGroup:
    check(actor, may_edit_reference_data)
    name = ' '.join(name.split())
    slug = slugify(name)[:100]
    if not slug or slug in RESERVED_GROUP_SLUGS:
        raise ValidationError({'name': _('"%(name)s" cannot be used as a group name.') % {'name': name}})
    # Groups are few; comparing keys in Python catches "Policing bodies England and Wales" too.
    clash = next(
        (g for g in OrganisationGroup.objects.all() if slug == g.slug or group_key(name) == group_key(g.name)), None
    )
    if clash is not None:
        raise ValidationError({'name': _('The group "%(name)s" already exists.') % {'name': clash.name}})
    return save_audited(actor, OrganisationGroup(name=name, slug=slug, description=description.strip()), 'Group added')


def _set_groups(actor, organisation: Organisation, groups, message: str) -> None:
    save_audited(actor, organisation, message, m2m={'groups': sorted({g.pk for g in groups})})


@transaction.atomic
def add_members(actor, group: OrganisationGroup, organisations) -> int:
    """Add organisations to a group; returns how many joined (members already in it are left alone)."""
    check(actor, may_edit_reference_data)
    joined = 0
    for organisation in Organisation.objects.select_for_update().filter(pk__in=[o.pk for o in organisations]):
        if organisation.kind == Organisation.Kind.REGULATOR:
            raise ValidationError({'organisations': _('The regulator is not a member of groups of overseen bodies.')})
        current = list(organisation.groups.all())
        if group not in current:
            _set_groups(actor, organisation, [*current, group], f'Added to {group}')
            joined += 1
    return joined


@transaction.atomic
def remove_member(actor, group: OrganisationGroup, organisation: Organisation) -> None:
    check(actor, may_edit_reference_data)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = list(organisation.groups.all())
    if group not in current:
        raise ValidationError(
            _('%(organisation)s is not in %(group)s.') % {'organisation': organisation, 'group': group}
        )
    _set_groups(actor, organisation, [g for g in current if g != group], f'Removed from {group}')


@transaction.atomic
def import_organisations(actor, headers, rows, default_source: str) -> ImportPlan:
    """Check the rows again against the database as it is now, then write all of them or nothing.

    When any row is wrong nothing is written, and the returned plan lists every problem.
    """
    check(actor, may_edit_reference_data)
    plan = plan_import(headers, rows, default_source)
    if plan.problems:
        return plan
    groups = {g.name: g for g in OrganisationGroup.objects.all()}
    for name in plan.new_groups:
        groups[name] = create_group(actor, name=name, description='Created by an import of organisations.')
    # New bodies written together (a national list is thousands): checked by the plan against the database and
    # the file, so each is validated field by field here without the per-row queries of save_audited.
    new = []
    for row in plan.rows:
        if row.existing is None:
            organisation = Organisation(
                name=row.name, slug=slug_for(row.name), kind=row.kind, country=row.country, source=row.source
            )
            check_visible_text(organisation)
            organisation.clean_fields()
            new.append((organisation, sorted({groups[g].pk for g in row.groups})))
        elif row.joins:
            current = list(row.existing.groups.all())
            _set_groups(actor, row.existing, current + [groups[g] for g in row.joins], 'Imported')
    Organisation.objects.bulk_create([organisation for organisation, _ in new])
    membership = Organisation.groups.through
    membership.objects.bulk_create(
        membership(organisation_id=organisation.pk, organisationgroup_id=group)
        for organisation, joined in new
        for group in joined
    )
    record_changes(
        actor,
        [
            (organisation, ObjectChange.Action.CREATE, None, snapshot(organisation, {'groups': joined}))
            for organisation, joined in new
        ],
        'Imported',
    )
    return plan
