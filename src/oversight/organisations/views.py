from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from oversight.core.dates import govuk_date
from oversight.core.permissions import may_edit_reference_data, require
from oversight.core.spreadsheets import SpreadsheetError, read_upload
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    NameSearchView,
    ObjectDetailView,
    ObjectListView,
    RequireReferenceEditor,
    get_scoped_or_404,
)

from . import actions
from .filtersets import OrganisationFilterSet, OrganisationGroupFilterSet
from .forms import AddMembersForm, GroupForm, ImportForm, LanguageForm, OrganisationForm
from .imports import plan_import
from .models import Organisation, OrganisationGroup
from .tables import MemberTable, OrganisationGroupTable, OrganisationTable

IMPORT_SESSION_KEY = 'organisations_import'


class BodyNamesView(NameSearchView):
    """Names of the overseen bodies, for the body filters of pages across thousands of them."""

    model = Organisation

    def get_queryset(self):
        return super().get_queryset().bodies()


class OrganisationListView(ObjectListView):
    model = Organisation
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    export_name = 'organisations'
    template_name = 'organisations/organisation_list.html'
    create_url_name = 'organisations:organisation_create'

    def get_queryset(self):
        return super().get_queryset().prefetch_related('groups')

    def can_create(self) -> bool:
        return may_edit_reference_data(self.request.user)


class OrganisationDetailView(ObjectDetailView):
    model = Organisation
    template_name = 'organisations/organisation_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['groups'] = OrganisationGroup.objects.for_user(self.request.user).filter(organisations=self.object)
        return context


class OrganisationCreateView(RequireReferenceEditor, ActionFormView):
    form_class = OrganisationForm
    extra_context = {'title': _('Add an organisation'), 'submit_label': _('Add organisation')}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user}

    def run_action(self, form):
        organisation = actions.create_organisation(self.request.user, **form.cleaned_data)
        messages.success(self.request, _('%(organisation)s added.') % {'organisation': organisation})
        return organisation


class OrganisationLanguageView(RequireReferenceEditor, ActionFormView):
    """The language an organisation's invitations and reminders are written in."""

    form_class = LanguageForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(may_edit_reference_data(request.user))  # a body's user is refused before anything is looked up
            self.organisation = get_scoped_or_404(Organisation, request.user, slug=kwargs['slug'])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {'preferred_language': self.organisation.preferred_language}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Language of the emails to %(organisation)s') % {'organisation': self.organisation},
            submit_label=_('Save'),
            **kwargs,
        )

    def run_action(self, form):
        organisation = actions.set_preferred_language(
            self.request.user, self.organisation, form.cleaned_data['preferred_language']
        )
        messages.success(
            self.request,
            _('%(organisation)s will get its emails in %(preferred_language)s.')
            % {'organisation': organisation, 'preferred_language': organisation.get_preferred_language_display()},
        )
        return organisation

    def get_success_url(self, result=None):
        return self.organisation.get_absolute_url()


class GroupListView(ObjectListView):
    model = OrganisationGroup
    table_class = OrganisationGroupTable
    filterset_class = OrganisationGroupFilterSet
    export_name = 'organisation-groups'
    title = _('Organisation groups')
    create_url_name = 'organisations:group_create'

    def get_queryset(self):
        # Members are counted within the user's scope: a body counts only itself.
        visible = Organisation.objects.for_user(self.request.user)
        return (
            super()
            .get_queryset()
            .annotate(member_count=Count('organisations', filter=Q(organisations__in=visible)))
            .order_by('name')
        )

    def can_create(self) -> bool:
        return may_edit_reference_data(self.request.user)


class GroupDetailView(ObjectDetailView):
    model = OrganisationGroup
    template_name = 'organisations/group_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = Organisation.objects.for_user(self.request.user).filter(groups=self.object)
        may_manage = may_edit_reference_data(self.request.user)
        context['members'] = MemberTable(members, group=self.object, can_manage=may_manage, request=self.request)
        return context


class GroupCreateView(RequireReferenceEditor, ActionFormView):
    form_class = GroupForm
    extra_context = {'title': _('Add an organisation group'), 'submit_label': _('Add group')}

    def run_action(self, form):
        group = actions.create_group(self.request.user, **form.cleaned_data)
        messages.success(self.request, _('Group "%(group)s" added. Now add its members.') % {'group': group})
        return group


class GroupAddMembersView(RequireReferenceEditor, ActionFormView):
    form_class = AddMembersForm
    template_name = 'organisations/group_add_members.html'

    @cached_property
    def group(self):
        return get_scoped_or_404(OrganisationGroup, self.request.user, slug=self.kwargs['slug'])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user, 'group': self.group}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.group, title=_('Add organisations to %(group)s') % {'group': self.group}, **kwargs
        )

    def run_action(self, form):
        joined = actions.add_members(self.request.user, self.group, form.cleaned_data['organisations'])
        messages.success(
            self.request,
            ngettext(
                '%(count)s organisation added to %(group)s.', '%(count)s organisations added to %(group)s.', joined
            )
            % {'count': joined, 'group': self.group},
        )
        return self.group


class GroupRemoveMemberView(RequireReferenceEditor, ConfirmActionView):
    """Take a body out of a group, after confirming: the group's campaigns and findings stop including it."""

    button_label = _('Remove from the group')

    def get_object(self):
        self.group = get_scoped_or_404(OrganisationGroup, self.request.user, slug=self.kwargs['slug'])
        members = Organisation.objects.for_user(self.request.user).filter(groups=self.group)
        return get_object_or_404(members, slug=self.kwargs['organisation'])

    def get_heading(self):
        return _('Remove %(organisation)s from %(group)s?') % {'organisation': self.object, 'group': self.group}

    def affects(self):
        return [(_('Group'), str(self.group)), (_('Members after this'), f'{self.group.organisations.count() - 1:,}')]

    def confirmed(self, form):
        actions.remove_member(self.request.user, self.group, self.object)

    def get_success_message(self, result):
        return _('%(organisation)s removed from %(group)s.') % {'organisation': self.object, 'group': self.group}

    def get_cancel_url(self):
        return self.group.get_absolute_url()


class OrganisationImportView(RequireReferenceEditor, FormView):
    """Step 1: upload a spreadsheet; every problem is listed, or the user goes on to the preview."""

    form_class = ImportForm
    template_name = 'organisations/organisation_import.html'

    def form_valid(self, form):
        upload = form.cleaned_data['file']
        try:
            sheet = read_upload(upload.name, upload.read())
        except SpreadsheetError as exc:
            form.add_error('file', str(exc))
            return self.form_invalid(form)
        user = self.request.user
        source = f'Imported from {upload.name} by {user.username} on {govuk_date(timezone.localdate())}'
        plan = plan_import(sheet.headers, sheet.rows, source)
        if plan.problems:
            return self.render_to_response(self.get_context_data(form=form, problems=plan.problems, file=upload.name))
        self.request.session[IMPORT_SESSION_KEY] = {
            'file': upload.name,
            'headers': sheet.headers,
            'rows': sheet.rows,
            'source': source,
        }
        return redirect('organisations:organisation_import_preview')


class OrganisationImportPreviewView(RequireReferenceEditor, TemplateView):
    """Step 2: what the import will do; confirming writes all of it in one transaction, or nothing."""

    template_name = 'organisations/organisation_import_preview.html'

    def pending(self):
        pending = self.request.session.get(IMPORT_SESSION_KEY)
        if pending is not None:
            pending['rows'] = [(number, row) for number, row in pending['rows']]
        return pending

    def get(self, request, *args, **kwargs):
        pending = self.pending()
        if pending is None:
            return redirect('organisations:organisation_import')
        plan = plan_import(pending['headers'], pending['rows'], pending['source'])
        return self.render_to_response(self.get_context_data(plan=plan, file=pending['file']))

    def post(self, request, *args, **kwargs):
        pending = self.pending()
        if pending is None:
            return redirect('organisations:organisation_import')
        plan = actions.import_organisations(request.user, pending['headers'], pending['rows'], pending['source'])
        if plan.problems:
            # The database changed since the preview: show why nothing was written.
            return self.render_to_response(self.get_context_data(plan=plan, file=pending['file']))
        del request.session[IMPORT_SESSION_KEY]
        messages.success(
            request,
            f'Imported {pending["file"]}: {len(plan.new_organisations)} organisations added, '
            f'{len(plan.new_groups)} groups created, {plan.memberships} group memberships added.',
        )
        return redirect(reverse('organisations:organisation_list'))
