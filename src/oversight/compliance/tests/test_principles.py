import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from oversight.compliance.models import Principle


def test_the_twelve_principles_are_loaded_each_citing_its_source(db):
    principles = list(Principle.objects.all())
    assert [p.number for p in principles] == list(range(1, 13))
    assert all(p.source_url.startswith('https://') and p.source for p in principles)
    # Only 1 to 7 are quoted from an authoritative copy (a judgment); 8 to 12 say they are unverified.
    assert [p.number for p in principles if p.wording_verified] == list(range(1, 8))
    assert all('UNVERIFIED' in p.source for p in principles if not p.wording_verified)


def test_the_page_marks_every_unverified_wording_beside_its_text(client_for, viewer_a):
    page = client_for(viewer_a).get(reverse('compliance:principle_list')).content.decode()
    for principle in Principle.objects.all():
        item = page.split(f'data-testid="principle-{principle.number}"')[1].split('</li>')[0]
        assert principle.source_url in item
        assert ('Wording not verified' in item) is not principle.wording_verified


@pytest.mark.parametrize('fields', [{'number': 13}, {'number': 0}, {'number': 12, 'source_url': ''}])
def test_the_database_refuses_a_principle_out_of_range_or_without_a_source(db, fields):
    Principle.objects.filter(number=12).delete()
    row = {'text': 'x', 'wording_verified': False, 'source_url': 'https://example.org', 'source': 'x', **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Principle.objects.create(**row)
