from django.urls import path

from . import health, views

app_name = 'core'
urlpatterns = [
    path('', views.HomeView.as_view(), name='home'),
    # Answered by health.ProbeMiddleware ahead of the host check; named here so they are classified and reversible.
    path('healthz', health.healthz, name='healthz'),
    path('readyz', health.readyz, name='readyz'),
    path('metrics', health.metrics, name='metrics'),
    # The statements every public-sector service links from its footer; open to everyone, signed in or not.
    path('accessibility/', views.StatementView.as_view(template_name='core/accessibility.html'), name='accessibility'),
    path('privacy/', views.StatementView.as_view(template_name='core/privacy.html'), name='privacy'),
    path('cookies/', views.StatementView.as_view(template_name='core/cookies.html'), name='cookies'),
    path('contact/', views.StatementView.as_view(template_name='core/contact.html'), name='contact'),
]
