from django.urls import path, re_path

from .views import campaigns, invitations, questionnaires, reminders, returns, review

app_name = 'surveys'
urlpatterns = [
    path('', campaigns.CampaignListView.as_view(), name='campaign_list'),
    path('new/', campaigns.CampaignCreateView.as_view(), name='campaign_create'),
    path('import-returns/', campaigns.ReturnsImportView.as_view(), name='returns_import'),
    path('questionnaires/<slug:slug>/', questionnaires.QuestionnaireDetailView.as_view(), name='questionnaire_detail'),
    path(
        'questionnaires/<slug:slug>/new-version/',
        questionnaires.QuestionnaireVersionView.as_view(),
        name='questionnaire_new_version',
    ),
    path('i/<str:token>/', invitations.InvitationTokenView.as_view(), name='invitation_token'),
    path('invitations/<int:pk>/', invitations.InvitationDetailView.as_view(), name='invitation_detail'),
    path('invitations/<int:pk>/return/', returns.TaskListView.as_view(), name='return_edit'),
    path('invitations/<int:pk>/return/check/', returns.CheckAnswersView.as_view(), name='return_check'),
    path('invitations/<int:pk>/return/declaration/', returns.DeclarationView.as_view(), name='return_declare'),
    path('invitations/<int:pk>/return/submitted/', returns.SubmittedView.as_view(), name='return_submitted'),
    path('invitations/<int:pk>/return/line/', returns.ReturnLineView.as_view(), name='return_line'),
    path('invitations/<int:pk>/return/<slug:code>/', returns.SectionView.as_view(), name='return_section'),
    path('invitations/<int:pk>/workbook/', returns.WorkbookDownloadView.as_view(), name='return_workbook'),
    path('invitations/<int:pk>/upload/', returns.WorkbookUploadView.as_view(), name='return_upload'),
    path('invitations/<int:pk>/extend/', invitations.ExtendView.as_view(), name='invitation_extend'),
    path('invitations/<int:pk>/contacts/', invitations.ContactsView.as_view(), name='invitation_contacts'),
    path('invitations/<int:pk>/remind/', reminders.InvitationRemindView.as_view(), name='invitation_remind'),
    path('returns/<int:pk>/', review.ReturnDetailView.as_view(), name='return_detail'),
    path('returns/<int:pk>/query/', review.ReturnQueryView.as_view(), name='return_query'),
    path('returns/<int:pk>/accept/', review.ReturnAcceptView.as_view(), name='return_accept'),
    path('returns/<int:pk>/correct/', review.CorrectionCreateView.as_view(), name='return_correct'),
    path('<slug:slug>/', campaigns.CampaignDetailView.as_view(), name='campaign_detail'),
    path('<slug:slug>/edit/', campaigns.CampaignEditView.as_view(), name='campaign_edit'),
    path('<slug:slug>/export/', campaigns.CampaignExportView.as_view(), name='campaign_export'),
    path('<slug:slug>/corrections/', campaigns.CorrectionListView.as_view(), name='campaign_corrections'),
    path('<slug:slug>/close/', campaigns.CampaignCloseView.as_view(), name='campaign_close'),
    path(
        '<slug:slug>/remind-outstanding/',
        reminders.CampaignRemindOutstandingView.as_view(),
        name='campaign_remind_outstanding',
    ),
    re_path(
        r'^(?P<slug>[-\w]+)/(?P<command>open|send|remind)/$',
        campaigns.CampaignCommandView.as_view(),
        name='campaign_command',
    ),
]
