"""Survey campaigns over the API: questionnaires, campaigns, invitations and returns (read), and a body's
editors saving a draft of their return or submitting it through `surveys.actions`.

A body sees only the campaigns it was invited to, once they open, and only its own invitation and
return. Answers are the return's own document: keys "<section>.<question>", manufacturer lines as
lists of {"manufacturer", "brand", "model", "quantity"}. A save states the `version` it started from
(0 before the first save), so a save from a stale copy is refused with a 409, never merged.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from oversight.core.languages import english
from oversight.organisations.models import OrganisationGroup
from oversight.surveys.actions.returns import Declaration, save_draft, submit_return
from oversight.surveys.answers import Schema, check_answers
from oversight.surveys.filtersets import CampaignFilterSet, InvitationFilterSet
from oversight.surveys.journey import return_warnings
from oversight.surveys.models import Campaign, Invitation, Question, Questionnaire, Return

from .base import ReadOnlyViewSet, action_errors


class QuestionSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text='Where its answer is kept: "<section>.<question>".')
    choices = serializers.SerializerMethodField(help_text='[value, label] pairs for choice questions.')
    condition_values = serializers.JSONField(
        help_text='Asked only when the question `condition_question` of its section has one of these answers.'
    )

    class Meta:
        model = Question
        fields = ['key', 'number', 'text', 'help_text', 'kind', 'choices', 'required']
        fields += ['condition_question', 'condition_values']

    def get_choices(self, question) -> list[list[str]]:
        return [list(pair) for pair in question.choice_pairs()]


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    introduction = serializers.CharField()
    questions = QuestionSerializer(many=True)


class QuestionnaireSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:questionnaire-detail', lookup_field='slug')
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ['url', 'slug', 'title', 'version', 'description', 'source_url', 'frozen_at', 'sections']


class QuestionnaireViewSet(ReadOnlyViewSet):
    """Questionnaires by slug, with their sections and questions: the keys a return's answers use."""

    model = Questionnaire
    serializer_class = QuestionnaireSerializer
    lookup_field = 'slug'

    def get_queryset(self):
        return super().get_queryset().prefetch_related('sections__questions')


class CampaignSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:campaign-detail', lookup_field='slug')
    questionnaire = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    concern_list = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    recipients_group = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ['url', 'slug', 'title', 'year', 'description', 'status', 'questionnaire', 'concern_list']
        fields += ['recipients_group', 'opens_at', 'deadline', 'late_cutoff', 'illustrative']

    def get_recipients_group(self, campaign) -> str | None:
        # Named only to those who may see the group (its members and the regulator).
        visible = OrganisationGroup.objects.for_user(self.context['request'].user)
        group = visible.filter(pk=campaign.recipients_group_id).values_list('slug', flat=True).first()
        return group


class CampaignViewSet(ReadOnlyViewSet):
    """Campaigns by slug: the regulator sees every one; a body those it was invited to, once open."""

    model = Campaign
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    lookup_field = 'slug'

    def get_queryset(self):
        return super().get_queryset().select_related('questionnaire', 'concern_list').distinct()


class InvitationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:invitation-detail')
    campaign = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    cutoff = serializers.DateTimeField(read_only=True, help_text="The last moment this body's return is accepted.")
    survey_return = serializers.HyperlinkedRelatedField(
        view_name='api:return-detail',
        read_only=True,
        allow_null=True,
        help_text="The body's return, once it has first been saved.",
    )

    class Meta:
        model = Invitation
        fields = ['url', 'id', 'campaign', 'organisation', 'status', 'sent_at', 'extended_until', 'cutoff']
        fields += ['survey_return']


class ReturnSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name='api:return-detail')
    invitation = serializers.HyperlinkedRelatedField(view_name='api:invitation-detail', read_only=True)
    campaign = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    organisation = serializers.SlugRelatedField(slug_field='slug', read_only=True)
    status = serializers.CharField(read_only=True, help_text="The invitation's status: draft, submitted...")
    timeliness = serializers.SerializerMethodField()

    class Meta:
        model = Return
        fields = ['url', 'id', 'invitation', 'campaign', 'organisation', 'status', 'answers', 'submitted_at']
        fields += ['last_submitted_at', 'accepted_at', 'timeliness', 'source', 'illustrative', 'updated_at', 'version']
        fields += ['reference', 'declarant_name', 'declarant_role', 'declared_for', 'declared_at']
        fields += ['confirmed_warnings']
        read_only_fields = fields

    def get_timeliness(self, survey_return) -> str:
        """ "On time" or how late, in English whatever the request's language, as the rest of the API."""
        with english():
            return survey_return.timeliness


LINES_SHAPE = 'Give manufacturer lines as a list of objects (manufacturer, brand, model, quantity).'


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text='Answers by key ("<section>.<question>"); manufacturer lines as a list of objects '
        'with manufacturer, brand, model and quantity.'
    )
    version = serializers.IntegerField(
        min_value=0, help_text='The version of the return you started from: 0 when it has not been saved yet.'
    )

    def validate_answers(self, answers):
        """The document's shape: what the questionnaire's checks read as values, and lines as objects."""
        schema = self.context['schema']
        problems = {}
        for key, value in answers.items():
            question = schema.questions.get(key)
            if question is not None and question.kind == Question.Kind.MANUFACTURER_LINES:
                if value is not None and not (
                    isinstance(value, list) and all(isinstance(line, dict) for line in value)
                ):
                    problems[key] = LINES_SHAPE
            elif isinstance(value, dict):
                problems[key] = 'Give an answer as text, a number or a list of choices.'
        if problems:
            raise serializers.ValidationError(problems)
        return answers


class DeclarationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text='The full name of the person submitting the return.')
    role = serializers.CharField(max_length=200, help_text='Their role.')
    on_behalf_of = serializers.CharField(
        max_length=200, help_text='The Senior Responsible Officer on whose behalf they declare the return correct.'
    )


class SubmissionSerializer(AnswersSerializer):
    declaration = DeclarationSerializer(
        help_text='Required, as on the web: who declares the return correct and complete, on behalf of the SRO.'
    )
    confirmed_warnings = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        max_length=500,
        help_text='The codes of the cross-check warnings you confirm as correct (e.g. '
        '"external_cctv.cameras:below-lines"). As on the web, a submission whose answers raise a warning '
        "neither confirmed here nor on the section's page is refused, naming each warning and its code; a "
        'code no warning has is refused too. Confirmations are kept with the return (`confirmed_warnings`).',
    )


class ReturnFilterSet(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name='campaign__slug', label='Campaign (slug)')
    status = django_filters.ChoiceFilter(field_name='invitation__status', choices=Invitation.Status.choices)

    class Meta:
        model = Return
        fields = ['campaign', 'status']


class ReturnViewSet(ReadOnlyViewSet):
    """Returns: a body reads its own; the regulator reads every body's."""

    model = Return
    serializer_class = ReturnSerializer
    filterset_class = ReturnFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related('invitation', 'campaign', 'organisation')


class InvitationViewSet(ReadOnlyViewSet):
    """A body's invitations to campaigns; its editors save a draft of the return or submit it here."""

    model = Invitation
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related('campaign', 'organisation', 'survey_return')

    def _save(self, request, save, serializer=AnswersSerializer, **options):
        invitation = self.get_object()
        body = serializer(data=request.data, context={'schema': Schema(invitation.campaign.questionnaire)})
        body.is_valid(raise_exception=True)
        if 'declaration' in body.validated_data:
            options['declaration'] = Declaration(**body.validated_data['declaration'])
        if 'confirmed_warnings' in body.validated_data:
            # The cross-checks the web's declaration page makes, on the answers as they will be stored.
            schema = Schema(invitation.campaign.questionnaire)
            answers, _problems = check_answers(schema, body.validated_data['answers'])  # the action reports them
            options['warnings'] = return_warnings(schema, answers, invitation)
            options['confirming'] = body.validated_data['confirmed_warnings']
        with action_errors():
            survey_return = save(
                request.user,
                invitation,
                body.validated_data['answers'],
                expected_version=body.validated_data['version'],
                source=Return.Source.API,
                **options,
            )
        return Response(ReturnSerializer(survey_return, context=self.get_serializer_context()).data)

    @extend_schema(request=AnswersSerializer, responses={200: ReturnSerializer})
    @action(detail=True, methods=['post'])
    def draft(self, request, pk=None):
        """Save the return as a draft: values are checked, nothing is yet required."""
        return self._save(request, save_draft)

    @extend_schema(request=SubmissionSerializer, responses={200: ReturnSerializer})
    @action(detail=True, methods=['post'])
    def submit(self, request, pk=None):
        """Save and submit the return with the declaration; refused, listing every missing answer, until complete.

        Cross-check warnings must be confirmed, as on the web: list their codes in `confirmed_warnings`. It is
        given a reference, and a receipt is emailed (by a background task) to the submitter and the invitation's
        contacts.
        """
        return self._save(request, submit_return, SubmissionSerializer)
