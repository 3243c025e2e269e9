from django.urls import path

from . import views

# Signing in, out, password reset, email verification and second factors are django-allauth's pages,
# included beside these under accounts/ (oversight/urls.py).
app_name = 'accounts'
urlpatterns = [
    path('', views.AccountView.as_view(), name='account'),
    path('sso/', views.SingleSignOnView.as_view(), name='sso'),
    path('users/', views.UserListView.as_view(), name='user_list'),
    path('users/<int:pk>/', views.UserDetailView.as_view(), name='user_detail'),
    path('users/<int:pk>/reset-second-factor/', views.SecondFactorResetView.as_view(), name='second_factor_reset'),
]
