from django.urls import path

from . import health, views

app_name = 'core'
urlpatterns = [
    path('', views.HomeView.as_view(), name='home'),
    # Answered by health.ProbeMiddleware ahead of the host check; named here so they are classified and reversible.
    path('healthz', health.healthz, name='healthz'),
    path('readyz', health.readyz, name='readyz'),
    path('metrics', health.metrics, name='metrics'),
]
