"""Background tasks over the API: the status resource a 202 points at, and queueing a stopped task again."""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from oversight.core.permissions import may_retry_job
from oversight.jobs import actions
from oversight.jobs.models import Job

from .base import ApiMixin, action_errors


class JobProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text='As the file numbers it, when the problem is in a row.')
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class JobSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:job-detail')
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    started_by = serializers.SlugRelatedField(source='user', slug_field='username', read_only=True)
    status = serializers.SerializerMethodField()
    retryable = serializers.BooleanField(source='can_retry', read_only=True)
    errors = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            'url',
            'id',
            'kind',
            'description',
            'organisation',
            'started_by',
            'status',
            'retryable',
            'attempt',
            'stage',
            'progress_done',
            'progress_total',
            'result',
            'errors',
            'result_url',
            'created',
            'started_at',
            'finished_at',
        ]

    def get_status(self, job) -> str:
        """queued, running, done or failed; a stopped task (its worker died, none runs, or the queue lost it) is
        failed and retryable, with the reason in `errors`."""
        return Job.Status.FAILED if job.is_stale else job.status

    @extend_schema_field(JobProblemSerializer(many=True))
    def get_errors(self, job) -> list[dict]:
        """Every problem, when it failed; for a stopped task, why it stopped, as its page says it."""
        if job.is_stale and not job.errors:
            with translation.override('en'):
                return [{'row': None, 'column': '', 'message': job.stopped_message}]
        return job.errors

    def get_result_url(self, job) -> str:
        """Where the outcome is, on the site, once done."""
        return self.context['request'].build_absolute_uri(job.result_url) if job.result_url else ''


def accepted(request, job: Job) -> Response:
    """202: the work is queued; the body is its status resource, which Location names too."""
    body = JobSerializer(job, context={'request': request}).data
    return Response(
        body, status=status.HTTP_202_ACCEPTED, headers={'Location': reverse('api:job-detail', args=[job.pk])}
    )


class JobViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Background tasks you may see: your body's (editors), everyone's (regulator staff). Poll one until it is
    done or failed."""

    model = Job
    serializer_class = JobSerializer
    filterset_fields = ['status', 'kind']

    def get_queryset(self):
        return super().get_queryset().select_related('organisation', 'user')

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=['post'])
    def retry(self, request, pk=None):
        """Queue a failed or stopped task again (the person who started it, or an editor of its body)."""
        job = self.get_object()
        if not may_retry_job(request.user, job):
            raise PermissionDenied('Only the person who started this task or an editor of its body can retry it.')
        with action_errors():
            job = actions.retry_job(request.user, job)
        return accepted(request, job)
