"""What higher apps plug into the workers app (apps depend downward only).

The hours a worker did are owned by `assignments`; it registers here how to narrow a worker queryset to the
workers with at least N hours left this month, so the worker list can offer that filter.
"""

hours_left_filter = None  # callable(queryset, *, minutes: int, on: date) -> queryset; set by assignments


def register_hours_left_filter(function) -> None:
    global hours_left_filter
    hours_left_filter = function
