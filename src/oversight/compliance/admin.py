"""Django admin for staff, read-only: governance records are changed by their bodies' editors, through the
audited action behind the governance pages."""

from django.contrib import admin

from oversight.register.admin import ReadOnlyAdmin

from .models import Governance


@admin.register(Governance)
class GovernanceAdmin(ReadOnlyAdmin):
    list_display = ('system', 'dpia_review_due', 'certification_step', 'certification_expires', 'facial_recognition')
    list_filter = ('certification_step', 'certification_body', 'facial_recognition')
    search_fields = ('system__name', 'purpose')
