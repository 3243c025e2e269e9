from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import compliance, discovery, findings, identification, jobs, organisations, policy, register, surveys, views
from .base import AUTHENTICATION


class RootView(DefaultRouter.APIRootView):
    authentication_classes = AUTHENTICATION


class Router(DefaultRouter):
    # One URL per endpoint: no ".json" suffix variants.
    include_format_suffixes = False
    APIRootView = RootView


router = Router()
router.register('organisations', organisations.OrganisationViewSet, basename='organisation')
router.register('organisation-groups', organisations.OrganisationGroupViewSet, basename='organisationgroup')
router.register('register/sites', register.SiteViewSet, basename='site')
router.register('register/systems', register.SystemViewSet, basename='system')
router.register('register/equipment', register.EquipmentLineViewSet, basename='equipmentline')
router.register('register/imports', register.ImportBatchViewSet, basename='importbatch')
router.register('questionnaires', surveys.QuestionnaireViewSet, basename='questionnaire')
router.register('campaigns', surveys.CampaignViewSet, basename='campaign')
router.register('invitations', surveys.InvitationViewSet, basename='invitation')
router.register('returns', surveys.ReturnViewSet, basename='return')
router.register('reports', findings.ReportVersionViewSet, basename='reportversion')
router.register('discovery/scans', discovery.ScanViewSet, basename='scan')
router.register('discovery/devices', discovery.DeviceViewSet, basename='discovereddevice')
router.register('jobs', jobs.JobViewSet, basename='job')
router.register('compliance/governance', compliance.GovernanceViewSet, basename='governance')
router.register('compliance/assessments', compliance.AssessmentViewSet, basename='assessment')
router.register('compliance/evidence', compliance.EvidenceViewSet, basename='evidence')
router.register('compliance/transparency', compliance.TransparencyViewSet, basename='transparency')
router.register('compliance/review-tasks', compliance.ReviewTaskViewSet, basename='reviewtask')
router.register('policy/obligations', policy.ObligationViewSet, basename='obligation')

app_name = 'api'
urlpatterns = [
    path('schema/', views.SchemaView.as_view(), name='schema'),
    path('docs/', views.DocsView.as_view(), name='docs'),
    path('token/', views.TokenView.as_view(), name='token'),
    path('token/replace/', views.TokenReplaceView.as_view(), name='token_replace'),
    path('token/revoke/', views.TokenRevokeView.as_view(), name='token_revoke'),
    path('identify/', identification.IdentifyView.as_view(), name='identify'),
    path('campaigns/<slug:slug>/findings/', findings.FindingsView.as_view(), name='findings'),
    path('policy/exposure/', policy.ExposureView.as_view(), name='exposure'),
    path('', include(router.urls)),
]
