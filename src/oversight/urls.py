from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path('', include('oversight.core.urls')),
    path('accounts/', include('oversight.accounts.urls')),
    path('accounts/', include('allauth.urls')),
    path('organisations/', include('oversight.organisations.urls')),
    path('vendors/', include('oversight.vendors.urls')),
    path('register/', include('oversight.register.urls')),
    path('identification/', include('oversight.identification.urls')),
    path('surveys/', include('oversight.surveys.urls')),
    path('findings/', include('oversight.findings.urls')),
    # Published findings for everyone, without sign-in (findings/public.py).
    path('publications/', include('oversight.findings.public_urls')),
    # Bodies' transparency pages, published by their choice, for everyone without sign-in (compliance/public.py).
    path('transparency/', include('oversight.compliance.public_urls')),
    path('policy/', include('oversight.policy.urls')),
    path('compliance/', include('oversight.compliance.urls')),
    path('discovery/', include('oversight.discovery.urls')),
    path('tasks/', include('oversight.jobs.urls')),
    path('api/', include('oversight.api.urls')),
    path('admin/', admin.site.urls),
]
