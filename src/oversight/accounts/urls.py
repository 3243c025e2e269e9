from django.urls import path

from . import views

# Signing in, out, password reset, email verification and second factors are django-allauth's pages,
# included beside these under accounts/ (oversight/urls.py). "Your sessions" is at allauth.usersessions'
# own address, sessions/, which this page takes over (it adds ending one session, and last use).
app_name = 'accounts'
urlpatterns = [
    path('', views.AccountView.as_view(), name='account'),
    path('sso/', views.SingleSignOnView.as_view(), name='sso'),
    path('sessions/', views.SessionsView.as_view(), name='sessions'),
    path('sessions/sign-out-others/', views.EndSessionsView.as_view(), name='sessions_end_others'),
    path('sessions/<int:pk>/sign-out/', views.EndSessionsView.as_view(), name='session_end'),
    path('invitation/<str:key>/', views.InvitationView.as_view(), name='invitation'),
    path('people/', views.PeopleView.as_view(), name='people'),
    path('people/invite/', views.InviteView.as_view(), name='invite'),
    path('users/', views.UserListView.as_view(), name='user_list'),
    path('users/<int:pk>/', views.UserDetailView.as_view(), name='user_detail'),
    path('users/<int:pk>/role/', views.RoleChangeView.as_view(), name='role_change'),
    path('users/<int:pk>/deactivate/', views.DeactivateView.as_view(), name='deactivate'),
    path('users/<int:pk>/reactivate/', views.ReactivateView.as_view(), name='reactivate'),
    path('users/<int:pk>/resend-invitation/', views.ResendInvitationView.as_view(), name='resend_invitation'),
    path('users/<int:pk>/reset-second-factor/', views.SecondFactorResetView.as_view(), name='second_factor_reset'),
]
