"""The public transparency pages (compliance/public.py): no sign-in, published pages only."""

from django.urls import path

from . import public

app_name = 'transparency'
urlpatterns = [
    path('', public.TransparencyListView.as_view(), name='list'),
    path('<slug:slug>/', public.TransparencyPageView.as_view(), name='body'),
]
