from django.urls import path, re_path

from . import views

app_name = 'findings'
TABLE = r'tables/(?P<name>[-a-z]+)\.(?P<fmt>csv|xlsx)$'
urlpatterns = [
    path('', views.ReportListView.as_view(), name='report_list'),
    path('new/', views.ReportCreateView.as_view(), name='report_create'),
    path('<slug:slug>/', views.ReportView.as_view(), name='report'),
    path('<slug:slug>/edit/', views.ReportEditView.as_view(), name='report_edit'),
    path('<slug:slug>/publish/', views.PublishView.as_view(), name='report_publish'),
    path('<slug:slug>/draft.pdf', views.DraftPdfView.as_view(), name='draft_pdf'),
    re_path(r'^(?P<slug>[-\w]+)/' + TABLE, views.DraftTableView.as_view(), name='draft_table'),
    path('<slug:slug>/v<int:number>/', views.VersionView.as_view(), name='version'),
    path('<slug:slug>/v<int:number>/withdraw/', views.WithdrawView.as_view(), name='version_withdraw'),
    path('<slug:slug>/v<int:number>/report.pdf', views.VersionPdfView.as_view(), name='version_pdf'),
    path('<slug:slug>/v<int:number>/report.cy.pdf', views.VersionPdfView.as_view(welsh=True), name='version_pdf_cy'),
    re_path(r'^(?P<slug>[-\w]+)/v(?P<number>\d+)/' + TABLE, views.VersionTableView.as_view(), name='version_table'),
]
