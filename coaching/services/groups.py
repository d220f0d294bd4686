"""Peer groups: sessions, invitations, answers, attendance and the group note."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log
from workers.models import Worker

from ..models import GroupSession, InvitationResponse, PeerGroup, SessionInvitation, SessionStatus
from .common import error, notify, require_werkcoach_of


def _require_werkcoach(actor, organiser_id) -> None:
    if actor.role != Role.WERKCOACH or actor.organiser_id != organiser_id:
        raise error(_("Peer groups are run by the organisation's work coaches."), "not_werkcoach")


def peer_group_create(*, organiser, name: str, description: str = "", facilitator, actor) -> PeerGroup:
    _require_werkcoach(actor, organiser.pk)
    require_werkcoach_of(facilitator, organiser.pk, "facilitator")
    with transaction.atomic():
        if PeerGroup.objects.filter(organiser=organiser, name__iexact=(name or "").strip()).exists():
            raise error(_("There is already a group with this name."), "duplicate_name", "name")
        group = PeerGroup(organiser=organiser, name=(name or "").strip(), description=(description or "").strip(),
                          facilitator=facilitator, created_by=actor)
        group.full_clean()
        group.save()
        audit_log(actor=actor, action="coaching.group_create", obj=group, organiser=organiser,
                  summary=_("Peer group started: %(name)s") % {"name": group.name})
    return group


def group_session_plan(*, group: PeerGroup, topic: str, starts_at, place: str, facilitator, actor) -> GroupSession:
    _require_werkcoach(actor, group.organiser_id)
    require_werkcoach_of(facilitator, group.organiser_id, "facilitator")
    if starts_at < timezone.now():
        raise error(_("A new session is planned in the future."), "in_the_past", "starts_at")
    with transaction.atomic():
        session = GroupSession(organiser_id=group.organiser_id, group=group, topic=(topic or "").strip(),
                               starts_at=starts_at, place=(place or "").strip(), facilitator=facilitator,
                               created_by=actor)
        session.full_clean()
        session.save()
        audit_log(actor=actor, action="coaching.session_plan", obj=session, organiser=group.organiser,
                  summary=_("Group session planned: %(topic)s") % {"topic": session.topic})
    return session


def group_session_invite(*, session: GroupSession, workers, actor) -> int:
    """Invite workers of the organiser; each with a login is told on their phone."""
    _require_werkcoach(actor, session.organiser_id)
    workers = list(workers)
    if not workers:
        raise error(_("Choose at least one worker."), "no_workers", "workers")
    if any(w.organiser_id != session.organiser_id for w in workers):
        raise error(_("You can only invite workers of your own organisation."), "foreign_worker", "workers")
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.PLANNED:
            raise error(_("This session is no longer planned."), "not_planned")
        already = set(session.invitations.values_list("worker_id", flat=True))
        new = [w for w in workers if w.pk not in already]
        SessionInvitation.objects.bulk_create(
            SessionInvitation(session=session, worker=w, invited_by=actor) for w in new
        )
        if new:
            audit_log(actor=actor, action="coaching.session_invite", obj=session, organiser=session.organiser,
                      summary=_("%(count)s workers invited") % {"count": len(new)},
                      changes={"workers": ", ".join(str(w.pk) for w in new)})
        when = timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")
        logins = {w.pk: w.user for w in Worker.objects.filter(pk__in=[w.pk for w in new]).select_related("user")}
        notify([
            (logins[w.pk], f"coaching-session:{session.pk}:{w.pk}",
             _("You are invited to the group session \"%(topic)s\" on %(when)s. Will you come?")
             % {"topic": session.topic, "when": when}, reverse("coaching:my_coaching"))
            for w in new if logins.get(w.pk) is not None
        ])
    return len(new)


def session_respond(*, invitation: SessionInvitation, response: str, actor) -> SessionInvitation:
    """The worker says whether they come."""
    if response not in (InvitationResponse.YES, InvitationResponse.NO):
        raise error(_("Say whether you come."), "invalid_response", "response")
    with transaction.atomic():
        invitation = (SessionInvitation.objects.select_for_update(of=("self",))
                      .select_related("worker", "session").get(pk=invitation.pk))
        if invitation.worker.user_id != actor.pk:
            raise error(_("This invitation is not yours."), "not_your_invitation")
        if invitation.session.status != SessionStatus.PLANNED or invitation.session.starts_at < timezone.now():
            raise error(_("This session has already taken place or was cancelled."), "not_planned")
        invitation.response = response
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["response", "responded_at"])
    return invitation


def session_attendance_record(*, session: GroupSession, present_worker_ids, actor) -> GroupSession:
    """After the session: who came (every invited worker is marked present or absent); the session is held."""
    _require_werkcoach(actor, session.organiser_id)
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at > timezone.now():
            raise error(_("Attendance is recorded after the session has started."), "not_started")
        if session.status == SessionStatus.CANCELLED:
            raise error(_("This session was cancelled."), "cancelled")
        present = {int(pk) for pk in present_worker_ids}
        invited = set(session.invitations.values_list("worker_id", flat=True))
        if present - invited:
            raise error(_("Only invited workers can be marked present."), "not_invited")
        session.invitations.filter(worker_id__in=present).update(attended=True)
        session.invitations.exclude(worker_id__in=present).update(attended=False)
        if session.status == SessionStatus.PLANNED:
            session.status = SessionStatus.HELD
            session.save(update_fields=["status"])
        audit_log(actor=actor, action="coaching.session_attendance", obj=session, organiser=session.organiser,
                  summary=_("Attendance recorded: %(present)s of %(invited)s present")
                  % {"present": len(present), "invited": len(invited)})
    return session


def session_note_write(*, session: GroupSession, text: str, actor) -> GroupSession:
    """The group note: about the session as a whole, never about one person."""
    _require_werkcoach(actor, session.organiser_id)
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at > timezone.now():
            raise error(_("The group note is written after the session."), "not_started")
        session.group_note = (text or "").strip()
        session.save(update_fields=["group_note"])
        audit_log(actor=actor, action="coaching.session_note", obj=session, organiser=session.organiser,
                  summary=_("Group note written"))
    return session


def group_session_cancel(*, session: GroupSession, actor) -> GroupSession:
    _require_werkcoach(actor, session.organiser_id)
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        if not session.can_change_to(SessionStatus.CANCELLED):
            raise error(_("This session can no longer be cancelled."), "invalid_transition")
        session.status = SessionStatus.CANCELLED
        session.save(update_fields=["status"])
        audit_log(actor=actor, action="coaching.session_cancel", obj=session, organiser=session.organiser,
                  summary=_("Group session cancelled"))
        logins = Worker.objects.filter(session_invitations__session=session, user__isnull=False).select_related("user")
        notify([
            (w.user, f"coaching-session-cancelled:{session.pk}:{w.pk}",
             _("The group session \"%(topic)s\" is cancelled.") % {"topic": session.topic},
             reverse("coaching:my_coaching"))
            for w in logins
        ])
    return session
