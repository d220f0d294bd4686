"""Peer groups for the organiser's work coaches; the worker answers an invitation on the phone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerken.accounts.models import Role, User
from wijkwerken.accounts.permissions import werkcoach_required, wijkwerker_required
from wijkwerken.core.errors import attach_errors
from workers.models import TrajectoryStatus, Worker
from workers.selectors import worker_of_user

from .. import services
from ..forms.groups import GroupNoteForm, GroupSessionForm, InviteForm, PeerGroupForm
from ..models import InvitationResponse, SessionStatus
from ..selectors.groups import group_of, groups_for, invitation_of_worker, session_of, sessions_for
from .common import run_service


def _coaches(user):
    return User.objects.filter(organiser_id=user.organiser_id, role=Role.WERKCOACH, is_active=True).order_by(
        "last_name", "first_name")


def _invitable(user):
    """Workers of the organiser in an active trajectory (the coach's own caseload first)."""
    return (Worker.objects.filter(organiser_id=user.organiser_id, trajectories__status=TrajectoryStatus.ACTIVE)
            .distinct().order_by("last_name", "first_name"))


@werkcoach_required
def group_list(request):
    form = PeerGroupForm(request.POST or None, coaches=_coaches(request.user), initial={"facilitator": request.user})
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.peer_group_create(organiser=request.user.organiser, actor=request.user,
                                               **form.cleaned_data),
            _("The peer group was started."), redirect_to="coaching:group_list",
        )
        if response is not None:
            return response
    now = timezone.now()
    return render(request, "coaching/group_list.html", {
        "groups": groups_for(request.user), "form": form,
        "upcoming": sessions_for(request.user).filter(status=SessionStatus.PLANNED, starts_at__gte=now)
        .order_by("starts_at")[:10],
    }, status=400 if request.method == "POST" else 200)


@werkcoach_required
def group_detail(request, pk):
    group = group_of(request.user, pk)
    form = GroupSessionForm(request.POST or None, coaches=_coaches(request.user),
                            initial={"facilitator": group.facilitator})
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request, form,
            lambda: services.group_session_plan(group=group, actor=request.user, **form.service_data()),
            _("The session was planned; invite the workers now."), redirect_to=("coaching:group_detail", group.pk),
        )
        if response is not None:
            return response
    return render(request, "coaching/group_detail.html", {
        "group": group, "form": form,
        "sessions": group.sessions.select_related("facilitator").order_by("-starts_at"),
    }, status=400 if request.method == "POST" else 200)


def _session_page(request, session, *, invite_form=None, note_form=None, status=200):
    invitations = session.invitations.select_related("worker")
    counts = {value: sum(1 for i in invitations if i.response == value) for value in InvitationResponse.values}
    return render(request, "coaching/session_detail.html", {
        "session": session, "invitations": invitations, "counts": counts,
        "invite_form": invite_form or InviteForm(workers=_invitable(request.user).exclude(
            session_invitations__session=session)),
        "note_form": note_form or GroupNoteForm(initial={"text": session.group_note}),
        "started": session.starts_at <= timezone.now(),
        "planned": session.status == SessionStatus.PLANNED,
    }, status=status)


@werkcoach_required
def session_detail(request, pk):
    return _session_page(request, session_of(request.user, pk))


@werkcoach_required
@require_POST
def session_invite(request, pk):
    session = session_of(request.user, pk)
    form = InviteForm(request.POST, workers=Worker.objects.filter(organiser_id=request.user.organiser_id))
    if form.is_valid():
        try:
            count = services.group_session_invite(session=session, workers=form.cleaned_data["workers"],
                                                  actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(count)s workers invited.") % {"count": count})
            return redirect("coaching:session_detail", pk=session.pk)
    return _session_page(request, session, invite_form=form, status=400)


@werkcoach_required
@require_POST
def session_attendance(request, pk):
    session = session_of(request.user, pk)
    try:
        services.session_attendance_record(
            session=session, present_worker_ids=[v for v in request.POST.getlist("present") if v.isdigit()],
            actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The attendance was recorded."))
    return redirect("coaching:session_detail", pk=session.pk)


@werkcoach_required
@require_POST
def session_note(request, pk):
    session = session_of(request.user, pk)
    form = GroupNoteForm(request.POST)
    if form.is_valid():
        try:
            services.session_note_write(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The group note was saved."))
            return redirect("coaching:session_detail", pk=session.pk)
    return _session_page(request, session, note_form=form, status=400)


@werkcoach_required
@require_POST
def session_cancel(request, pk):
    session = session_of(request.user, pk)
    try:
        services.group_session_cancel(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session was cancelled; the invited workers are told."))
    return redirect("coaching:session_detail", pk=session.pk)


@wijkwerker_required
@require_POST
def my_session_respond(request, invitation_pk):
    worker = worker_of_user(request.user)
    invitation = invitation_of_worker(worker, invitation_pk) if worker else None
    if invitation is None:
        return redirect("coaching:my_coaching")
    try:
        services.session_respond(invitation=invitation, response=request.POST.get("response", ""),
                                 actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you, your answer was saved."))
    return redirect("coaching:my_coaching")


