"""Reads on peer groups and sessions. Groups are the organiser's work coaches' business."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from wijkwerken.accounts.models import Role

from ..models import GroupSession, PeerGroup, SessionInvitation, SessionStatus


def _is_werkcoach(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organiser_id and user.role == Role.WERKCOACH)


def groups_for(user) -> QuerySet:
    if not _is_werkcoach(user):
        return PeerGroup.objects.none()
    return PeerGroup.objects.filter(organiser_id=user.organiser_id).select_related("facilitator").annotate(
        planned=Count("sessions", filter=Q(sessions__status=SessionStatus.PLANNED,
                                           sessions__starts_at__gte=timezone.now()))
    )


def group_of(user, pk) -> PeerGroup:
    return get_object_or_404(groups_for(user), pk=pk)


def sessions_for(user) -> QuerySet:
    if not _is_werkcoach(user):
        return GroupSession.objects.none()
    return GroupSession.objects.filter(organiser_id=user.organiser_id).select_related("group", "facilitator")


def session_of(user, pk) -> GroupSession:
    return get_object_or_404(sessions_for(user), pk=pk)


def upcoming_invitations(worker) -> QuerySet:
    """The worker's invitations to sessions still to come."""
    return (
        SessionInvitation.objects.filter(
            worker=worker, session__status=SessionStatus.PLANNED, session__starts_at__gte=timezone.now()
        )
        .select_related("session__group", "session__facilitator")
        .order_by("session__starts_at")
    )


def invitation_of_worker(worker, pk) -> SessionInvitation:
    return get_object_or_404(SessionInvitation.objects.filter(worker=worker), pk=pk)


