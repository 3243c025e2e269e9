from django.urls import path

from . import views

app_name = 'policy'
urlpatterns = [
    path('', views.PolicyView.as_view(), name='policy'),
    path('national-exposure/', views.ExposureView.as_view(), name='exposure'),
    path('<slug:slug>/', views.PolicyView.as_view(), name='body'),
    path('<slug:slug>/unit-costs/', views.UnitCostsView.as_view(), name='unit_costs'),
    path('<slug:slug>/settings/', views.PolicySettingsView.as_view(), name='settings'),
    path(
        '<slug:slug>/lines/<int:line>/rules/<slug:rule_set>/<slug:rule>/decision/',
        views.DecisionView.as_view(),
        name='decision',
    ),
]
