import pytest
from django.core.exceptions import ValidationError

from oversight.core.audit import delete_audited, save_audited
from oversight.core.models import ObjectChange
from oversight.register.models import Site


def test_create_update_delete_are_each_audited_with_before_and_after(editor_a, body_a):
    site = save_audited(editor_a, Site(organisation=body_a, name='Maidstone HQ'))
    site.name = 'Maidstone Headquarters'
    save_audited(editor_a, site, expected_version=1)
    delete_audited(editor_a, site)
    changes = list(ObjectChange.objects.order_by('pk').values_list('action', 'before__name', 'after__name'))
    assert changes == [
        ('create', None, 'Maidstone HQ'),
        ('update', 'Maidstone HQ', 'Maidstone Headquarters'),
        ('delete', 'Maidstone Headquarters', None),
    ]
    assert set(ObjectChange.objects.values_list('organisation', flat=True)) == {body_a.pk}


def test_stale_version_is_refused_and_nothing_is_written(editor_a, body_a):
    site = save_audited(editor_a, Site(organisation=body_a, name='Dover'))
    first_tab, second_tab = Site.objects.get(pk=site.pk), Site.objects.get(pk=site.pk)
    first_tab.name = 'Dover (east)'
    save_audited(editor_a, first_tab, expected_version=1)
    second_tab.name = 'Dover (west)'
    with pytest.raises(ValidationError, match='Someone else saved'):
        save_audited(editor_a, second_tab, expected_version=1)
    assert Site.objects.get(pk=site.pk).name == 'Dover (east)'
    assert ObjectChange.objects.filter(action='update').count() == 1


def test_history_is_scoped_to_the_body(editor_a, editor_b, body_a):
    save_audited(editor_a, Site(organisation=body_a, name='Ashford'))
    assert ObjectChange.objects.for_user(editor_a).count() == 1
    assert ObjectChange.objects.for_user(editor_b).count() == 0


@pytest.mark.parametrize('hidden', ['\u202e', '\u2066', '\u200f', '\x07', '\x00', '\x85'])
def test_hidden_characters_are_never_saved_even_unvalidated(editor_a, body_a, hidden):
    with pytest.raises(ValidationError) as refused:
        save_audited(editor_a, Site(organisation=body_a, name=f'Depot{hidden}', address='1\nHigh St'), validate=False)
    assert list(refused.value.message_dict) == ['name']
    assert f'U+{ord(hidden):04X}' in refused.value.message_dict['name'][0]
    assert not Site.objects.exists()


def test_tabs_and_line_breaks_stay_allowed(editor_a, body_a):
    site = save_audited(editor_a, Site(organisation=body_a, name='Depot', address='1 High St\r\nDover\tKent'))
    assert site.pk is not None
