from django.urls import path

from . import views

app_name = 'policy'
urlpatterns = [
    path('', views.PolicyView.as_view(), name='policy'),
    path('<slug:slug>/', views.PolicyView.as_view(), name='body'),
    path('<slug:slug>/unit-costs/', views.UnitCostsView.as_view(), name='unit_costs'),
    path('<slug:slug>/settings/', views.PolicySettingsView.as_view(), name='settings'),
]
