from oversight.core.views import ObjectDetailView, ObjectListView

from .models import Brand, ConcernList, Manufacturer
from .tables import ManufacturerTable


class ManufacturerListView(ObjectListView):
    model = Manufacturer
    table_class = ManufacturerTable
    filterset_fields = ['country']
    export_name = 'makers'
    title = 'Makers'


class ManufacturerDetailView(ObjectDetailView):
    model = Manufacturer


class BrandDetailView(ObjectDetailView):
    model = Brand


class ConcernListDetailView(ObjectDetailView):
    model = ConcernList
