"""Questionnaires: reading one, and making a new version to edit."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from oversight.core.permissions import require, sees_everything
from oversight.core.views import ActionFormView

from ..actions.questionnaires import copy_questionnaire
from ..forms import NewVersionForm
from ..models import Campaign, Questionnaire


class QuestionnaireDetailView(LoginRequiredMixin, DetailView):
    template_name = 'surveys/questionnaire_detail.html'
    slug_field = 'slug'

    def get_queryset(self):
        return Questionnaire.objects.for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sections=self.object.sections.prefetch_related('questions'),
            campaigns=Campaign.objects.for_user(self.request.user).filter(questionnaire=self.object),
            title=str(self.object),
        )
        return context


class QuestionnaireVersionView(ActionFormView):
    form_class = NewVersionForm
    success_message = _('New version created: its questions can change until a campaign using it opens.')

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.questionnaire = get_object_or_404(Questionnaire.objects.for_user(request.user), slug=kwargs['slug'])
            require(sees_everything(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('New version of %(questionnaire)s') % {'questionnaire': self.questionnaire}, **kwargs
        )

    def run_action(self, form):
        return copy_questionnaire(self.request.user, self.questionnaire, **form.cleaned_data)
