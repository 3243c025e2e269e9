from oversight.core.views import ObjectDetailView, ObjectListView

from .models import EquipmentLine, Site, System
from .tables import EquipmentLineTable, SiteTable


class EquipmentLineListView(ObjectListView):
    model = EquipmentLine
    table_class = EquipmentLineTable
    filterset_fields = ['concern']
    export_name = 'register'
    title = 'Equipment register'


class EquipmentLineDetailView(ObjectDetailView):
    model = EquipmentLine


class SiteListView(ObjectListView):
    model = Site
    table_class = SiteTable
    filterset_fields = ['sensitive']
    export_name = 'sites'


class SiteDetailView(ObjectDetailView):
    model = Site


class SystemDetailView(ObjectDetailView):
    model = System
