from django.urls import path

from . import views

app_name = 'vendors'
urlpatterns = [
    path('', views.ManufacturerListView.as_view(), name='manufacturer_list'),
    path('resolve/', views.ResolveView.as_view(), name='resolve'),
    path('makers/add/', views.ManufacturerEditView.as_view(), name='manufacturer_add'),
    path('makers/<slug:slug>/', views.ManufacturerDetailView.as_view(), name='manufacturer_detail'),
    path('makers/<slug:slug>/edit/', views.ManufacturerEditView.as_view(), name='manufacturer_edit'),
    path('makers/<slug:slug>/names/add/', views.NameEditView.as_view(), name='name_add'),
    path('makers/<slug:slug>/relations/add/', views.RelationEditView.as_view(), name='relation_add'),
    path('names/<int:pk>/edit/', views.NameEditView.as_view(), name='name_edit'),
    path('names/<int:pk>/delete/', views.NameDeleteView.as_view(), name='name_delete'),
    path('relations/<int:pk>/edit/', views.RelationEditView.as_view(), name='relation_edit'),
    path('relations/<int:pk>/delete/', views.RelationDeleteView.as_view(), name='relation_delete'),
    path('brands/', views.BrandListView.as_view(), name='brand_list'),
    path('brands/add/', views.BrandEditView.as_view(), name='brand_add'),
    path('brands/<slug:slug>/', views.BrandDetailView.as_view(), name='brand_detail'),
    path('brands/<slug:slug>/edit/', views.BrandEditView.as_view(), name='brand_edit'),
    path('concern-lists/', views.ConcernListListView.as_view(), name='concernlist_list'),
    path('concern-lists/add/', views.ConcernListEditView.as_view(), name='concernlist_add'),
    path('concern-lists/<slug:slug>/', views.ConcernListDetailView.as_view(), name='concernlist_detail'),
    path('concern-lists/<slug:slug>/edit/', views.ConcernListEditView.as_view(), name='concernlist_edit'),
    path('concern-lists/<slug:slug>/designations/add/', views.DesignationEditView.as_view(), name='designation_add'),
    path('designations/<int:pk>/edit/', views.DesignationEditView.as_view(), name='designation_edit'),
    path('designations/<int:pk>/delete/', views.DesignationDeleteView.as_view(), name='designation_delete'),
]
