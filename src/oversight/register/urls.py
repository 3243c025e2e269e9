from django.urls import path

from oversight.core.views import NameSearchView

from . import views
from .forms import EquipmentLineForm, SiteForm, SystemForm
from .models import EquipmentLine, ImportBatch, Site, System

app_name = 'register'
urlpatterns = [
    path('', views.EquipmentLineListView.as_view(), name='equipment_list'),
    path(
        'equipment/new/',
        views.CreateView.as_view(model=EquipmentLine, form_class=EquipmentLineForm),
        name='equipment_create',
    ),
    path('equipment/<int:pk>/', views.EquipmentLineDetailView.as_view(), name='equipment_detail'),
    path(
        'equipment/<int:pk>/edit/',
        views.EditView.as_view(model=EquipmentLine, form_class=EquipmentLineForm),
        name='equipment_edit',
    ),
    path('equipment/<int:pk>/delete/', views.DeleteView.as_view(model=EquipmentLine), name='equipment_delete'),
    path('import/', views.ImportUploadView.as_view(kind=ImportBatch.Kind.EQUIPMENT), name='equipment_import'),
    path(
        'import/template.<str:fmt>',
        views.ImportTemplateView.as_view(kind=ImportBatch.Kind.EQUIPMENT),
        name='equipment_import_template',
    ),
    path('sites/', views.SiteListView.as_view(), name='site_list'),
    path('sites/names/', NameSearchView.as_view(model=Site), name='site_names'),
    path('sites/new/', views.CreateView.as_view(model=Site, form_class=SiteForm), name='site_create'),
    path('sites/<int:pk>/', views.SiteDetailView.as_view(), name='site_detail'),
    path('sites/<int:pk>/edit/', views.EditView.as_view(model=Site, form_class=SiteForm), name='site_edit'),
    path('sites/<int:pk>/delete/', views.DeleteView.as_view(model=Site), name='site_delete'),
    path('sites/import/', views.ImportUploadView.as_view(kind=ImportBatch.Kind.SITES), name='site_import'),
    path(
        'sites/import/template.<str:fmt>',
        views.ImportTemplateView.as_view(kind=ImportBatch.Kind.SITES),
        name='site_import_template',
    ),
    path('systems/', views.SystemListView.as_view(), name='system_list'),
    path('systems/names/', NameSearchView.as_view(model=System), name='system_names'),
    path('systems/new/', views.CreateView.as_view(model=System, form_class=SystemForm), name='system_create'),
    path('systems/<int:pk>/', views.SystemDetailView.as_view(), name='system_detail'),
    path('systems/import/', views.ImportUploadView.as_view(kind=ImportBatch.Kind.SYSTEMS), name='system_import'),
    path(
        'systems/import/template.<str:fmt>',
        views.ImportTemplateView.as_view(kind=ImportBatch.Kind.SYSTEMS),
        name='system_import_template',
    ),
    path('systems/<int:pk>/edit/', views.EditView.as_view(model=System, form_class=SystemForm), name='system_edit'),
    path('systems/<int:pk>/delete/', views.DeleteView.as_view(model=System), name='system_delete'),
    path('imports/<int:pk>/', views.ImportPreviewView.as_view(), name='import_preview'),
    path('imports/<int:pk>/commit/', views.ImportCommitView.as_view(), name='import_commit'),
    path('imports/<int:pk>/discard/', views.ImportDiscardView.as_view(), name='import_discard'),
]
