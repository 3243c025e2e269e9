"""What the register shows on other apps' pages, through the panel registry (core.panels, apps.py `panels`)."""

from django.template.loader import render_to_string

from .models import EquipmentLine, Site


def home_panel(request, obj=None) -> str:
    """The overview's counts of the register the user may see."""
    user = request.user
    lines = EquipmentLine.objects.for_user(user)
    context = {
        'site_count': Site.objects.for_user(user).count(),
        'line_count': lines.count(),
        'device_count': lines.total_devices(),
        'concern_device_count': lines.of_concern().total_devices(),
    }
    return render_to_string('register/home_panel.html', context, request=request)
