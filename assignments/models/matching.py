"""What matching needs beyond requests and workers: clients a worker must never be matched with.

Glossary: WorkerExclusion = uitsluiting (wijk-werker niet bij deze gebruiker)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerExclusion(models.Model):
    """`worker` is never proposed for `client` (a conflict, a complaint, family ties...)."""

    worker = models.ForeignKey(
        "workers.Worker", verbose_name=_("wijk-werker"), related_name="exclusions", on_delete=models.CASCADE
    )
    client = models.ForeignKey(
        "assignments.Client", verbose_name=_("client"), related_name="worker_exclusions", on_delete=models.CASCADE
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "client"], name="exclusion_one_per_worker_client"),
        ]

    def __str__(self):
        return f"{self.worker} ≠ {self.client}"

    @property
    def organiser(self):
        return self.client.organiser
