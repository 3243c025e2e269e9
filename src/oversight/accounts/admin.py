from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import SingleSignOn, User


@admin.register(User)
class OversightUserAdmin(UserAdmin):
    list_display = ('username', 'email', 'organisation', 'role', 'is_active')
    list_filter = ('role', 'is_active', 'organisation')
    fieldsets = (*UserAdmin.fieldsets, ('Organisation', {'fields': ('organisation', 'role')}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ('Organisation', {'fields': ('organisation', 'role')}))


@admin.register(SingleSignOn)
class SingleSignOnAdmin(admin.ModelAdmin):
    list_display = ('organisation', 'app', 'email_domains')
