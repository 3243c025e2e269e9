"""What this app shows on other apps' pages, through the panel registry (core.panels, apps.py `panels`)."""

from django.template.loader import render_to_string
from django.utils import timezone

from oversight.register.models import EquipmentLine

from .evaluation import evaluate_register


def equipment_line_panel(request, line) -> str:
    """Why the line matters: the policy obligations and known exploited vulnerabilities that apply to it."""
    evaluation = evaluate_register(
        EquipmentLine.objects.for_user(request.user).filter(pk=line.pk), request.user, timezone.localdate()
    )
    context = {
        'obligations': evaluation.obligations,
        'vulnerabilities': [m.match for m in evaluation.vulnerabilities],
    }
    return render_to_string('policy/line_panel.html', context, request=request)
