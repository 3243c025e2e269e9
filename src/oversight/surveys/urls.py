from django.urls import path, re_path

from . import views

app_name = 'surveys'
urlpatterns = [
    path('', views.CampaignListView.as_view(), name='campaign_list'),
    path('new/', views.CampaignCreateView.as_view(), name='campaign_create'),
    path('import-returns/', views.ReturnsImportView.as_view(), name='returns_import'),
    path('questionnaires/<slug:slug>/', views.QuestionnaireDetailView.as_view(), name='questionnaire_detail'),
    path(
        'questionnaires/<slug:slug>/new-version/',
        views.QuestionnaireVersionView.as_view(),
        name='questionnaire_new_version',
    ),
    path('i/<str:token>/', views.InvitationTokenView.as_view(), name='invitation_token'),
    path('invitations/<int:pk>/', views.InvitationDetailView.as_view(), name='invitation_detail'),
    path('invitations/<int:pk>/return/', views.ReturnEditView.as_view(), name='return_edit'),
    path('invitations/<int:pk>/return/line/', views.ReturnLineView.as_view(), name='return_line'),
    path('invitations/<int:pk>/workbook/', views.WorkbookDownloadView.as_view(), name='return_workbook'),
    path('invitations/<int:pk>/upload/', views.WorkbookUploadView.as_view(), name='return_upload'),
    path('invitations/<int:pk>/extend/', views.ExtendView.as_view(), name='invitation_extend'),
    path('invitations/<int:pk>/contacts/', views.ContactsView.as_view(), name='invitation_contacts'),
    path('returns/<int:pk>/', views.ReturnDetailView.as_view(), name='return_detail'),
    path('returns/<int:pk>/query/', views.ReturnQueryView.as_view(), name='return_query'),
    path('returns/<int:pk>/accept/', views.ReturnAcceptView.as_view(), name='return_accept'),
    path('returns/<int:pk>/correct/', views.CorrectionCreateView.as_view(), name='return_correct'),
    path('<slug:slug>/', views.CampaignDetailView.as_view(), name='campaign_detail'),
    path('<slug:slug>/edit/', views.CampaignEditView.as_view(), name='campaign_edit'),
    path('<slug:slug>/export/', views.CampaignExportView.as_view(), name='campaign_export'),
    path('<slug:slug>/corrections/', views.CorrectionListView.as_view(), name='campaign_corrections'),
    path('<slug:slug>/close/', views.CampaignCloseView.as_view(), name='campaign_close'),
    re_path(
        r'^(?P<slug>[-\w]+)/(?P<command>open|send|remind)/$',
        views.CampaignCommandView.as_view(),
        name='campaign_command',
    ),
]
