from oversight.compliance import demo
from oversight.compliance.models import Assessment, ReviewTask, Transparency
from oversight.register import demo as register_demo


def test_the_demo_shows_each_date_and_change_trigger_and_is_idempotent(db, body_a, body_b):
    register_demo.load(lambda message: None)
    messages = []
    demo.load(messages.append)
    kinds = set(ReviewTask.objects.filter(organisation=body_a, resolved_at=None).values_list('kind', flat=True))
    assert kinds == {'dpia_due', 'certification', 'dpia_change', 'action_due'}
    tasks = ReviewTask.objects.count()
    assert tasks == 8
    demo.load(messages.append)
    assert ReviewTask.objects.count() == tasks
    assert messages[-1] == 'Demo governance: 0 bodies; 0 review tasks raised, 0 resolved.'


def test_the_first_demo_body_publishes_its_transparency_page_with_a_frozen_self_assessment(db, body_a, body_b, client):
    register_demo.load(lambda message: None)
    demo.load(lambda message: None)
    assert Transparency.objects.get(organisation=body_a).published
    assert not Transparency.objects.filter(organisation=body_b).exists()
    published = Assessment.objects.filter(system__organisation=body_a, published_on__isnull=False)
    assert published.count() == 1 and published.get().frozen
    page = client.get(f'/transparency/{body_a.slug}/')
    assert page.status_code == 200 and 'Information rights unit' in page.content.decode()
