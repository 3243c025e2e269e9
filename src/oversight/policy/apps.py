from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = 'oversight.policy'
    label = 'policy'
    verbose_name = 'Policy obligations'
    # Service navigation entries: (label, URL name), shown in this order among apps.
    navigation = [(_('Policy'), 'policy:policy')]
    navigation_order = 35
    # The obligations and vulnerabilities of a line, on the register's line page (core.panels).
    panels = {'register.EquipmentLine': 'oversight.policy.panels.equipment_line_panel'}

    def ready(self):
        from oversight.core.audit import changes_recorded

        changes_recorded.connect(_register_changed, dispatch_uid='policy-stored-pages')


def _register_changed(sender, **kwargs):
    # The evaluation's modules load with the first audited write, not with every command (about 30 ms).
    from .stored import register_changed

    register_changed(sender, **kwargs)
