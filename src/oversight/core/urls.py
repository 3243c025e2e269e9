from django.urls import path

from . import views

app_name = 'core'
urlpatterns = [
    path('', views.HomeView.as_view(), name='home'),
    # The statements every public-sector service links from its footer; open to everyone, signed in or not.
    path('accessibility/', views.StatementView.as_view(template_name='core/accessibility.html'), name='accessibility'),
    path('privacy/', views.StatementView.as_view(template_name='core/privacy.html'), name='privacy'),
    path('cookies/', views.StatementView.as_view(template_name='core/cookies.html'), name='cookies'),
    path('contact/', views.StatementView.as_view(template_name='core/contact.html'), name='contact'),
]
