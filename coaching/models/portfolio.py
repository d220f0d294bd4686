"""The worker's portfolio (ervaringsbewijs): a PDF to take to a job interview or to VDAB, with the period, the
hours by activity, the kinds of clients, the competences at the start and at the end, and the coach's closing
summary. It holds no confidential notes. The file is served only through views scoped to the user."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser


class Portfolio(models.Model):
    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="portfolios", on_delete=models.PROTECT)
    trajectory = models.ForeignKey("workers.Trajectory", related_name="+", on_delete=models.PROTECT)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    closing_summary = models.TextField(_("closing summary"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    issued_on = models.DateField(_("issued on"))
    pdf = models.FileField(upload_to="coaching/portfolios/", blank=True, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="portfolio_period_order"
            ),
            models.CheckConstraint(condition=~Q(closing_summary=""), name="portfolio_has_summary"),
        ]

    def __str__(self):
        return str(_("Portfolio of %(worker)s")) % {"worker": self.worker}

    @property
    def file_name(self) -> str:
        return f"ervaringsbewijs-{self.worker.last_name}-{self.worker.first_name}-{self.issued_on:%Y%m%d}.pdf".replace(
            " ", "-"
        )
