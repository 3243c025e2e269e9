from django.urls import path

from . import views

app_name = 'vendors'
urlpatterns = [
    path('', views.ManufacturerListView.as_view(), name='manufacturer_list'),
    path('makers/<slug:slug>/', views.ManufacturerDetailView.as_view(), name='manufacturer_detail'),
    path('brands/<slug:slug>/', views.BrandDetailView.as_view(), name='brand_detail'),
    path('concern-lists/<slug:slug>/', views.ConcernListDetailView.as_view(), name='concernlist_detail'),
]
