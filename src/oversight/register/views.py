"""The register's pages. Thin: scope from `for_user()`, writes through `actions`.

Another body's object is a 404 (the scoped lookup comes first); a user who may see an object but
not change it (a viewer, the regulator) gets a 403 on every write URL.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, View
from django_tables2 import RequestConfig

from oversight.core import exports
from oversight.core.dates import govuk_datetime
from oversight.core.forms import VersionedForm
from oversight.core.permissions import may_edit_body, sees_everything
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    ObjectDetailView,
    ObjectListView,
    Require,
    RequireBodyEditor,
    get_editable,
)
from oversight.jobs.actions import queue_register_import, refuse_while_importing
from oversight.vendors.concerns import ConcernIndex
from oversight.vendors.models import Designation

from . import actions
from .exports import equipment_rows, site_rows
from .filtersets import EquipmentLineFilterSet, SiteFilterSet, SystemFilterSet
from .forms import UploadForm
from .imports import IMPORTERS, read_batch
from .models import Category, EquipmentLine, ImportBatch, Site, System
from .tables import EquipmentLineTable, SiteTable, SystemTable


class RegisterListView(ObjectListView):
    """A register table: the organisation column is for those who see every body."""

    keyset = True

    def get_queryset(self):
        return super().get_queryset().as_listed()

    def get_table_kwargs(self):
        return {} if sees_everything(self.request.user) else {'exclude': ('organisation',)}

    def can_create(self) -> bool:
        return may_edit_body(self.request.user, self.request.user.organisation_id)


class EquipmentLineListView(RegisterListView):
    model = EquipmentLine
    table_class = EquipmentLineTable
    filterset_class = EquipmentLineFilterSet
    template_name = 'register/equipment_list.html'
    export_name = 'register'
    title = _('Equipment register')
    create_url_name = 'register:equipment_create'

    def export_rows(self, queryset):
        return equipment_rows(queryset, with_organisation=sees_everything(self.request.user))


class SiteListView(RegisterListView):
    model = Site
    table_class = SiteTable
    filterset_class = SiteFilterSet
    template_name = 'register/site_list.html'
    export_name = 'sites'
    create_url_name = 'register:site_create'

    def export_rows(self, queryset):
        return site_rows(queryset, with_organisation=sees_everything(self.request.user))


class SystemListView(RegisterListView):
    model = System
    table_class = SystemTable
    filterset_class = SystemFilterSet
    template_name = 'register/system_list.html'
    export_name = 'systems'
    create_url_name = 'register:system_create'


class RegisterDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['model_name'] = self.model._meta.model_name
        return context


class EquipmentLineDetailView(RegisterDetailView):
    model = EquipmentLine
    template_name = 'register/equipment_detail.html'

    def get_queryset(self):
        return super().get_queryset().as_listed()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same index the line's concern was worked out with, so affiliates' designations show too.
        concerns = ConcernIndex.from_db()
        makers = dict.fromkeys(str(m) for m in (self.object.manufacturer, self.object.made_by) if m)
        context['designations'] = [
            {'designated': d, 'reason': Designation.Reason(d.reason).label}
            for maker in makers
            for d in concerns.designations(maker)
        ]
        return context


class EquipmentHolderDetailView(RegisterDetailView):
    """A site or a system: its details, device counts by category, and the equipment in it."""

    template_name = 'register/holder_detail.html'
    line_filter = ''

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = EquipmentLine.objects.for_user(self.request.user).filter(**{self.line_filter: self.object})
        by_category = lines.values('system__category').annotate(lines=Count('pk'), devices=Sum('quantity'))
        context['counts'] = [
            {'category': Category(row['system__category']).label, 'lines': row['lines'], 'devices': row['devices']}
            for row in by_category.order_by('system__category')
        ]
        context['device_count'] = lines.total_devices()
        context['concern_device_count'] = lines.of_concern().total_devices()
        table = EquipmentLineTable(
            lines.select_related('site', 'system', 'manufacturer', 'made_by'),
            exclude=('organisation', self.line_filter),
        )
        context['table'] = RequestConfig(self.request, paginate={'per_page': 50}).configure(table)
        context['table_label'] = _('Equipment')
        return context


class SiteDetailView(EquipmentHolderDetailView):
    model = Site
    line_filter = 'site'


class SystemDetailView(EquipmentHolderDetailView):
    model = System
    line_filter = 'system'


# Writes


# What the register's pages call each kind of object, in the page's language.
NOUN = {Site: _('Site'), System: _('System'), EquipmentLine: _('Equipment line')}
ADD_TITLE = {Site: _('Add site'), System: _('Add system'), EquipmentLine: _('Add equipment line')}


class RegisterFormView(Require, ActionFormView):
    """Create or edit one register object; only the body's editors get past `allowed`."""

    model = None
    is_create = False

    def allowed(self) -> bool:
        user = self.request.user
        if self.is_create:
            self.object = None
            return may_edit_body(user, user.organisation_id)
        self.object = get_editable(self.model, user, pk=self.kwargs['pk'])
        return True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if issubclass(self.form_class, VersionedForm):
            kwargs['user'] = self.request.user
            kwargs['instance'] = self.object or self.model(organisation=self.request.user.organisation)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['object'] = self.object
        context['title'] = ADD_TITLE[self.model] if self.is_create else _('Edit %(name)s') % {'name': self.object}
        return context


class CreateView(RegisterFormView):
    is_create = True

    def run_action(self, form):
        create = {Site: actions.create_site, System: actions.create_system, EquipmentLine: actions.create_line}
        return create[self.model](self.request.user, self.request.user.organisation, **form.model_values())


class EditView(RegisterFormView):
    def run_action(self, form):
        update = {Site: actions.update_site, System: actions.update_system, EquipmentLine: actions.update_line}
        return update[self.model](self.request.user, self.object, form.cleaned_data['version'], **form.model_values())


class DeleteView(ConfirmActionView):
    """Delete a site, system or line after confirming; only the body's editors get past `get_object`."""

    model = None
    heading = _('Delete {object}?')
    warning = _('The deletion is recorded in the history, but the record itself is gone and cannot be restored.')
    button_label = _('Delete')
    success_message = _('Deleted {object}.')
    list_url = {Site: 'register:site_list', System: 'register:system_list', EquipmentLine: 'register:equipment_list'}

    def get_object(self):
        return get_editable(self.model, self.request.user, pk=self.kwargs['pk'])

    def affects(self):
        rows = [(NOUN[self.model], str(self.object)), (_('Body'), str(self.object.organisation))]
        if self.model is EquipmentLine:
            rows += [(NOUN[Site], str(self.object.site)), (NOUN[System], str(self.object.system))]
        return rows

    def confirmed(self, form):
        delete = {Site: actions.delete_site, System: actions.delete_system, EquipmentLine: actions.delete_line}
        delete[self.model](self.request.user, self.object, form.cleaned_data['version'])

    def get_success_url(self, result=None):
        return reverse(self.list_url[self.model])


# Imports

_template_download = {
    ImportBatch.Kind.EQUIPMENT: 'register:equipment_import_template',
    ImportBatch.Kind.SITES: 'register:site_import_template',
    ImportBatch.Kind.SYSTEMS: 'register:system_import_template',
}
_upload_title = {
    ImportBatch.Kind.EQUIPMENT: _('Import equipment lines'),
    ImportBatch.Kind.SITES: _('Import sites'),
    ImportBatch.Kind.SYSTEMS: _('Import systems'),
}
_upload_page = {
    ImportBatch.Kind.EQUIPMENT: 'register:equipment_import',
    ImportBatch.Kind.SITES: 'register:site_import',
    ImportBatch.Kind.SYSTEMS: 'register:system_import',
}


class ImportUploadView(RequireBodyEditor, ActionFormView):
    """Upload a register file; it is kept as a batch and previewed before anything is written."""

    form_class = UploadForm
    template_name = 'register/import_upload.html'
    kind = ImportBatch.Kind.EQUIPMENT

    def run_action(self, form):
        upload = form.cleaned_data['file']
        content = upload.read()
        refuse_while_importing(self.request.user.organisation, content)
        return actions.upload_import(self.request.user, self.request.user.organisation, self.kind, upload.name, content)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['kind'] = self.kind
        context['columns'] = IMPORTERS[self.kind].columns
        context['template_url'] = _template_download[self.kind]
        context['title'] = _upload_title[self.kind]
        batches = ImportBatch.objects.for_user(self.request.user).filter(kind=self.kind)
        # The files and their kept plans stay in the database: the list shows names and counts only.
        context['batches'] = batches.defer('content', 'planned_rows')[:10]
        return context


class ImportBatchMixin(Require):
    """An import in progress is its body's editors' working papers."""

    def allowed(self) -> bool:
        self.batch = get_editable(ImportBatch, self.request.user, pk=self.kwargs['pk'])
        return True


class ImportPreviewView(ImportBatchMixin, DetailView):
    """The first problems and how many there are, or the counts and a page of what the import would write.

    Read from the plan kept with the upload: a page never reads the file again, and never shows the
    whole of a large file at once.
    """

    template_name = 'register/import_preview.html'
    context_object_name = 'batch'
    per_page = 100

    def get_object(self, queryset=None):
        return self.batch

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch
        if batch.status == ImportBatch.Status.PENDING:
            plan = read_batch(batch)
            rows = Paginator(range(plan.to_write), self.per_page).get_page(self.request.GET.get('page'))
            context['plan'] = plan
            context['page'] = rows
            context['rows'] = plan.page(rows.number, self.per_page, actions=('create', 'update'))
            context['earlier'] = ImportBatch.objects.for_user(self.request.user).same_file_imported(batch)
        context['noun'] = IMPORTERS[batch.kind].noun
        context['upload_page'] = _upload_page[batch.kind]
        return context


class ImportCommitView(ImportBatchMixin, View):
    """Queue the import: it runs in a worker, and the person follows it on the task's page."""

    def post(self, request, pk):
        try:
            job = queue_register_import(request.user, self.batch, request.POST.get('fingerprint', ''))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(self.batch.get_absolute_url())
        messages.success(
            request,
            _('Importing %(filename)s: this page follows it until it is done.') % {'filename': self.batch.filename},
        )
        return HttpResponseRedirect(job.get_absolute_url())


class ImportDiscardView(ImportBatchMixin, ConfirmActionView):
    """Discard an uploaded file unimported, after confirming."""

    heading = _('Discard {object.filename}?')
    button_label = _('Discard this file')
    warning = _('A discarded file cannot be imported: to import it later, upload it again.')

    def get_object(self):
        return self.batch

    def affects(self):
        rows = (self.batch.plan or {}).get('rows')
        return [
            (_('File'), self.batch.filename),
            (_('Kind'), gettext(self.batch.get_kind_display())),
            *([(_('Rows of data'), f'{rows:,}')] if rows is not None else []),
            (_('Uploaded'), govuk_datetime(self.batch.created)),
        ]

    def confirmed(self, form):
        actions.discard_import(self.request.user, self.batch)

    def get_success_message(self, result):
        return f'Discarded {self.batch.filename}: nothing was imported.'

    def get_success_url(self, result=None):
        return reverse(_upload_page[self.batch.kind])


class ImportTemplateView(LoginRequiredMixin, View):
    """A blank file whose header row is exactly the import's columns."""

    kind = ImportBatch.Kind.EQUIPMENT

    def get(self, request, fmt):
        if fmt not in ('csv', 'xlsx'):
            raise Http404
        name = f'{self.kind}-import-template'
        return exports.download(fmt, name, IMPORTERS[self.kind].columns, [])
