"""Django admin for staff, read-only: bodies' registers are changed by their own editors, through the
audited actions behind the register's pages and imports."""

from django.contrib import admin

from .models import EquipmentLine, ImportBatch, Site, System


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ('name', 'organisation', 'kind', 'sensitive')
    list_filter = ('kind', 'sensitive', 'organisation')
    search_fields = ('name', 'address', 'postcode')


@admin.register(System)
class SystemAdmin(ReadOnlyAdmin):
    list_display = ('name', 'organisation', 'category')
    list_filter = ('category', 'organisation')
    search_fields = ('name',)


@admin.register(EquipmentLine)
class EquipmentLineAdmin(ReadOnlyAdmin):
    list_display = ('manufacturer_declared', 'model', 'quantity', 'organisation', 'site', 'made_by', 'concern')
    list_filter = ('concern', 'system__category', 'organisation')
    list_select_related = ('organisation', 'site', 'made_by')
    search_fields = ('manufacturer_declared', 'brand', 'model', 'serial_number', 'mac_address')


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ('filename', 'kind', 'organisation', 'user', 'created', 'status')
    list_filter = ('kind', 'status', 'organisation')
    exclude = ('content',)
