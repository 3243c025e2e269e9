"""What this app shows on other apps' pages, through the panel registry (core.panels, apps.py `panels`)."""

from django.template.loader import render_to_string

from .models import Governance


def system_panel(request, system) -> str:
    """The system's governance record in brief, on the register's system page."""
    context = {
        'system': system,
        'record': Governance.objects.for_user(request.user).with_status().filter(system=system).first(),
    }
    return render_to_string('compliance/system_panel.html', context, request=request)
