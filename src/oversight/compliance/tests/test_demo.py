from oversight.compliance import demo
from oversight.compliance.models import ReviewTask
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
