"""Every write to the reference data, audited, by regulator staff only (or a server command: actor None).

Each `save_*` creates the object when it has no primary key and updates it otherwise; an edit
passes the version it started from, and a stale one is refused (core.audit.save_audited).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import delete_audited, save_audited
from oversight.core.permissions import check, may_edit_reference_data

from .models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName
from .resolution import normalise

# Path segments the URLs use beside slugs (makers/add/): no object may take them as its slug.
RESERVED_SLUGS = {'add'}


def _unique_slug(model, name: str) -> str:
    base = slugify(name)[:90] or model._meta.model_name
    slug, n = base, 1
    while slug in RESERVED_SLUGS or model._base_manager.filter(slug=slug).exists():
        n += 1
        slug = f'{base}-{n}'
    return slug


@transaction.atomic
def save_manufacturer(actor, maker: Manufacturer, *, expected_version: int | None = None) -> Manufacturer:
    """Save a maker; its canonical name follows its name, and a replaced name stays as a former name."""
    check(actor, may_edit_reference_data)
    previous = None
    if maker.pk is None:
        maker.slug = _unique_slug(Manufacturer, maker.name)
    else:
        previous = Manufacturer.objects.filter(pk=maker.pk).values_list('name', flat=True).first()
    save_audited(actor, maker, expected_version=expected_version)
    if previous != maker.name:
        _follow_canonical_name(actor, maker)
    return maker


def _follow_canonical_name(actor, maker: Manufacturer) -> None:
    names = list(ManufacturerName.objects.filter(manufacturer=maker))
    canonical = next((n for n in names if n.kind == ManufacturerName.Kind.CANONICAL), None)
    same_name = next((n for n in names if n.name == maker.name), None)
    if same_name is not None and same_name is not canonical:
        # The new name was already an alias, legal or former name: it becomes the canonical one.
        if canonical is not None:
            canonical.kind = ManufacturerName.Kind.FORMER
            save_audited(actor, canonical, 'The maker was renamed.')
        same_name.kind = ManufacturerName.Kind.CANONICAL
        save_audited(actor, same_name, 'The maker was renamed.')
    elif canonical is not None and canonical.normalised == normalise(maker.name):
        # Only the spelling changed (case, spacing, punctuation): nothing worth keeping.
        canonical.name = maker.name
        save_audited(actor, canonical, 'The maker was renamed.')
    else:
        if canonical is not None:
            canonical.kind = ManufacturerName.Kind.FORMER
            save_audited(actor, canonical, 'The maker was renamed.')
        new = ManufacturerName(
            manufacturer=maker, name=maker.name, kind=ManufacturerName.Kind.CANONICAL, source_url=maker.source_url
        )
        save_audited(actor, new, 'Canonical name of the maker.')


@transaction.atomic
def delete_manufacturer(actor, maker: Manufacturer) -> None:
    """Delete a maker with its names and relations, each audited; brands and designations must go first."""
    check(actor, may_edit_reference_data)
    if maker.brands.exists() or maker.made_for_brands.exists() or maker.designations.exists():
        raise ValidationError(_('%(maker)s still has brands or designations: remove those first.') % {'maker': maker})
    for name in maker.names.all():
        delete_audited(actor, name, f'The maker {maker} was deleted.')
    for relation in CorporateRelation.objects.filter(parent=maker) | CorporateRelation.objects.filter(child=maker):
        delete_audited(actor, relation, f'The maker {maker} was deleted.')
    delete_audited(actor, maker)


def _refuse_canonical(name: ManufacturerName) -> None:
    stored_kind = ManufacturerName.objects.filter(pk=name.pk).values_list('kind', flat=True).first()
    if ManufacturerName.Kind.CANONICAL in (name.kind, stored_kind):
        raise ValidationError(
            {'kind': _("The canonical name is the maker's own name: change it by editing the maker.")},
        )


@transaction.atomic
def save_name(actor, name: ManufacturerName, *, expected_version: int | None = None) -> ManufacturerName:
    """Save a legal, former or alias name of a maker (the canonical one follows the maker)."""
    check(actor, may_edit_reference_data)
    _refuse_canonical(name)
    return save_audited(actor, name, expected_version=expected_version)


@transaction.atomic
def delete_name(actor, name: ManufacturerName, *, expected_version: int | None = None) -> None:
    check(actor, may_edit_reference_data)
    _refuse_canonical(name)
    delete_audited(actor, name, expected_version=expected_version)


@transaction.atomic
def save_brand(actor, brand: Brand, *, expected_version: int | None = None) -> Brand:
    check(actor, may_edit_reference_data)
    if brand.pk is None:
        brand.slug = _unique_slug(Brand, brand.name)
    return save_audited(actor, brand, expected_version=expected_version)


@transaction.atomic
def save_relation(actor, relation: CorporateRelation, *, expected_version: int | None = None) -> CorporateRelation:
    check(actor, may_edit_reference_data)
    return save_audited(actor, relation, expected_version=expected_version)


@transaction.atomic
def delete_relation(actor, relation: CorporateRelation, *, expected_version: int | None = None) -> None:
    check(actor, may_edit_reference_data)
    delete_audited(actor, relation, expected_version=expected_version)


@transaction.atomic
def save_concern_list(actor, concern_list: ConcernList, *, expected_version: int | None = None) -> ConcernList:
    check(actor, may_edit_reference_data)
    if concern_list.slug in RESERVED_SLUGS:
        raise ValidationError(
            {'slug': _('"%(slug)s" is reserved: choose another short name.') % {'slug': concern_list.slug}}
        )
    return save_audited(actor, concern_list, expected_version=expected_version)


@transaction.atomic
def save_designation(actor, designation: Designation, *, expected_version: int | None = None) -> Designation:
    check(actor, may_edit_reference_data)
    return save_audited(actor, designation, expected_version=expected_version)


@transaction.atomic
def delete_designation(actor, designation: Designation, *, expected_version: int | None = None) -> None:
    check(actor, may_edit_reference_data)
    delete_audited(actor, designation, expected_version=expected_version)
