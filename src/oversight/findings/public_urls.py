"""The public addresses of published findings (findings/public.py): no sign-in, published versions only."""

from django.urls import path, re_path

from . import public

app_name = 'publications'
VERSION = r'^(?P<slug>[-\w]+)/v(?P<number>\d+)/'
urlpatterns = [
    path('', public.PublicationListView.as_view(), name='publication_list'),
    path('feed.atom', public.PublicationFeed(), name='feed'),
    path('<slug:slug>/', public.LatestPublicationView.as_view(), name='latest'),
    path('<slug:slug>/v<int:number>/', public.PublicationView.as_view(), name='publication'),
    path('<slug:slug>/v<int:number>/report/', public.PublicReportView.as_view(), name='report'),
    path('<slug:slug>/v<int:number>/report.pdf', public.PublicPdfView.as_view(), name='pdf'),
    path('<slug:slug>/v<int:number>/report.cy.pdf', public.PublicPdfView.as_view(welsh=True), name='pdf_cy'),
    re_path(VERSION + r'tables/(?P<name>[-a-z]+)\.(?P<fmt>csv|xlsx)$', public.PublicTableView.as_view(), name='table'),
    re_path(
        VERSION + r'tables/(?P<name>[-a-z]+)\.csv-metadata\.json$', public.TableMetadataView.as_view(), name='metadata'
    ),
]
