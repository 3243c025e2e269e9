from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = 'oversight.compliance'
    label = 'compliance'
    verbose_name = 'Compliance with the Surveillance Camera Code'
    navigation = [
        (_('Compliance'), 'compliance:governance_list'),
        (_('Guiding principles'), 'compliance:principle_list'),
        (_('Transparency page'), 'compliance:transparency'),
    ]
    navigation_order = 36
    # Panels this app adds to other apps' detail pages (core.panels): the register's system page shows the
    # system's governance record without the register knowing this app exists.
    panels = {'register.System': 'oversight.compliance.panels.system_panel'}
