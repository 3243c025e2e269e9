from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from oversight.core.dates import govuk_datetime
from oversight.core.permissions import may_administer_anyone, may_administer_person, may_edit_body, sees_everything
from oversight.core.views import ActionFormView, ConfirmActionView, ObjectDetailView, ObjectListView, Require

from . import actions
from .filtersets import UserFilterSet
from .forms import InvitationAcceptForm, InviteForm, RoleForm, SingleSignOnForm
from .mfa import FACTORS, must_have_second_factor
from .models import SingleSignOn, User
from .tables import PersonTable, UserTable


def can_list_users(user) -> bool:
    """Those who see more accounts than their own (`UserQuerySet.for_user`)."""
    return sees_everything(user) or may_edit_body(user, user.organisation_id)


class AccountView(LoginRequiredMixin, TemplateView):
    """The signed-in user's own account: who they are, for which organisation, in which role."""

    template_name = 'accounts/account.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['can_list_users'] = can_list_users(self.request.user)
        context['second_factor_required'] = must_have_second_factor(self.request.user)
        return context


class UserListView(Require, ObjectListView):
    """Regulator staff see every account; a body's editors and administrators see their body's accounts."""

    model = User
    title = gettext_lazy('Users')
    table_class = UserTable
    filterset_class = UserFilterSet
    export_name = 'users'

    def allowed(self) -> bool:
        return can_list_users(self.request.user)

    def get_queryset(self):
        return super().get_queryset().select_related('organisation').order_by('organisation__name', 'username')


class UserDetailView(ObjectDetailView):
    """A person's account and its history; to whoever administers them, the actions on it too."""

    model = User
    template_name = 'accounts/user_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'invitation')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        factors = person.authenticator_set.filter(type__in=FACTORS)
        context['second_factors'] = [a.get_type_display() for a in factors]
        context['second_factor_required'] = must_have_second_factor(person)
        administers = may_administer_person(self.request.user, person)
        context['administers'] = administers
        context['may_reset_second_factor'] = administers and bool(factors)
        context['invitation'] = getattr(person, 'invitation', None)
        return context


class PeopleView(Require, ObjectListView):
    """The people a body administrator (their body's) or regulator staff (the regulator's, and bodies'
    administrators) run: their role and status, each linking to the person's page and its actions."""

    model = User
    table_class = PersonTable
    filterset_class = UserFilterSet
    export_name = 'people'
    title = gettext_lazy('People')
    template_name = 'accounts/people.html'

    def allowed(self) -> bool:
        return may_administer_anyone(self.request.user)

    def get_queryset(self):
        people = User.objects.administered_by(self.request.user).select_related('organisation', 'invitation')
        return people.order_by('organisation__name', 'last_name', 'first_name', 'username')


class InviteView(Require, ActionFormView):
    form_class = InviteForm

    def allowed(self) -> bool:
        return may_administer_anyone(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), 'user': self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Invite someone'),
            submit_label=_('Send the invitation'),
            cancel_url=reverse('accounts:people'),
            **kwargs,
        )

    def run_action(self, form):
        return actions.invite_person(self.request.user, **form.cleaned_data)

    def get_success_url(self, result=None):
        return reverse('accounts:people')

    def get_success_message(self, invitation):
        return _('Invited %(email)s: the email with their link is on its way.') % {'email': invitation.user.email}


def administered_or_404(user, pk) -> User:
    """A person `user` administers; anyone else is a 404, so another body's people do not show they exist."""
    return get_object_or_404(User.objects.administered_by(user).select_related('organisation'), pk=pk)


class RoleChangeView(ActionFormView):
    form_class = RoleForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = administered_or_404(request.user, kwargs['pk'])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        roles = actions.roles_offered(self.request.user, self.person.organisation)
        return {**super().get_form_kwargs(), 'roles': roles, 'initial': {'role': self.person.role}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Change the role of %(person)s') % {'person': self.person},
            submit_label=_('Change role'),
            cancel_url=self.person.get_absolute_url(),
            **kwargs,
        )

    def run_action(self, form):
        return actions.change_role(self.request.user, self.person, form.cleaned_data['role'])

    def get_success_message(self, person):
        return _('%(person)s is now %(role)s.') % {'person': person, 'role': person.get_role_display()}


class PersonActionView(ConfirmActionView):
    """A confirmed action (`action`, an accounts action taking who acts and on whom) on a person someone
    administers (others' people are a 404)."""

    action = None

    def get_object(self):
        return administered_or_404(self.request.user, self.kwargs['pk'])

    def _name_and_email(self) -> str:
        # No empty brackets for an account without an email address.
        name = self.object.get_full_name() or self.object.username
        return f'{name} ({self.object.email})' if self.object.email else name

    def affects(self):
        return [
            (_('Person'), self._name_and_email()),
            (_('Organisation'), str(self.object.organisation)),
            (_('Role'), self.object.get_role_display()),
        ]

    def confirmed(self, form):
        return self.action(self.request.user, self.object)


class DeactivateView(PersonActionView):
    heading = gettext_lazy('Deactivate the account of {object}?')
    button_label = gettext_lazy('Deactivate account')
    warning = gettext_lazy(
        'They are signed out everywhere at once, cannot sign in, and their API token stops working. '
        'You can reactivate the account later; their sessions are not restored.'
    )
    success_message = gettext_lazy('Deactivated the account of {object}.')
    action = staticmethod(actions.deactivate_person)


class ReactivateView(PersonActionView):
    heading = gettext_lazy('Reactivate the account of {object}?')
    button_label = gettext_lazy('Reactivate account')
    warning = ''
    destructive = False
    success_message = gettext_lazy('Reactivated the account of {object}: they can sign in again.')
    action = staticmethod(actions.reactivate_person)


class ResendInvitationView(PersonActionView):
    heading = gettext_lazy('Send {object} a new invitation?')
    button_label = gettext_lazy('Send a new invitation')
    warning = gettext_lazy('The link sent before stops working; the new one works for the full time again.')
    destructive = False
    success_message = gettext_lazy('A new invitation is on its way to {object}.')
    action = staticmethod(actions.resend_invitation)


class SecondFactorResetView(PersonActionView):
    """A person's second factors removed by whoever administers them (a lost phone or key); they enrol again."""

    heading = gettext_lazy('Reset the second factor of {object}?')
    button_label = gettext_lazy('Reset second factor')
    warning = gettext_lazy(
        'Their authenticator apps, security keys and recovery codes stop working at once. If their role needs '
        'a second factor, they must add a new one at their next sign-in. Check who is asking before you reset.'
    )
    success_message = gettext_lazy('Reset the second factor of {object}: they add a new one at their next sign-in.')
    action = staticmethod(actions.reset_second_factor)


class InvitationView(FormView):
    """The page an invitation's link opens: choose a password (or sign in through the organisation's own
    service). A used, expired or unknown link gets a page saying so, and what to do instead."""

    template_name = 'accounts/invitation.html'
    form_class = InvitationAcceptForm

    def dispatch(self, request, *args, **kwargs):
        self.invitation = actions.invitation_for(kwargs['key'])
        self.problem = actions.invitation_problem(self.invitation)
        if self.problem:
            if request.method == 'POST' or self.problem in ('used', 'expired'):
                actions.refuse_invitation(self.invitation, self.problem, request)
            response = self.render_to_response(
                {'problem': actions.INVITATION_PROBLEMS[self.problem], 'title': _('This link cannot be used')}
            )
            response.status_code = 410 if self.problem in ('used', 'expired') else 404
            return response
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        person = self.invitation.user
        return super().get_context_data(
            title=_('Set up your Oversight account'),
            person=person,
            single_sign_on=hasattr(person.organisation, 'single_sign_on'),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if 'single_sign_on' in request.POST:
            return self.accept(None, None)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        return self.accept(form, form.cleaned_data['password1'])

    def accept(self, form, password):
        try:
            person = actions.accept_invitation(self.kwargs['key'], password=password, request=self.request)
        except ValidationError as exc:
            form = form or self.get_form_class()()
            for field, errors in (exc.error_dict if hasattr(exc, 'error_dict') else {None: exc.error_list}).items():
                form.add_error('password1' if field == 'password' else field, errors)
            return self.form_invalid(form)
        if password is None:
            messages.success(self.request, _('Your account is ready: sign in through your organisation’s service.'))
            return HttpResponseRedirect(reverse('accounts:sso'))
        messages.success(
            self.request,
            _('Your account is ready: sign in with %(email)s and your new password.') % {'email': person.email},
        )
        return HttpResponseRedirect(reverse('account_login'))


class SessionsView(LoginRequiredMixin, TemplateView):
    """Your signed-in sessions: this one and any others (another browser, another device), each with where
    and when it was last used, and a way to end the others."""

    template_name = 'accounts/sessions.html'

    def get_context_data(self, **kwargs):
        from allauth.usersessions.models import UserSession

        current = self.request.session.session_key
        sessions = sorted(
            UserSession.objects.purge_and_list(self.request.user),
            key=lambda s: (s.session_key != current, -s.last_seen_at.timestamp()),
        )
        return super().get_context_data(
            title=_('Your sessions'),
            sessions=sessions,
            current=current,
            idle_minutes=settings.OVERSIGHT_SESSION_IDLE_MINUTES,
            **kwargs,
        )


class EndSessionsView(ConfirmActionView):
    """Sign out of one other session, or (with no id) of every other session."""

    button_label = gettext_lazy('Sign out')
    warning = gettext_lazy('Whoever is using it must sign in again, with a password and any second factor.')
    success_message = ''

    def get_object(self):
        from allauth.usersessions.models import UserSession

        others = UserSession.objects.filter(user=self.request.user).exclude(
            session_key=self.request.session.session_key
        )
        if 'pk' in self.kwargs:
            return get_object_or_404(others, pk=self.kwargs['pk'])
        if not others.exists():
            raise Http404
        return others

    def get_heading(self):
        if 'pk' in self.kwargs:
            return _('Sign out of this session?')
        return _('Sign out of every other session?')

    def affects(self):
        sessions = [self.object] if 'pk' in self.kwargs else list(self.object)
        return [
            (s.user_agent or _('Unknown browser'), f'{s.ip}, {_("last seen")} {govuk_datetime(s.last_seen_at)}')
            for s in sessions
        ]

    def get_cancel_url(self):
        return reverse('accounts:sessions')

    def run_action(self, form):
        # Sessions carry no version to lock at: ending one already ended is refused by the action.
        only = self.object.session_key if 'pk' in self.kwargs else None
        return actions.end_other_sessions(
            self.request.user, self.request.session.session_key, only=only, request=self.request
        )

    def get_success_message(self, ended):
        return _('Signed out of %(count)d other session(s).') % {'count': ended}


class SingleSignOnView(FormView):
    """Sign in through your organisation's own sign-in service, chosen by your email address's domain."""

    template_name = 'account/sso.html'
    form_class = SingleSignOnForm

    def dispatch(self, request, *args, **kwargs):
        # The form is answered by a redirect to the organisation's service, which the browser follows only
        # if this page's Content Security Policy lets its forms go there.
        request.csp_form_action = SingleSignOn.origins()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        provider = form.sign_on.app.get_provider(self.request)
        # The address is passed on as a hint, so the organisation's service can skip asking for it.
        return provider.redirect(
            self.request,
            AuthProcess.LOGIN,
            next_url=get_next_redirect_url(self.request),
            auth_params={'login_hint': form.cleaned_data['email']},
        )
