from django.apps import apps
from django.conf import settings
from django.urls import reverse

from .permissions import May


def navigation(request):
    """The service navigation, worked out once a request for the person signed in: every template rendered with
    the request runs the context processors, a table's template cells too (50 a register page, 38 ms)."""
    user = getattr(request, 'user', None)
    person = getattr(user, 'pk', None)
    held = getattr(request, '_navigation', None)
    if held is None or held[0] != person:
        held = request._navigation = (person, _navigation(request))
    return held[1]


def _navigation(request):
    """The service navigation, gathered from each app's `navigation` entries (see CONTRIBUTING.md).

    An app's first entry is its section in the service navigation; further entries are pages of that
    section, listed under the service navigation on its pages. Apps whose `navigation_place` is 'account'
    (the person's account, their tasks) sit with "Sign out" in the header, so the service navigation keeps
    to one row.
    """
    user = getattr(request, 'user', None)  # absent on a request refused before authentication (e.g. a 400)
    if user is None or not user.is_authenticated:
        return {'nav_items': [], 'account_items': [], 'section_items': [], 'nav_section': ''}
    configs = sorted(
        (c for c in apps.get_app_configs() if getattr(c, 'navigation', None)), key=lambda c: c.navigation_order
    )
    namespace = getattr(request.resolver_match, 'namespace', '')
    sections, account, section_items, current = [], [], [], ''
    for config in configs:
        entries = [{'label': label, 'url': reverse(url_name)} for label, url_name in config.navigation]
        if getattr(config, 'navigation_place', 'service') == 'account':
            account += [{**entry, 'active': request.path.startswith(entry['url'])} for entry in entries]
            continue
        here = bool(namespace) and config.navigation[0][1].partition(':')[0] == namespace
        sections.append({**entries[0], 'active': here})
        if here:
            current = entries[0]['label']
            if len(entries) > 1:
                # The longest matching address wins, so "Sites" (/register/sites/) does not also light "Register".
                matching = [e for e in entries if request.path.startswith(e['url'])]
                chosen = max(matching, key=lambda e: len(e['url'])) if matching else None
                section_items = [{**e, 'active': e is chosen} for e in entries]
    return {'nav_items': sections, 'account_items': account, 'section_items': section_items, 'nav_section': current}


def service(request):
    """Who runs this Oversight service, for the footer and the statements it links to."""
    return {'operator': settings.OVERSIGHT_OPERATOR}


def permissions(request):
    """`may`: what the signed-in person may do, from `core.permissions`, so templates never work out roles."""
    return {'may': May(getattr(request, 'user', None))}
