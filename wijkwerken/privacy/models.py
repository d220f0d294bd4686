"""Requests of a wijk-werker or client to see everything stored about them (their access right, GDPR art. 15).

Glossary: AccessRequest = inzageverzoek. The anonymisation itself leaves a marker on the person
(`Worker.anonymised_at`, `Client.anonymised_at`) and entries in the audit log; it needs no table of its own.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser


class AccessStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("being prepared")
    READY = "klaar", _("ready")
    DELIVERED = "afgeleverd", _("delivered")
    REMOVED = "verwijderd", _("file removed")


# The ZIP of an access request holds everything stored about a person: it is kept this long after it is ready
# (the month the GDPR gives to answer, art. 12(3)), then the nightly job deletes the file; the request stays.
ACCESS_EXPORT_KEPT = datetime.timedelta(days=30)


class AccessRequest(models.Model):
    """One access request: staff ask for it, a task writes the ZIP (a readable PDF and a JSON file), and its first
    download is its delivery. Every step is in the audit log."""

    organiser = models.ForeignKey(Organiser, related_name="access_requests", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", verbose_name=_("wijk-werker"), related_name="access_requests",
                               on_delete=models.PROTECT, null=True, blank=True)
    client = models.ForeignKey("assignments.Client", verbose_name=_("client"), related_name="access_requests",
                               on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AccessStatus.choices,
                              default=AccessStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), related_name="+",
                                     on_delete=models.PROTECT)
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready on"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("downloaded by"), related_name="+",
                                     on_delete=models.PROTECT, null=True, blank=True)
    file = models.FileField(_("file"), upload_to="privacy/access/", blank=True, editable=False)
    removed_at = models.DateTimeField(_("file removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(worker__isnull=False, client__isnull=True) | Q(worker__isnull=True, client__isnull=False),
                name="accessrequest_one_person"),
            models.CheckConstraint(
                condition=Q(status="aangevraagd") | Q(ready_at__isnull=False),
                name="accessrequest_ready_has_file"),
            models.CheckConstraint(
                condition=~Q(status="afgeleverd") | Q(delivered_at__isnull=False, delivered_by__isnull=False),
                name="accessrequest_delivered_has_time"),
            models.CheckConstraint(
                condition=~Q(status="verwijderd") | Q(removed_at__isnull=False, file=""),
                name="accessrequest_removed_has_no_file"),
        ]
        indexes = [models.Index(fields=["organiser", "-requested_at"], name="accessrequest_list_idx")]

    def __str__(self):
        return str(_("Access request %(number)s")) % {"number": self.pk}

    @property
    def person(self):
        return self.worker or self.client

    @property
    def available_until(self) -> datetime.datetime | None:
        """Until when the file can be downloaded (the nightly job deletes it after that)."""
        return self.ready_at + ACCESS_EXPORT_KEPT if self.file and self.ready_at else None

    def file_name(self) -> str:
        kind = "wijkwerker" if self.worker_id else "gebruiker"
        return f"inzage-{kind}-{self.worker_id or self.client_id}-{self.requested_at:%Y%m%d}-{self.pk}.zip"
