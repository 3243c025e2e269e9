from django.contrib import admin

from .models import Organisation, OrganisationGroup


@admin.register(OrganisationGroup)
class OrganisationGroupAdmin(admin.ModelAdmin):
    prepopulated_fields = {'slug': ('name',)}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ('name', 'kind', 'country')
    list_filter = ('kind', 'groups')
    search_fields = ('name',)
    prepopulated_fields = {'slug': ('name',)}
