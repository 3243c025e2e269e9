"""What the register tells other apps, without importing them: an app that raises review
tasks on a change listens for it.

`cameras_changed` is sent inside the transaction of the change, so a receiver's writes commit or roll back
with it. Arguments: `organisation_id`, and `changes`: {system id: [what changed, in words]}.
"""

from django.dispatch import Signal

cameras_changed = Signal()
