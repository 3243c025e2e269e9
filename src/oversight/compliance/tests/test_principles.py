import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from oversight.compliance.models import Principle


def test_the_twelve_principles_are_loaded_each_citing_its_source(db):
    principles = list(Principle.objects.all())
    assert [p.number for p in principles] == list(range(1, 13))
    assert all(p.source_url.startswith('https://') and p.source for p in principles)
    # Each quoted by a judgment (1 to 7, 10 to 12) or by a police force bound by the Code (8 and 9).
    assert all(p.wording_verified for p in principles)
    assert {p.number for p in principles if 'Bridges' in p.source and 'guardint' in p.source_url} == {
        *range(1, 8),
        *range(10, 13),
    }
    assert {p.number for p in principles if 'cleveland.police.uk' in p.source_url} == {8, 9}


def test_the_page_marks_every_unverified_wording_beside_its_text(client_for, viewer_a):
    Principle.objects.filter(number=8).update(wording_verified=False)  # as reference data not yet checked is
    page = client_for(viewer_a).get(reverse('compliance:principle_list')).content.decode()
    for principle in Principle.objects.all():
        item = page.split(f'data-testid="principle-{principle.number}"')[1].split('</li>')[0]
        assert principle.source_url in item
        assert ('Wording not verified' in item) is (principle.number == 8)


@pytest.mark.parametrize('fields', [{'number': 13}, {'number': 0}, {'number': 12, 'source_url': ''}])
def test_the_database_refuses_a_principle_out_of_range_or_without_a_source(db, fields):
    Principle.objects.filter(number=12).delete()
    row = {'text': 'x', 'wording_verified': False, 'source_url': 'https://example.org', 'source': 'x', **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Principle.objects.create(**row)
