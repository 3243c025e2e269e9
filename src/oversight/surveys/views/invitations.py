"""An invitation: the body's page for a campaign, the emailed link, and the regulator's extension and contacts."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from oversight.core.permissions import may_edit_body, require, sees_everything
from oversight.core.views import ActionFormView, ObjectDetailView, get_scoped_or_404

from ..actions.invitations import extend_deadline, set_contacts
from ..forms import ContactsForm, ExtensionForm
from ..models import Invitation, Return


class InvitationDetailView(ObjectDetailView):
    model = Invitation
    template_name = 'surveys/invitation_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('campaign', 'organisation')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.object
        context.update(
            survey_return=Return.objects.filter(invitation=invitation).first(),
            can_edit=may_edit_body(self.request.user, invitation.organisation_id),
            reminders=invitation.reminders.all(),
            outstanding=Invitation.OUTSTANDING,
            contacts=invitation.contacts.all(),
            past_cutoff=invitation.past_cutoff(),
            title=str(invitation),
        )
        return context


class InvitationTokenView(LoginRequiredMixin, View):
    """The link in an invitation email: the token finds the invitation, the scope still applies."""

    def get(self, request, token):
        invitation = get_object_or_404(Invitation.objects.for_user(request.user), token=token)
        return HttpResponseRedirect(invitation.get_absolute_url())


class InvitationFormView(ActionFormView):
    """Base for the regulator's forms about one invitation."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.invitation = get_scoped_or_404(Invitation, request.user, pk=kwargs['pk'])
            require(sees_everything(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self, result=None):
        return self.invitation.get_absolute_url()


class ExtendView(InvitationFormView):
    form_class = ExtensionForm
    success_message = _('Cut-off extended for this body.')

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Extend the cut-off for %(organisation)s') % {'organisation': self.invitation.organisation},
            **kwargs,
        )

    def run_action(self, form):
        return extend_deadline(
            self.request.user,
            self.invitation,
            form.cleaned_data['extended_until'],
            form.cleaned_data['extension_reason'],
        )


class ContactsView(InvitationFormView):
    form_class = ContactsForm
    success_message = _('Contacts saved.')

    def get_initial(self):
        return {
            'contacts': '\n'.join(
                ', '.join(p for p in (c.name, c.email, c.role) if p) for c in self.invitation.contacts.all()
            )
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Contacts at %(organisation)s') % {'organisation': self.invitation.organisation}, **kwargs
        )

    def run_action(self, form):
        return set_contacts(self.request.user, self.invitation, form.cleaned_data['contacts'])
