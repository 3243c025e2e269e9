from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from oversight.core.querysets import sees_everything
from oversight.core.views import ObjectDetailView, ObjectListView, require

from .filtersets import UserFilterSet
from .models import User
from .tables import UserTable


def can_list_users(user) -> bool:
    return sees_everything(user) or user.role == User.Role.EDITOR


class AccountView(LoginRequiredMixin, TemplateView):
    """The signed-in user's own account: who they are, for which organisation, in which role."""

    template_name = 'accounts/account.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['can_list_users'] = can_list_users(self.request.user)
        return context


class UserListView(ObjectListView):
    """Regulator staff see every account; a body's editors see their body's accounts, read-only."""

    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    export_name = 'users'

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(can_list_users(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related('organisation').order_by('organisation__name', 'username')


class UserDetailView(ObjectDetailView):
    model = User
    template_name = 'accounts/user_detail.html'
