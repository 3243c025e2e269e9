from oversight.core.views import ObjectDetailView, ObjectListView

from .filtersets import OrganisationFilterSet
from .models import Organisation
from .tables import OrganisationTable


class OrganisationListView(ObjectListView):
    model = Organisation
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    export_name = 'organisations'


class OrganisationDetailView(ObjectDetailView):
    model = Organisation
    template_name = 'organisations/organisation_detail.html'
