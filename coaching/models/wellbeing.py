"""Wellbeing check-ins: a few 1–5 scales (higher is better) and an optional sentence, filled in by the worker on
their phone or by the coach together with them. A low score or a drop of two points flags the worker."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser

# A scale at or below this is low; a scale that fell this much since the previous check-in dropped.
LOW_SCORE = 2
DROP_POINTS = 2


class CheckIn(models.Model):
    SCALES = ("mood", "energy", "stress", "connected")

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="check_ins", on_delete=models.PROTECT)
    taken_on = models.DateField(_("date"))
    mood = models.PositiveSmallIntegerField(_("mood"))
    energy = models.PositiveSmallIntegerField(_("energy"))
    stress = models.PositiveSmallIntegerField(_("coping with stress"))
    connected = models.PositiveSmallIntegerField(_("feeling connected"))
    sentence = models.CharField(_("in one sentence"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    by_worker = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wellbeing check-in")
        verbose_name_plural = _("wellbeing check-ins")
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "taken_on"], name="checkin_one_per_day"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{scale}__gte": 1, f"{scale}__lte": 5}), name=f"checkin_{scale}_on_scale"
                )
                for scale in ("mood", "energy", "stress", "connected")
            ),
        ]

    def __str__(self):
        return f"{self.taken_on:%d/%m/%Y} · {self.worker}"

    def values(self) -> dict[str, int]:
        return {scale: getattr(self, scale) for scale in self.SCALES}

    def low_scales(self) -> list[str]:
        return [scale for scale, value in self.values().items() if value <= LOW_SCORE]

    def dropped_scales(self, previous: "CheckIn | None") -> list[str]:
        if previous is None:
            return []
        return [s for s in self.SCALES if getattr(previous, s) - getattr(self, s) >= DROP_POINTS]
