from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from oversight.core.permissions import may_edit_body, require, sees_everything
from oversight.core.views import ConfirmActionView, ObjectDetailView, ObjectListView, Require, get_scoped_or_404

from . import actions
from .filtersets import UserFilterSet
from .forms import SingleSignOnForm
from .mfa import FACTORS, must_have_second_factor
from .models import SingleSignOn, User
from .tables import UserTable


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
    table_class = UserTable
    filterset_class = UserFilterSet
    export_name = 'users'

    def allowed(self) -> bool:
        return can_list_users(self.request.user)

    def get_queryset(self):
        return super().get_queryset().select_related('organisation').order_by('organisation__name', 'username')


class UserDetailView(ObjectDetailView):
    model = User
    template_name = 'accounts/user_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        factors = self.object.authenticator_set.filter(type__in=FACTORS)
        context['second_factors'] = [a.get_type_display() for a in factors]
        context['second_factor_required'] = must_have_second_factor(self.object)
        context['may_reset_second_factor'] = (
            sees_everything(self.request.user) and self.object != self.request.user and bool(factors)
        )
        return context


class SecondFactorResetView(ConfirmActionView):
    """Regulator staff remove a person's second factors (a lost phone or key); the person enrols again."""

    heading = _('Reset the second factor of {object}?')
    button_label = _('Reset second factor')
    warning = (
        'Their authenticator apps, security keys and recovery codes stop working at once. If their role needs '
        'a second factor, they must add a new one at their next sign-in. Check who is asking before you reset.'
    )
    success_message = 'Reset the second factor of {object}: they add a new one at their next sign-in.'

    def get_object(self):
        person = get_scoped_or_404(User, self.request.user, pk=self.kwargs['pk'])
        require(sees_everything(self.request.user))
        return person

    def affects(self):
        return [('Person', str(self.object)), ('Organisation', str(self.object.organisation))]

    def confirmed(self, form):
        return actions.reset_second_factor(self.request.user, self.object)


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
