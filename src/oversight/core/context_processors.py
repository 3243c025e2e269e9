from django.apps import apps
from django.urls import reverse


def navigation(request):
    """The service navigation, gathered from each app's `navigation` entries (see CONTRIBUTING.md)."""
    if not request.user.is_authenticated:
        return {'nav_items': []}
    configs = sorted(
        (c for c in apps.get_app_configs() if getattr(c, 'navigation', None)), key=lambda c: c.navigation_order
    )
    items = []
    for config in configs:
        for label, url_name in config.navigation:
            url = reverse(url_name)
            items.append({'label': label, 'url': url, 'active': request.path.startswith(url) and url != '/'})
    # The longest matching prefix wins, so "Sites" (/register/sites/) does not also light "Register".
    active = [i for i in items if i['active']]
    if len(active) > 1:
        keep = max(active, key=lambda i: len(i['url']))
        for item in active:
            item['active'] = item is keep
    return {'nav_items': items}
