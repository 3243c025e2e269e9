from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from oversight.core.permissions import may_retry_job, require
from oversight.core.views import ObjectDetailView, ObjectListView, get_scoped_or_404

from . import actions
from .filtersets import JobFilterSet
from .models import Job
from .tables import JobTable


class JobListView(ObjectListView):
    model = Job
    table_class = JobTable
    filterset_class = JobFilterSet
    title = _('Background tasks')
    export_name = 'tasks'

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'user')


class JobDetailView(ObjectDetailView):
    """The task's state, refreshing itself (HTMX polling) until it is done or failed."""

    model = Job
    template_name = 'jobs/job_detail.html'

    def get_template_names(self):
        if self.request.htmx:
            return ['jobs/job_status.html']
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['job'] = self.object
        context['may_retry'] = self.object.can_retry and may_retry_job(self.request.user, self.object)
        return context


class JobRetryView(LoginRequiredMixin, View):
    def post(self, request, pk):
        job = get_scoped_or_404(Job, request.user, pk=pk)
        require(may_retry_job(request.user, job))
        try:
            actions.retry_job(request.user, job)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _('Queued again: %(description)s.') % {'description': job.shown_description})
        return HttpResponseRedirect(job.get_absolute_url())
