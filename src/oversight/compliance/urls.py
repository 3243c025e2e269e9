from django.urls import path

from . import views

app_name = 'compliance'
urlpatterns = [
    path('', views.GovernanceListView.as_view(), name='governance_list'),
    path('systems/<int:pk>/', views.GovernanceDetailView.as_view(), name='governance_detail'),
    path('principles/', views.PrincipleListView.as_view(), name='principle_list'),
    path('systems/<int:pk>/edit/', views.GovernanceEditView.as_view(), name='governance_edit'),
    path('systems/<int:pk>/evidence/add/', views.EvidenceAddView.as_view(), name='evidence_add'),
    path('evidence/<int:pk>/download/', views.EvidenceDownloadView.as_view(), name='evidence_download'),
    path('evidence/<int:pk>/delete/', views.EvidenceDeleteView.as_view(), name='evidence_delete'),
    path('systems/<int:pk>/assessments/start/', views.AssessmentStartView.as_view(), name='assessment_start'),
    path('assessments/<int:pk>/', views.AssessmentDetailView.as_view(), name='assessment_detail'),
    path('assessments/<int:pk>/principles/<int:number>/', views.AnswerView.as_view(), name='assessment_answer'),
    path(
        'assessments/<int:pk>/principles/<int:number>/actions/add/',
        views.PlanActionAddView.as_view(),
        name='assessment_plan_add',
    ),
    path(
        'assessments/<int:pk>/actions/<int:action>/',
        views.PlanActionChangeView.as_view(),
        name='assessment_plan_change',
    ),
    path('assessments/<int:pk>/systems/', views.AssessmentGroupView.as_view(), name='assessment_group'),
    path('assessments/<int:pk>/freeze/', views.AssessmentFreezeView.as_view(), name='assessment_freeze'),
    path('assessments/<int:pk>/discard/', views.AssessmentDiscardView.as_view(), name='assessment_discard'),
    path('to-do/', views.TaskListView.as_view(), name='task_list'),
    path('to-do/all-bodies/', views.TaskCountsView.as_view(), name='task_counts'),
    path('to-do/<int:pk>/', views.TaskDetailView.as_view(), name='task_detail'),
    path('to-do/<int:pk>/resolve/', views.TaskResolveView.as_view(), name='task_resolve'),
    path('assessments/<int:pk>/publish/', views.AssessmentPublishView.as_view(), name='assessment_publish'),
    path('assessments/<int:pk>/withdraw/', views.AssessmentUnpublishView.as_view(), name='assessment_unpublish'),
    path('transparency/', views.TransparencyView.as_view(), name='transparency'),
    path('transparency/publish/', views.TransparencyPublishView.as_view(), name='transparency_publish'),
    path('transparency/withdraw/', views.TransparencyUnpublishView.as_view(), name='transparency_unpublish'),
]
