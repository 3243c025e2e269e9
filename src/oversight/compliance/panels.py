"""What this app shows on other apps' pages, through the panel registry (core.panels, apps.py `panels`)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from oversight.core.permissions import sees_everything
from oversight.register.models import Category, System

from .models import DPIA_STATUS, Governance


def system_panel(request, system) -> str:
    """The system's governance record in brief, on the register's system page."""
    context = {
        'system': system,
        'record': Governance.objects.for_user(request.user).with_status().filter(system=system).first(),
    }
    return render_to_string('compliance/system_panel.html', context, request=request)


def return_panel(request, survey_return) -> str:
    """The governance records kept with a submitted return (compliance.governance.snapshot, or rebuilt from the
    audit trail), on the return's page, for regulator staff reviewing it: as they stood then, not as they are
    now, and how they were obtained (`governance_basis`)."""
    if survey_return.submitted_at is None or not sees_everything(request.user):
        return ''
    ids = [entry['system'] for entry in survey_return.governance]
    names = dict(System.objects.for_user(request.user).filter(pk__in=ids).values_list('pk', 'name'))
    steps, uses = dict(Governance.CertificationStep.choices), dict(Governance.FacialRecognition.choices)
    rows = []
    for entry in survey_return.governance:
        name = names.get(entry['system']) or _('System %(id)s (no longer in the register)') % {'id': entry['system']}
        open_actions = sum(entry['open_actions'].values())
        rows.append(
            {
                'system': f'{name} ({Category(entry["category"]).label})',
                'recorded': entry['recorded'],
                'dpia': DPIA_STATUS[entry['dpia']][0],
                'certification': steps.get(entry['certified_step'], _('Not certified')),
                'self_assessed': entry['self_assessed'],
                'open_actions': open_actions,
                'facial_recognition': uses.get(entry['facial_recognition'], ''),
            }
        )
    context = {'rows': rows, 'basis': survey_return.governance_basis, 'as_of': survey_return.governance_as_of}
    return render_to_string('compliance/return_governance.html', context, request=request)
