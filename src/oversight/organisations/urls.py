from django.urls import path

from . import views

app_name = 'organisations'
urlpatterns = [
    path('', views.OrganisationListView.as_view(), name='organisation_list'),
    path('names/', views.BodyNamesView.as_view(), name='body_names'),
    path('add/', views.OrganisationCreateView.as_view(), name='organisation_create'),
    path('import/', views.OrganisationImportView.as_view(), name='organisation_import'),
    path('import/preview/', views.OrganisationImportPreviewView.as_view(), name='organisation_import_preview'),
    path('groups/', views.GroupListView.as_view(), name='group_list'),
    path('groups/add/', views.GroupCreateView.as_view(), name='group_create'),
    path('groups/<slug:slug>/', views.GroupDetailView.as_view(), name='group_detail'),
    path('groups/<slug:slug>/members/add/', views.GroupAddMembersView.as_view(), name='group_add_members'),
    path(
        'groups/<slug:slug>/members/<slug:organisation>/remove/',
        views.GroupRemoveMemberView.as_view(),
        name='group_member_remove',
    ),
    path('<slug:slug>/language/', views.OrganisationLanguageView.as_view(), name='organisation_language'),
    path('<slug:slug>/', views.OrganisationDetailView.as_view(), name='organisation_detail'),
]
