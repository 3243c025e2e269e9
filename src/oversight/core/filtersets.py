"""Filters shared by every app's list pages."""

import django_filters
from django import forms
from django.urls import reverse

from .forms import govuk_widgets
from .text import whole_number


class GovukFilterSet(django_filters.FilterSet):
    """The base of every list page's filters: each control gets GOV.UK Frontend's class for its kind, once,
    when the form is first built (after a subclass's __init__ has removed the filters it does not offer)."""

    @property
    def form(self):
        if not hasattr(self, '_form'):
            govuk_widgets(super().form)
        return self._form


# Past this many choices a select is too long to read or to send: it becomes a search box.
SEARCH_OVER = 200


class SearchableChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among the user's sites, systems or bodies, by name.

    While the user may see SEARCH_OVER of them or fewer, a plain select. Past that, a text box: names
    containing every word it holds match (it works without JavaScript); core/static/oversight/search.js turns it into
    GOV.UK's accessible autocomplete over `source`, a JSON endpoint of names scoped like the choices.
    A number is still taken as an id, so links that name one object (`?site=12`) keep working.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)

    def searching(self) -> bool:
        return self.get_queryset(self.parent.request).count() > SEARCH_OVER

    @property
    def field(self):
        if not hasattr(self, '_field'):
            if not self.searching():
                return super().field
            attrs = {'data-search-source': reverse(self.source), 'autocomplete': 'off', 'spellcheck': 'false'}
            self._field = forms.CharField(
                label=self.label, required=False, max_length=200, widget=forms.TextInput(attrs=attrs)
            )
        return self._field

    def filter(self, qs, value):
        if not isinstance(value, str):
            return super().filter(qs, value)
        value = value.strip()
        if not value:
            return qs
        chosen = self.get_queryset(self.parent.request)
        number = whole_number(value)
        if number is not None:
            chosen = chosen.filter(pk=number)
        for word in [] if number is not None else value.split():
            chosen = chosen.filter(name__icontains=word)
        return qs.filter(**{f'{self.field_name}__in': chosen.values('pk')})
