from django.urls import path

from . import views

app_name = 'register'
urlpatterns = [
    path('', views.EquipmentLineListView.as_view(), name='equipment_list'),
    path('equipment/<int:pk>/', views.EquipmentLineDetailView.as_view(), name='equipment_detail'),
    path('sites/', views.SiteListView.as_view(), name='site_list'),
    path('sites/<int:pk>/', views.SiteDetailView.as_view(), name='site_detail'),
    path('systems/<int:pk>/', views.SystemDetailView.as_view(), name='system_detail'),
]
