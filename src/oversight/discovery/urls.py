from django.urls import path

from . import views

app_name = 'discovery'
urlpatterns = [
    path('', views.ScanListView.as_view(), name='scan_list'),
    path('scans/upload/', views.ScanUploadView.as_view(), name='scan_upload'),
    path('scans/<int:pk>/', views.ScanDetailView.as_view(), name='scan_detail'),
    path('scans/<int:pk>/reconcile/', views.ReconcileView.as_view(), name='scan_reconcile'),
    path('devices/<int:pk>/', views.DeviceDetailView.as_view(), name='device_detail'),
    path('devices/<int:pk>/accept/', views.AcceptDeviceView.as_view(), name='device_accept'),
    path('tokens/', views.TokenListView.as_view(), name='token_list'),
    path('tokens/new/', views.TokenCreateView.as_view(), name='token_create'),
    path('tokens/<int:pk>/revoke/', views.TokenRevokeView.as_view(), name='token_revoke'),
    path('api/scans/', views.upload_api, name='upload_api'),
]
