"""Generic views every app's pages are built from, all starting from the model's `for_user()` scope."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from . import exports, pagination, permissions
from .audit import lock_at_version
from .forms import ConfirmForm, govuk_widgets
from .history import readable_history
from .languages import english
from .models import ObjectChange


class ScopedMixin(LoginRequiredMixin):
    """The queryset is the model's rows as the signed-in user may see them: others' rows 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


class ObjectListView(ScopedMixin, SingleTableMixin, FilterView):
    """A filterable, sortable, paginated table, exportable as CSV or XLSX with the same filters."""

    template_name = 'core/object_list.html'
    paginate_by = 50
    export_name = 'export'
    title = ''
    create_url_name = ''
    # Lists that grow with the national register page by cursor (core.pagination), not by page number.
    keyset = False

    def get_table(self, **kwargs):
        if not self.keyset:
            return super().get_table(**kwargs)
        table = self.get_table_class()(self.get_table_data(), **kwargs)
        # The request's sort orders the table's queryset (and marks the sorted column); the page is then
        # read from that order by cursor and put in place of the queryset: no OFFSET, no COUNT.
        RequestConfig(self.request, paginate=False).configure(table)
        table.keyset = pagination.page(table.data.data, self.request.GET.get('cursor'), self.paginate_by)
        table.data.data = table.keyset.rows
        return table

    def export_rows(self, queryset):
        """(headers, rows) for ?export=csv|xlsx; by default the table's own columns.

        The table is built with the page's own arguments, so a column the page hides from a user
        (e.g. campaigns' response counts from a body) is left out of the export as well.
        """
        table = self.get_table_class()(queryset, **self.get_table_kwargs())
        rows = (list(row) for row in table.as_values(exclude_columns=('actions',)))
        headers = [str(header) for header in next(rows)]  # as_values() gives the header row first
        return headers, rows

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get('export')
        if fmt in ('csv', 'xlsx'):
            filterset = self.get_filterset(self.get_filterset_class())
            # Exports keep English headers and values in either language, so they re-import unchanged.
            with english():
                headers, rows = self.export_rows(filterset.qs)
                return exports.download(fmt, self.export_name, headers, rows)
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ['core/table_partial.html']
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = self.title or gettext(capfirst(self.model._meta.verbose_name_plural))
        context['can_create'] = bool(self.create_url_name) and self.can_create()
        context['create_url_name'] = self.create_url_name
        query = self.request.GET.copy()
        query.pop('page', None)
        query.pop('cursor', None)
        context['export_query'] = query.urlencode()
        return context

    def can_create(self) -> bool:
        return False


class ObjectDetailView(ScopedMixin, DetailView):
    template_name = 'core/object_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        changes = ObjectChange.objects.for_user(user).for_object(self.object).select_related('content_type')
        context['history'] = readable_history(changes[:50], user)
        return context


class ActionFormView(LoginRequiredMixin, FormView):
    """A form whose valid submission is handed to an `actions` function.

    A `ValidationError` from the action is shown on the form, and the transaction the action
    ran in has already rolled back, so nothing is half-written.
    """

    template_name = 'core/object_form.html'
    success_message = ''

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        govuk_widgets(form)  # as the form finally is: its choices and help texts in the page's language
        return form

    def run_action(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.run_action(form)
        except ValidationError as exc:
            if hasattr(exc, 'error_dict'):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url(result))

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result=None):
        return result.get_absolute_url()


class ConfirmActionView(ActionFormView):
    """The one confirmation step before an action that cannot be undone (accept, close, publish, revoke, delete).

    GET says what will happen and what it affects; POST runs the action through its audited `actions`
    function. The page posts the version of the object it showed, and the action runs with that row locked
    at that version, so a change made in between is refused with the stale-record message rather than
    acted on unseen, even by an action that takes no version itself. A subclass finds its object (scoped,
    with its permission check) in `get_object`, says what will happen in `heading`, and acts in `confirmed`.
    """

    template_name = 'core/confirm_action.html'
    form_class = ConfirmForm
    heading = ''  # what will happen, as a question: 'Close the campaign Spring survey?'
    warning = ''  # why it cannot be undone; empty for an action that can be
    button_label = _('Continue')
    destructive = True  # a warning button: the action removes or ends something
    success_message = ''  # formatted with the object: 'Deleted {object}.'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        raise NotImplementedError

    def get_heading(self) -> str:
        return self.heading.format(object=self.object)

    def get_button_label(self) -> str:
        return self.button_label

    def affects(self) -> list[tuple[str, str]]:
        """(label, value) rows of what the action affects, shown as a summary list."""
        return []

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def get_initial(self):
        return {'version': getattr(self.object, 'version', None)}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # A record with a version must say which one was confirmed, or a stale confirmation could not be told.
        form.fields['version'].required = hasattr(self.object, 'version')
        return form

    def run_action(self, form):
        with transaction.atomic():
            lock_at_version(self.object, form.cleaned_data.get('version'))
            return self.confirmed(form)

    def confirmed(self, form):
        """Run the action (its `actions` function) now that the person has confirmed it."""
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message.format(object=self.object)

    def get_success_url(self, result=None):
        return self.get_cancel_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        heading = self.get_heading()
        context.update(
            object=self.object,
            title=heading,
            heading=heading,
            affects=self.affects(),
            warning=self.warning,
            button_label=self.get_button_label(),
            destructive=self.destructive,
            cancel_url=self.get_cancel_url(),
        )
        return context


class NameSearchView(ScopedMixin, View):
    """The names a search-as-you-type filter offers (core.filtersets.SearchableChoiceFilter): the
    first few the user may see that contain every word typed, as JSON."""

    LIMIT = 20

    def get(self, request, *args, **kwargs):
        names = self.get_queryset()
        for word in request.GET.get('q', '')[:200].split():
            names = names.filter(name__icontains=word)
        names = names.order_by('name').values_list('name', flat=True).distinct()[: self.LIMIT]
        return JsonResponse({'results': list(names)})


def get_scoped_or_404(model, user, **lookup):
    return get_object_or_404(model.objects.for_user(user), **lookup)


# Who may open a page: the predicates of core.permissions, asked before the page does anything.


def get_editable(model, user, **lookup):
    """The object a person is about to change: a 404 if they cannot see it (another body's), a 403 if they can
    see it but not change it (a viewer; regulator staff, for a body's data)."""
    obj = get_object_or_404(model.objects.for_user(user), **lookup)
    permissions.require(model.objects.editable_by(user).filter(pk=obj.pk).exists())
    return obj


class Require(LoginRequiredMixin):
    """A page for some signed-in people only. The anonymous are sent to sign in; whom `allowed()` refuses
    gets `refused_with`, before the page does anything. `allowed()` may fetch the page's object (a 404 for
    another body's)."""

    refused_with = PermissionDenied

    def allowed(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed():
            raise self.refused_with
        return super().dispatch(request, *args, **kwargs)


class RequireSeesEverything(Require):
    """Regulator staff's pages (campaigns, reviews of returns)."""

    def allowed(self) -> bool:
        return permissions.sees_everything(self.request.user)


class RequireReferenceEditor(Require):
    def allowed(self) -> bool:
        return permissions.may_edit_reference_data(self.request.user)


class RequireBodyEditor(Require):
    """Pages that add to the person's own body's data (new rows, uploads, tokens)."""

    def allowed(self) -> bool:
        return permissions.may_edit_body(self.request.user, self.request.user.organisation_id)


class HomeView(LoginRequiredMixin, TemplateView):
    """The overview: what each app shows there is its panel for 'home' (core.panels)."""

    template_name = 'core/home.html'


class StatementView(TemplateView):
    """A page of the footer (accessibility statement, privacy notice, cookies, contact): no sign-in needed."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['session_cookie'] = settings.SESSION_COOKIE_NAME
        context['session_hours'] = settings.SESSION_COOKIE_AGE // 3600
        context['csrf_cookie'] = settings.CSRF_COOKIE_NAME
        context['language_cookie'] = settings.LANGUAGE_COOKIE_NAME
        return context


def csrf_failure(request, reason=''):
    """A refused form, on the service's own page (Django's default renders it without the request's context)."""
    return render(request, '403_csrf.html', status=403)
