"""Reads on goals and actions."""

from django.db.models import Prefetch, QuerySet

from ..models import ActionOwner, ActionStatus, Goal, GoalAction


def goals_of(worker) -> QuerySet:
    return (
        Goal.objects.filter(worker=worker)
        .select_related("competence")
        .prefetch_related(
            Prefetch("actions", queryset=GoalAction.objects.order_by("status", "due_on", "pk")),
            "reviews__measurement",
        )
    )


def loose_actions_of(worker) -> QuerySet:
    """Actions agreed in notes, outside a goal."""
    return GoalAction.objects.filter(worker=worker, goal__isnull=True).order_by("status", "due_on", "pk")


def own_open_actions(worker) -> QuerySet:
    """The worker's own open actions, for their phone."""
    return GoalAction.objects.filter(worker=worker, owner=ActionOwner.WORKER, status=ActionStatus.OPEN).order_by(
        "due_on", "pk"
    )
