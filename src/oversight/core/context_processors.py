from django.urls import reverse


def navigation(request):
    """The service navigation, by what the signed-in user may see."""
    user = request.user
    if not user.is_authenticated:
        return {'nav_items': []}
    items = [
        ('Register', reverse('register:equipment_list'), 'register'),
        ('Sites', reverse('register:site_list'), 'register/sites'),
        ('Makers', reverse('vendors:manufacturer_list'), 'vendors'),
        ('Organisations', reverse('organisations:organisation_list'), 'organisations'),
    ]
    path = request.path
    return {
        'nav_items': [{'label': label, 'url': url, 'active': path.startswith(url)} for label, url, _key in items],
    }
