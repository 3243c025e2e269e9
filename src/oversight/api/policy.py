"""Policy over the API: a body's obligations with the decision recorded on each, and national exposure.

Obligations are computed from the register (policy.obligations), not stored: each is named by its identity,
`<line id>.<rule set>.<rule>`, the key its decision is kept under. A list or an obligation is evaluated from the
user's `for_user()` lines, so another body's obligation is a 404; a decision goes through
`policy.actions.record_decision`, whose refusals come back as JSON naming the field, and a stale `version` is a 409.

The text policy writes (reasons, due bases, quarters) follows the reader's language on the pages; the API
writes it in English whatever the request's language, as the exports do, so what a program reads does not change
with its Accept-Language.
"""

from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.core.languages import english
from oversight.core.permissions import sees_everything
from oversight.core.text import whole_number
from oversight.organisations.models import Organisation
from oversight.policy import actions, exposure
from oversight.policy.evaluation import ACROSS_BODIES_MAX_LINES, evaluate_register, filtered_evaluation, revision
from oversight.policy.filtersets import ObligationFilterSet
from oversight.policy.models import ObligationDecision, UnitCost
from oversight.register.models import EquipmentLine

from .base import ApiMixin, action_errors


class InEnglish:
    """A view whose responses are written in English whatever the request's language (see above)."""

    def dispatch(self, request, *args, **kwargs):
        with english():
            return super().dispatch(request, *args, **kwargs)


def obligation_id(obligation) -> str:
    return f'{obligation.line.pk}.{obligation.rule.key.replace("/", ".")}'


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text='The version of the decision you read; leave it out (or null) when there is no decision yet. '
        'Refused (409) when the decision changed since.',
    )

    class Meta:
        model = ObligationDecision
        fields = [*actions.DECISION_FIELDS, 'decided_by', 'version']
        # Every rule (a reason for an acceptance, progress only for a replacement...) is the model's, on its field.
        validators = []


class ObligationSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField(help_text='<line id>.<rule set>.<rule>: the obligation and its decision.')
    organisation = serializers.CharField(source='line.organisation.slug')
    line = serializers.IntegerField(source='line.pk', help_text='The register equipment line.')
    equipment = serializers.CharField(source='line')
    site = serializers.CharField(source='line.site.name')
    sensitive_site = serializers.BooleanField(source='line.site.sensitive')
    devices = serializers.IntegerField(source='line.quantity')
    rule = serializers.CharField(source='rule.key')
    rule_title = serializers.CharField(source='rule.title')
    rule_set = serializers.CharField(source='rule_set.slug')
    severity = serializers.CharField()
    action = serializers.CharField(source='rule.action')
    reason = serializers.CharField()
    due = serializers.DateField()
    due_basis = serializers.CharField()
    overdue = serializers.BooleanField()
    state = serializers.SerializerMethodField(
        help_text='open (no decision), expired (a risk acceptance past its expiry: open again), accepted, '
        'not_applicable, replace (not started), planned, ordered or replaced.'
    )
    decision = serializers.SerializerMethodField()

    def _decision(self, obligation):
        return self.context['decisions'].get((obligation.line.pk, obligation.rule.key))

    def get_id(self, obligation) -> str:
        return obligation_id(obligation)

    def get_state(self, obligation) -> str:
        decision = self._decision(obligation)
        return decision.state(timezone.localdate()) if decision else 'open'

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obligation):
        decision = self._decision(obligation)
        return None if decision is None else DecisionSerializer(decision).data


class ObligationFilterBackend(DjangoFilterBackend):
    """The policy page's filters; the severity, rule set and decision filters are applied to the obligations."""

    def filter_queryset(self, request, queryset, view):
        return queryset  # the view evaluates the lines the filter set selects


class ObligationViewSet(InEnglish, ApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Policy obligations, each with the body's decision on it and how far replacing its equipment has got."""

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilterSet
    filter_backends = [ObligationFilterBackend]
    # Dots separate the parts of an identity (<line id>.<rule set>.<rule>), so they are allowed in it.
    lookup_value_regex = r'[^/]+'

    def get_queryset(self):
        return EquipmentLine.objects.for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        lines = self.get_queryset()
        filterset = ObligationFilterBackend().get_filterset(request, lines, self)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        selection = filterset.qs
        if sees_everything(request.user) and selection.count() > ACROSS_BODIES_MAX_LINES:
            raise exceptions.ValidationError(
                {'organisation': f'More than {ACROSS_BODIES_MAX_LINES:,} lines across bodies: choose a body.'}
            )
        evaluation = filtered_evaluation(
            lines, selection, request.user, timezone.localdate(), None,
            filterset.narrows_lines(), filterset.keep, filterset.keep_key(), revision(None),
        )  # fmt: skip
        page = self.paginate_queryset(evaluation.obligations)
        serializer = self.get_serializer(page, many=True, context=self._context(filterset.decisions))
        return self.get_paginated_response(serializer.data)

    def _context(self, decisions):
        return {**self.get_serializer_context(), 'decisions': decisions}

    def get_object(self):
        """The obligation named by its identity, as the user's own lines evaluate today (another body's: a 404)."""
        line, _, key = self.kwargs['pk'].partition('.')
        if (line := whole_number(line)) is None:
            raise Http404
        lines = self.get_queryset().filter(pk=line)
        key = key.replace('.', '/', 1)
        for obligation in evaluate_register(lines, self.request.user, timezone.localdate()).obligations:
            if obligation.rule.key == key:
                return obligation
        raise Http404

    def _read(self, obligation):
        decisions = ObligationDecision.objects.for_user(self.request.user).filter(
            line=obligation.line, rule=obligation.rule.key
        )
        return Response(self.get_serializer(obligation, context=self._context(decisions.by_obligation())).data)

    def retrieve(self, request, pk=None):
        return self._read(self.get_object())

    @extend_schema(request=DecisionSerializer, responses=ObligationSerializer)
    @action(detail=True, methods=['post'])
    def decision(self, request, pk=None):
        """Record or change the decision on the obligation, whole: a field left out is cleared."""
        obligation = self.get_object()
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        version = values.pop('version', None)
        fields = {name: values.get(name, ObligationDecision._meta.get_field(name).get_default())
                  for name in actions.DECISION_FIELDS}  # fmt: skip
        with action_errors():
            actions.record_decision(request.user, obligation, version, **fields)
        return self._read(obligation)


class ProgressSerializer(serializers.Serializer):
    devices = inline_serializer(
        'ProgressDevices', {stage: serializers.IntegerField() for stage in exposure.STAGES},
        help_text='Devices decided for replacement, by stage: replace (not started), planned, ordered, replaced.',
    )  # fmt: skip
    planned_cost = serializers.DecimalField(max_digits=16, decimal_places=2, help_text='Still to replace, in £.')
    spent = serializers.DecimalField(max_digits=16, decimal_places=2, help_text='The actual cost of replacements, £.')


class BodyExposureSerializer(serializers.Serializer):
    organisation = serializers.CharField(source='organisation.slug')
    name = serializers.CharField(source='organisation.name')
    concern_on_sensitive = serializers.IntegerField(help_text='Devices of concern on sensitive sites.')
    progress = ProgressSerializer()


class QuarterSerializer(serializers.Serializer):
    label = serializers.CharField()
    devices = serializers.IntegerField(help_text='Devices replaced in the quarter.')
    cumulative = serializers.IntegerField()
    spent = serializers.DecimalField(max_digits=16, decimal_places=2)


class ExposureSerializer(serializers.Serializer):
    bodies = BodyExposureSerializer(many=True)
    quarters = QuarterSerializer(many=True)


class ExposureView(InEnglish, ApiMixin, APIView):
    """National exposure, as /policy/national-exposure/ shows it: regulator staff only."""

    @extend_schema(responses={200: ExposureSerializer})
    def get(self, request):
        user = request.user
        if not sees_everything(user):
            raise exceptions.PermissionDenied('National exposure is for regulator staff.')
        decisions = ObligationDecision.objects.for_user(user)
        rows = exposure.by_body(
            Organisation.objects.for_user(user).bodies().order_by('name'),
            EquipmentLine.objects.for_user(user),
            decisions,
            UnitCost.objects.for_user(user).by_category(),
        )
        quarters = exposure.quarters(decisions, timezone.localdate())
        return Response(ExposureSerializer({'bodies': rows, 'quarters': quarters}).data)
