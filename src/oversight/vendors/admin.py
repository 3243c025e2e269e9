"""Django admin for staff: every save and delete goes through the same audited actions as the pages."""

from django.contrib import admin
from django.db import models

from oversight.core.forms import ASSUME_HTTPS

from . import actions
from .models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName

# Sources typed without a scheme are https, as on the pages.
HTTPS_SOURCES = {models.URLField: ASSUME_HTTPS}


class AuditedAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_SOURCES
    save = None  # staticmethod(actions.save_*)
    remove = None  # staticmethod(actions.delete_*), or None when the model is not deleted here

    def save_model(self, request, obj, form, change):
        self.save(request.user, obj)

    def delete_model(self, request, obj):
        self.remove(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.remove(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.remove is not None and super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown on their parent's page; each is added and changed on its own admin page,
    through the audited action."""

    formfield_overrides = HTTPS_SOURCES  # the add page still builds the inline's empty form
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NameInline(ReadOnlyInline):
    model = ManufacturerName
    fields = ('name', 'kind', 'source_url')


@admin.register(Manufacturer)
class ManufacturerAdmin(AuditedAdmin):
    save, remove = staticmethod(actions.save_manufacturer), staticmethod(actions.delete_manufacturer)
    list_display = ('name', 'country', 'website')
    list_filter = ('country',)
    search_fields = ('name', 'names__name')
    fields = ('name', 'country', 'website', 'source_url', 'notes')
    inlines = [NameInline]


@admin.register(ManufacturerName)
class ManufacturerNameAdmin(AuditedAdmin):
    save, remove = staticmethod(actions.save_name), staticmethod(actions.delete_name)
    list_display = ('name', 'manufacturer', 'kind')
    list_filter = ('kind',)
    search_fields = ('name', 'manufacturer__name')
    autocomplete_fields = ('manufacturer',)
    fields = ('manufacturer', 'name', 'kind', 'source_url')

    # The canonical name follows the maker's name: it is changed by editing the maker.
    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == 'kind':
            kwargs['choices'] = [c for c in db_field.choices if c[0] != ManufacturerName.Kind.CANONICAL]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return _not_canonical(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _not_canonical(obj) and super().has_delete_permission(request, obj)


def _not_canonical(name) -> bool:
    return name is None or name.kind != ManufacturerName.Kind.CANONICAL


@admin.register(Brand)
class BrandAdmin(AuditedAdmin):
    save = staticmethod(actions.save_brand)
    list_display = ('name', 'kind', 'owner', 'made_by', 'confidence')
    list_filter = ('kind', 'confidence')
    search_fields = ('name',)
    autocomplete_fields = ('owner', 'made_by')
    fields = ('name', 'kind', 'owner', 'made_by', 'confidence', 'evidence', 'source_url', 'notes')


@admin.register(CorporateRelation)
class CorporateRelationAdmin(AuditedAdmin):
    save, remove = staticmethod(actions.save_relation), staticmethod(actions.delete_relation)
    list_display = ('child', 'kind', 'parent', 'since', 'until')
    list_filter = ('kind',)
    autocomplete_fields = ('parent', 'child')


class DesignationInline(ReadOnlyInline):
    model = Designation
    fields = ('manufacturer', 'date', 'scope', 'reason', 'source_url')


@admin.register(ConcernList)
class ConcernListAdmin(AuditedAdmin):
    save = staticmethod(actions.save_concern_list)
    list_display = ('name', 'slug', 'authority', 'jurisdiction', 'date', 'covers_affiliates')
    search_fields = ('name', 'slug', 'authority')
    inlines = [DesignationInline]


@admin.register(Designation)
class DesignationAdmin(AuditedAdmin):
    save, remove = staticmethod(actions.save_designation), staticmethod(actions.delete_designation)
    list_display = ('manufacturer', 'concern_list', 'date', 'reason')
    list_filter = ('concern_list', 'reason')
    search_fields = ('manufacturer__name',)
    autocomplete_fields = ('manufacturer',)
