"""Peer groups (the ENSURE peer-to-peer method): sessions with a topic, date, place and facilitator, invited
workers who say whether they come, attendance, and a group note that is not about one person."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser


class PeerGroup(models.Model):
    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("what the group is about"), max_length=300, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), related_name="+", on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organiser", "name"], name="peergroup_unique_name")]

    def __str__(self):
        return self.name


class SessionStatus(models.TextChoices):
    PLANNED = "gepland", _("planned")
    HELD = "gehouden", _("held")
    CANCELLED = "geannuleerd", _("cancelled")


class GroupSession(models.Model):
    TRANSITIONS = {
        SessionStatus.PLANNED: {SessionStatus.HELD, SessionStatus.CANCELLED},
        SessionStatus.HELD: set(),
        SessionStatus.CANCELLED: set(),
    }

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    group = models.ForeignKey(PeerGroup, related_name="sessions", on_delete=models.PROTECT)
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), related_name="+", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    group_note = models.TextField(_("group note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return f"{self.topic} ({self.group})"

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[SessionStatus(self.status)]


class InvitationResponse(models.TextChoices):
    PENDING = "open", _("no answer yet")
    YES = "ja", _("coming")
    NO = "nee", _("not coming")


class SessionInvitation(models.Model):
    session = models.ForeignKey(GroupSession, related_name="invitations", on_delete=models.CASCADE)
    worker = models.ForeignKey("workers.Worker", related_name="session_invitations", on_delete=models.PROTECT)
    response = models.CharField(
        _("answer"), max_length=6, choices=InvitationResponse.choices, default=InvitationResponse.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["worker__last_name", "worker__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="invitation_once_per_session"),
            models.CheckConstraint(
                condition=Q(response="open") | Q(responded_at__isnull=False), name="invitation_answer_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.worker} · {self.session}"
