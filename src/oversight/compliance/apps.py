from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = 'oversight.compliance'
    label = 'compliance'
    verbose_name = 'Compliance with the Surveillance Camera Code'
    navigation = [
        (_('Compliance'), 'compliance:governance_list'),
        (_('Guiding principles'), 'compliance:principle_list'),
        (_('To do'), 'compliance:task_list'),
        (_('Transparency page'), 'compliance:transparency'),
    ]
    navigation_order = 36
    # Panels this app adds to other apps' detail pages (core.panels): the register's system page shows the
    # system's governance record without the register knowing this app exists; a return's page, the
    # governance kept with the return at submission.
    panels = {
        'register.System': 'oversight.compliance.panels.system_panel',
        'surveys.Return': 'oversight.compliance.panels.return_panel',
    }
    # What keeps a system in the register (core.holds): its self-assessments, a group assessment covering it, and
    # its evidence files. The register asks before deleting a system and does not import this app.
    holds = {'register.System': 'oversight.compliance.models.holds_on_system'}

    def ready(self):
        # Review triggers from the lower apps, which send signals and do not know this app (compliance.reviews).
        from oversight.discovery.signals import scan_reconciled
        from oversight.register.signals import cameras_changed

        from . import reviews

        cameras_changed.connect(reviews.cameras_changed, dispatch_uid='compliance.cameras_changed')
        scan_reconciled.connect(reviews.scan_reconciled, dispatch_uid='compliance.scan_reconciled')
