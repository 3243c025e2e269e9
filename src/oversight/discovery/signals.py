"""What discovery tells other apps, without importing them (compliance raises review tasks from it).

`scan_reconciled` is sent inside the transaction that compared a scan with the register. Arguments:
`scan` (its `counts` say how many devices were undeclared).
"""

from django.dispatch import Signal

scan_reconciled = Signal()
