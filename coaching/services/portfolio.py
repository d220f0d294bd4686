"""The portfolio (ervaringsbewijs): the coach's closing summary, issued as a PDF the worker downloads."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today as get_today
from workers.models import TrajectoryStatus, Worker

from ..models import Portfolio
from .common import error, fmt, notify, require_current_coach


def portfolio_issue(*, worker: Worker, closing_summary: str, actor) -> Portfolio:
    """Issue the portfolio of the worker's current (or last) trajectory; the PDF is rendered after the commit."""
    from ..tasks import render_portfolio  # the tasks module imports the services

    closing_summary = (closing_summary or "").strip()
    if not closing_summary:
        raise error(_("Write the closing summary."), "summary_required", "closing_summary")
    with transaction.atomic():
        worker = Worker.objects.select_for_update(of=("self",)).select_related("organiser", "user").get(pk=worker.pk)
        require_current_coach(actor, worker)
        trajectory = (
            worker.trajectories.filter(status=TrajectoryStatus.ACTIVE).first()
            or worker.trajectories.order_by("-start_date").first()
        )
        if trajectory is None:
            raise error(_("This worker has no trajectory yet."), "no_trajectory")
        day = get_today()
        period_end = trajectory.ended_on or min(day, trajectory.end_date)
        portfolio = Portfolio(
            organiser_id=worker.organiser_id, worker=worker, trajectory=trajectory,
            period_start=trajectory.start_date, period_end=max(period_end, trajectory.start_date),
            closing_summary=closing_summary, signed_by=actor, issued_on=day,
        )
        portfolio.full_clean()
        portfolio.save()
        audit_log(
            actor=actor, action="coaching.portfolio_issue", obj=portfolio, organiser=worker.organiser,
            summary=_("Portfolio issued for %(start)s – %(end)s")
            % {"start": fmt(portfolio.period_start), "end": fmt(portfolio.period_end)},
            changes={"worker": worker.pk},
        )
        transaction.on_commit(lambda: render_portfolio.delay(portfolio.pk))
        if worker.user is not None:
            notify([(
                worker.user,
                f"coaching-portfolio:{portfolio.pk}",
                _("Your portfolio (ervaringsbewijs) is ready. You can download it from your page."),
                reverse("coaching:my_coaching"),
            )])
    return portfolio


def portfolio_request(*, worker: Worker, actor) -> None:
    """The worker asks their coach for a portfolio (once a day at most)."""
    if worker.user_id is None or worker.user_id != actor.pk:
        raise error(_("You can only ask for your own portfolio."), "not_yourself")
    if worker.coach is None:
        raise error(_("You have no work coach yet; ask your mediator."), "no_coach")
    with transaction.atomic():
        audit_log(actor=actor, action="coaching.portfolio_request", obj=worker,
                  summary=_("The worker asked for a portfolio"))
        notify([(
            worker.coach,
            f"coaching-portfolio-request:{worker.pk}:{get_today().isoformat()}",
            _("%(worker)s asks for a portfolio (ervaringsbewijs).") % {"worker": worker},
            reverse("coaching:closing", args=[worker.pk]),
        )])
