"""The regulator's reminders by hand: to one body, sent at once, or to every outstanding body, by a worker.

Each is previewed first: the email as the body will receive it, who it goes to, and for "remind all" how
many bodies it reaches and which are left out and why; the button on the preview sends it (POST).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from oversight.core.permissions import require, sees_everything
from oversight.core.views import get_scoped_or_404
from oversight.jobs.actions import queue_reminders

from ..actions.invitations import compose_reminder, hand_reminder_refusal, outstanding_reminders, send_reminder
from ..models import Campaign, Invitation


class InvitationRemindView(LoginRequiredMixin, TemplateView):
    template_name = 'surveys/reminder_preview.html'

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        invitations = Invitation.objects.for_user(request.user).select_related('campaign', 'organisation')
        self.invitation = get_object_or_404(invitations.prefetch_related('reminders', 'contacts'), pk=kwargs['pk'])
        require(sees_everything(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        invitation = self.invitation
        refusal = hand_reminder_refusal(invitation)
        number = len(invitation.reminders.all()) + 1
        return super().get_context_data(
            title=_('Send a reminder to %(organisation)s') % {'organisation': invitation.organisation},
            campaign=invitation.campaign,
            back=invitation.get_absolute_url(),
            refusal=refusal,
            email=None if refusal else compose_reminder(invitation),
            number=number,
            past_cap=number > invitation.campaign.reminder_cap,
            action=reverse('surveys:invitation_remind', args=[invitation.pk]),
            button=_('Send reminder'),
            **kwargs,
        )

    def post(self, request, pk):
        try:
            reminder = send_reminder(request.user, self.invitation)
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
            return HttpResponseRedirect(reverse('surveys:invitation_remind', args=[pk]))
        addresses = len(reminder.recipients.splitlines())
        messages.success(
            request,
            ngettext(
                'Reminder sent to %(organisation)s (%(count)s email address).',
                'Reminder sent to %(organisation)s (%(count)s email addresses).',
                addresses,
            )
            % {'organisation': self.invitation.organisation, 'count': addresses},
        )
        return HttpResponseRedirect(self.invitation.get_absolute_url())


class CampaignRemindOutstandingView(LoginRequiredMixin, TemplateView):
    template_name = 'surveys/reminder_preview.html'

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.campaign = get_scoped_or_404(Campaign, request.user, slug=kwargs['slug'])
        require(sees_everything(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        campaign = self.campaign
        to_remind, left_out = ([], []) if campaign.status != Campaign.Status.OPEN else outstanding_reminders(campaign)
        if campaign.status != Campaign.Status.OPEN:
            refusal = _('You cannot send reminders because the campaign is not open.')
        elif not to_remind:
            refusal = _('No outstanding body can be sent a reminder now.')
        else:
            refusal = ''
        count = len(to_remind)
        return super().get_context_data(
            title=_('Send a reminder to every outstanding body of %(campaign)s') % {'campaign': campaign},
            campaign=campaign,
            back=campaign.get_absolute_url(),
            refusal=refusal,
            email=compose_reminder(to_remind[0]) if to_remind else None,
            example=to_remind[0] if to_remind else None,
            to_remind=to_remind,
            left_out=left_out,
            all_outstanding=True,
            action=reverse('surveys:campaign_remind_outstanding', args=[campaign.slug]),
            button=ngettext('Send %(count)s reminder', 'Send %(count)s reminders', count) % {'count': count},
            **kwargs,
        )

    def post(self, request, slug):
        try:
            job = queue_reminders(request.user, self.campaign, outstanding=True)
        except ValidationError as exc:
            messages.error(request, ' '.join(exc.messages))
            return HttpResponseRedirect(self.campaign.get_absolute_url())
        messages.success(
            request,
            _('%(description)s: this page follows it until it is done.') % {'description': job.shown_description},
        )
        return HttpResponseRedirect(job.get_absolute_url())
