"""Campaign pages: the list, a campaign and its returns, creating and changing one, its commands and exports,
and the corrections recorded to its returns."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django_tables2 import RequestConfig

from oversight.core import exports
from oversight.core.permissions import require, sees_everything
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    ObjectListView,
    RequireSeesEverything,
    get_scoped_or_404,
)
from oversight.jobs.actions import queue_invitations, queue_reminders, queue_returns_import

from ..actions.campaigns import close_campaign, create_campaign, open_campaign, update_campaign
from ..filtersets import CampaignFilterSet, CorrectionFilterSet, InvitationFilterSet
from ..forms import CampaignForm, NewCampaignForm, ReturnsImportForm
from ..interchange import COLUMNS, export_rows
from ..models import Campaign, Correction, Invitation, Questionnaire, Return
from ..snapshots import campaign_returns
from ..statistics import response_statistics
from ..tables import CampaignTable, CorrectionTable, InvitationTable


class CampaignListView(ObjectListView):
    model = Campaign
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    template_name = 'surveys/campaign_list.html'
    export_name = 'campaigns'
    title = _('Survey campaigns')
    create_url_name = 'surveys:campaign_create'

    def get_queryset(self):
        invited = Invitation.objects.filter(campaign=OuterRef('pk')).values('campaign').annotate(n=Count('pk'))
        responded = (
            Return.objects.filter(campaign=OuterRef('pk'), submitted_at__isnull=False)
            .values('campaign')
            .annotate(n=Count('pk'))
        )
        return (
            super()
            .get_queryset()
            .annotate(invited=Subquery(invited.values('n')), responded=Subquery(responded.values('n')))
        )

    def get_table_kwargs(self):
        return {} if sees_everything(self.request.user) else {'exclude': ('invited', 'responded')}

    def can_create(self) -> bool:
        return sees_everything(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['questionnaires'] = Questionnaire.objects.for_user(self.request.user)
        if not sees_everything(self.request.user):
            context['invitations'] = (
                Invitation.objects.for_user(self.request.user)
                .select_related('campaign')
                .order_by('-campaign__year', 'campaign__title')
            )
        return context


class CampaignDetailView(LoginRequiredMixin, TemplateView):
    """The regulator's dashboard of a campaign; a body sees its own invitation to it."""

    template_name = 'surveys/campaign_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = get_scoped_or_404(Campaign, user, slug=kwargs['slug'])
        context.update(campaign=campaign, title=str(campaign))
        if not sees_everything(user):
            context['invitation'] = Invitation.objects.for_user(user).filter(campaign=campaign).first()
            return context
        invitations = (
            campaign.invitations.select_related('organisation', 'campaign', 'survey_return')
            .with_lateness()
            .annotate(reminder_count=Count('reminders'))
            .order_by('organisation__name')
        )
        filterset = InvitationFilterSet(self.request.GET or None, queryset=invitations)
        table = InvitationTable(filterset.qs if filterset.is_bound else invitations)
        RequestConfig(self.request, paginate={'per_page': 100}).configure(table)
        context.update(
            statistics=response_statistics(campaign),
            table=table,
            filter=filterset,
            corrections=Correction.objects.filter(survey_return__campaign=campaign).count(),
        )
        return context


class CampaignCreateView(RequireSeesEverything, ActionFormView):
    form_class = NewCampaignForm
    success_message = _('Campaign created as a draft. Open it when its dates and questionnaire are right.')

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_('New survey campaign'), submit_label=_('Create campaign'), **kwargs)

    def run_action(self, form):
        return create_campaign(self.request.user, **form.values())


class CampaignEditView(ActionFormView):
    form_class = CampaignForm
    success_message = _('Campaign saved.')

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = get_scoped_or_404(Campaign, request.user, slug=kwargs['slug'])
            require(sees_everything(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'instance': Campaign.objects.get(pk=self.campaign.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_('Edit %(campaign)s') % {'campaign': self.campaign}, **kwargs)

    def run_action(self, form):
        campaign = Campaign.objects.get(pk=self.campaign.pk)
        return update_campaign(
            self.request.user, campaign, expected_version=form.cleaned_data.get('version'), **form.values()
        )


class ReturnsImportView(RequireSeesEverything, ActionFormView):
    """The regulator loads returns from an interchange file: checked and written by a worker, all or nothing."""

    form_class = ReturnsImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_('Import returns from an interchange file'), **kwargs)

    def run_action(self, form):
        recipients = form.cleaned_data.get('recipients')
        upload = form.cleaned_data['file']
        job = queue_returns_import(
            self.request.user,
            form.cleaned_data['campaign'],
            upload.read(),
            recipients=recipients.read() if recipients else None,
            file_name=upload.name,
        )
        messages.success(
            self.request, _('Importing %(name)s: this page follows it until it is done.') % {'name': upload.name}
        )
        return job


class CampaignCommandView(LoginRequiredMixin, View):
    """Open a campaign, or send its invitations or the reminders due (POST)."""

    def post(self, request, slug, command):
        campaign = get_scoped_or_404(Campaign, request.user, slug=slug)
        require(sees_everything(request.user))
        try:
            if command == 'open':
                open_campaign(request.user, campaign)
                messages.success(
                    request, _('%(campaign)s is open: its questionnaire is now frozen.') % {'campaign': campaign}
                )
            else:  # emails are sent by a worker; the task's page follows them
                send = queue_invitations if command == 'send' else queue_reminders
                job = send(request.user, campaign)
                messages.success(
                    request,
                    _('%(description)s: this page follows it until it is done.')
                    % {'description': job.shown_description},
                )
                return HttpResponseRedirect(job.get_absolute_url())
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
        return HttpResponseRedirect(campaign.get_absolute_url())


class CampaignCloseView(ConfirmActionView):
    heading = _('Close {object}?')
    button_label = _('Close the campaign')
    warning = _('A closed campaign cannot be opened again: bodies that have not submitted can no longer do so.')
    success_message = _('{object} is closed.')

    def get_object(self):
        campaign = get_scoped_or_404(Campaign, self.request.user, slug=self.kwargs['slug'])
        require(sees_everything(self.request.user))
        return campaign

    def affects(self):
        outstanding = self.object.invitations.filter(status__in=Invitation.OUTSTANDING)
        return [(_('Campaign'), str(self.object)), (_('Bodies that have not submitted'), str(outstanding.count()))]

    def confirmed(self, form):
        return close_campaign(self.request.user, self.object)


class CampaignExportView(LoginRequiredMixin, View):
    """The campaign's returns as an interchange CSV (docs/interchange.md), as corrected or as published."""

    def get(self, request, slug):
        campaign = get_scoped_or_404(Campaign, request.user, slug=slug)
        require(sees_everything(request.user))
        as_published = request.GET.get('as') == 'published'
        rows = export_rows(campaign_returns(campaign, as_published=as_published))
        name = f'{campaign.slug}-returns' + ('-as-published' if as_published else '')
        return exports.download(request.GET.get('format', 'csv'), name, COLUMNS, rows)


class CorrectionListView(ObjectListView):
    model = Correction
    table_class = CorrectionTable
    filterset_class = CorrectionFilterSet
    template_name = 'surveys/correction_list.html'
    export_name = 'corrections'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = get_scoped_or_404(Campaign, request.user, slug=kwargs['slug'])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(survey_return__campaign=self.campaign)
            .select_related('survey_return__organisation')
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_('Corrections to %(campaign)s') % {'campaign': self.campaign}, campaign=self.campaign)
        return context
