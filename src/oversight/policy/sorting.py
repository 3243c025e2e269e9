"""Sorted lists patched in place of sorting again: a kept evaluation (policy.evaluation) swaps the entries of
the few lines a write changed within lists of 100,000 and more."""

from bisect import bisect_left, insort_right


def replaced(items: list, old, new, key) -> list:
    """A copy of `items` (sorted by `key`) without the entries `old` and with `new` put where sorting would.

    Entries with equal keys keep their order, as a stable sort leaves them: an old one is found by
    identity among its equals, and new ones go after their equals in the order given.
    """
    items = items.copy()
    for item in old:
        index = bisect_left(items, key(item), key=key)
        while items[index] is not item:
            index += 1
        del items[index]
    for item in new:
        insort_right(items, item, key=key)
    return items
