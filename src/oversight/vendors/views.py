from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oversight.core.permissions import may_edit_reference_data
from oversight.core.views import (
    ActionFormView,
    ConfirmActionView,
    ObjectDetailView,
    ObjectListView,
    RequireReferenceEditor,
    get_editable,
    get_scoped_or_404,
)

from . import actions
from .concerns import ConcernIndex
from .filtersets import BrandFilterSet, ConcernListFilterSet, ManufacturerFilterSet
from .forms import (
    BrandForm,
    ConcernListForm,
    CorporateRelationForm,
    DesignationForm,
    ManufacturerForm,
    ManufacturerNameForm,
    ResolveForm,
)
from .models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName
from .resolution import NameIndex
from .tables import BrandTable, ConcernListTable, ManufacturerTable


class ManufacturerListView(ObjectListView):
    model = Manufacturer
    table_class = ManufacturerTable
    filterset_class = ManufacturerFilterSet
    template_name = 'vendors/manufacturer_list.html'
    export_name = 'makers'
    title = _('Makers')
    create_url_name = 'vendors:manufacturer_add'

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related('names', Prefetch('designations', Designation.objects.select_related('concern_list')))
        )

    def can_create(self) -> bool:
        return may_edit_reference_data(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['resolve_form'] = ResolveForm()
        return context


NAME_ORDER = [
    ManufacturerName.Kind.CANONICAL,
    ManufacturerName.Kind.LEGAL,
    ManufacturerName.Kind.FORMER,
    ManufacturerName.Kind.ALIAS,
]


class ManufacturerDetailView(ObjectDetailView):
    model = Manufacturer
    template_name = 'vendors/manufacturer_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        maker = self.object
        user = self.request.user
        brands = Brand.objects.for_user(user).select_related('owner', 'made_by')
        names = ManufacturerName.objects.for_user(user).filter(manufacturer=maker)
        context.update(
            names=sorted(names, key=lambda n: (NAME_ORDER.index(n.kind), n.name.lower())),
            brands=brands.filter(owner=maker),
            made_for_others=brands.filter(made_by=maker).exclude(owner=maker),
            parents=CorporateRelation.objects.for_user(user).filter(child=maker).select_related('parent'),
            children=CorporateRelation.objects.for_user(user).filter(parent=maker).select_related('child'),
            designations=ConcernIndex.from_db().designations(maker.name),
        )
        return context


class BrandListView(ObjectListView):
    model = Brand
    table_class = BrandTable
    filterset_class = BrandFilterSet
    export_name = 'brands'
    title = _('Brands')
    create_url_name = 'vendors:brand_add'

    def get_queryset(self):
        return super().get_queryset().select_related('owner', 'made_by')

    def can_create(self) -> bool:
        return may_edit_reference_data(self.request.user)


class BrandDetailView(ObjectDetailView):
    model = Brand
    template_name = 'vendors/brand_detail.html'

    def get_queryset(self):
        return super().get_queryset().select_related('owner', 'made_by')

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['designations'] = ConcernIndex.from_db().designations(self.object.made_by.name)
        return context


class ConcernListListView(ObjectListView):
    model = ConcernList
    table_class = ConcernListTable
    filterset_class = ConcernListFilterSet
    export_name = 'concern-lists'
    title = _('Concern lists')
    create_url_name = 'vendors:concernlist_add'

    def get_queryset(self):
        # Aggregation drops the model's default ordering; lists without a date come last on every database.
        return (
            super()
            .get_queryset()
            .annotate(designation_count=Count('designations'))
            .order_by(F('date').desc(nulls_last=True), 'name')
        )

    def can_create(self) -> bool:
        return may_edit_reference_data(self.request.user)


class ConcernListDetailView(ObjectDetailView):
    model = ConcernList
    template_name = 'vendors/concernlist_detail.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        concern_list = self.object
        designations = Designation.objects.for_user(self.request.user).filter(concern_list=concern_list)
        context['designations'] = designations.select_related('manufacturer').order_by('date', 'manufacturer__name')
        named = {d.manufacturer.name for d in context['designations']}
        covered = ConcernIndex.from_db().makers_of_concern(concern_list)
        context['covered_through_affiliation'] = Manufacturer.objects.for_user(self.request.user).filter(
            name__in=covered - named
        )
        return context


class ResolveView(LoginRequiredMixin, TemplateView):
    """Resolve a typed name against the reference data: a partial for HTMX, a page without JavaScript."""

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ['vendors/resolve_result.html']
        return ['vendors/resolve.html']

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ResolveForm(self.request.GET)
        context.update(resolve_form=form, title=_('Resolve a name'), asked=form.asked)
        if form.asked:
            resolution = NameIndex.from_db().resolve(form.cleaned_data['name'], form.cleaned_data['brand'])
            makers = Manufacturer.objects.for_user(self.request.user).in_bulk(
                [n for n in (resolution.manufacturer, resolution.made_by) if n], field_name='name'
            )
            concerns = ConcernIndex.from_db()
            # Who made it first; the declared maker too when it differs (a relabeller may be named itself).
            named = dict.fromkeys(n for n in (resolution.made_by, resolution.manufacturer) if n)
            context.update(
                resolution=resolution,
                declared_maker=makers.get(resolution.manufacturer),
                made_by=makers.get(resolution.made_by),
                concerns_by_maker=[(maker, concerns.designations(maker)) for maker in named],
            )
        return context


class ReferenceChangeMixin(RequireReferenceEditor):
    """Writes to the reference data are for regulator staff: a body's user gets 403, anyone else the sign-in."""

    model = None
    lookup = 'pk'  # the URL keyword naming an existing object; absent on add pages

    def allowed(self) -> bool:
        if not super().allowed():
            return False
        self.object = self.get_object()
        return True

    def get_object(self):
        if self.lookup not in self.kwargs:
            return None
        return get_editable(self.model, self.request.user, **{self.lookup: self.kwargs[self.lookup]})


class ReferenceEditView(ReferenceChangeMixin, ActionFormView):
    """Add or edit one reference object through its `actions.save_*` function."""

    form_class = None
    save = None  # staticmethod(actions.save_*): (actor, obj, expected_version=...) -> obj
    add_title = ''  # the add page's title: _('Add a maker')

    def new_object(self):
        return self.model()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.object or self.new_object(), user=self.request.user)
        return kwargs

    def run_action(self, form):
        return self.save(self.request.user, form.instance, expected_version=form.cleaned_data.get('version'))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['title'] = _('Edit %(name)s') % {'name': self.object} if self.object else self.add_title
        return context


class ManufacturerEditView(ReferenceEditView):
    model, form_class, save = Manufacturer, ManufacturerForm, staticmethod(actions.save_manufacturer)
    lookup = 'slug'
    add_title = _('Add a maker')
    success_message = _('The maker was saved.')


class MakerScopedMixin:
    """Add pages under a maker's URL: the new object belongs to that maker."""

    def maker(self):
        return get_scoped_or_404(Manufacturer, self.request.user, slug=self.kwargs['slug'])


class NameEditView(MakerScopedMixin, ReferenceEditView):
    model, form_class, save = ManufacturerName, ManufacturerNameForm, staticmethod(actions.save_name)
    success_message = _('The name was saved.')

    def new_object(self):
        return ManufacturerName(manufacturer=self.maker())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.object:
            context['title'] = _('Add a name of %(maker)s') % {'maker': context['form'].instance.manufacturer}
        return context


class RelationEditView(MakerScopedMixin, ReferenceEditView):
    model, form_class, save = CorporateRelation, CorporateRelationForm, staticmethod(actions.save_relation)
    add_title = _('Add a corporate relation')
    success_message = _('The corporate relation was saved.')

    def new_object(self):
        return CorporateRelation(parent=self.maker())


class BrandEditView(ReferenceEditView):
    model, form_class, save = Brand, BrandForm, staticmethod(actions.save_brand)
    lookup = 'slug'
    add_title = _('Add a brand')
    success_message = _('The brand was saved.')


class ConcernListEditView(ReferenceEditView):
    model, form_class, save = ConcernList, ConcernListForm, staticmethod(actions.save_concern_list)
    lookup = 'slug'
    add_title = _('Add a concern list')
    success_message = _('The concern list was saved.')


class DesignationEditView(ReferenceEditView):
    model, form_class, save = Designation, DesignationForm, staticmethod(actions.save_designation)
    success_message = _('The designation was saved.')

    def new_object(self):
        return Designation(concern_list=get_scoped_or_404(ConcernList, self.request.user, slug=self.kwargs['slug']))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.object:
            context['title'] = _('Add a designation to %(concern_list)s') % {
                'concern_list': context['form'].instance.concern_list
            }
        return context


class ReferenceDeleteView(ReferenceChangeMixin, ConfirmActionView):
    """Confirm, then delete through the action; the page returns to where the object was listed."""

    heading = _('Remove {object}?')
    warning = _('The removal is recorded in the history, but the record itself is gone.')
    button_label = _('Remove')
    remove = None  # staticmethod(actions.delete_*): (actor, obj, expected_version=...) -> None

    def confirmed(self, form):
        self.remove(self.request.user, self.object, expected_version=form.cleaned_data['version'])


class NameDeleteView(ReferenceDeleteView):
    model, remove = ManufacturerName, staticmethod(actions.delete_name)
    success_message = _('The name was removed.')


class RelationDeleteView(ReferenceDeleteView):
    model, remove = CorporateRelation, staticmethod(actions.delete_relation)
    success_message = _('The corporate relation was removed.')


class DesignationDeleteView(ReferenceDeleteView):
    model, remove = Designation, staticmethod(actions.delete_designation)
    success_message = _('The designation was removed.')
