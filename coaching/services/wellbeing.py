"""Wellbeing check-ins, by the worker on their phone or by the coach together with them."""

from django.db import transaction
from django.utils.translation import gettext as _

from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today as get_today
from workers.models import Worker

from ..models import CheckIn
from ..selectors.access import is_current_coach
from .common import error, fmt, notify, worker_file_url


def check_in_record(*, worker: Worker, mood, energy, stress, connected, sentence: str = "", taken_on=None,
                    actor) -> CheckIn:
    """Record a check-in. A low score or a drop of two points since the previous one tells the coach at once."""
    taken_on = taken_on or get_today()
    with transaction.atomic():
        worker = Worker.objects.select_for_update(of=("self",)).select_related("organiser", "coach").get(pk=worker.pk)
        by_worker = worker.user_id is not None and worker.user_id == actor.pk
        if not by_worker and not is_current_coach(actor, worker):
            raise error(_("You can only fill in a check-in for yourself or for a worker in your caseload."),
                        "not_your_worker")
        if taken_on > get_today():
            raise error(_("A check-in cannot be in the future."), "future", "taken_on")
        values = {"mood": mood, "energy": energy, "stress": stress, "connected": connected}
        for field, value in values.items():
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                raise error(_("Choose a number from 1 to 5."), "score_out_of_range", field)
        if CheckIn.objects.filter(worker=worker, taken_on=taken_on).exists():
            raise error(_("There is already a check-in for %(date)s.") % {"date": fmt(taken_on)}, "already_checked_in")
        previous = CheckIn.objects.filter(worker=worker, taken_on__lt=taken_on).order_by("-taken_on", "-id").first()
        check_in = CheckIn(
            organiser_id=worker.organiser_id, worker=worker, taken_on=taken_on, sentence=(sentence or "").strip(),
            entered_by=actor, by_worker=by_worker, **values,
        )
        check_in.full_clean()
        check_in.save()
        audit_log(
            actor=actor, action="coaching.check_in", obj=check_in, organiser=worker.organiser,
            summary=_("Wellbeing check-in of %(date)s") % {"date": fmt(taken_on)}, changes={"worker": worker.pk},
        )
        if worker.coach is not None and worker.coach_id != actor.pk and (
            check_in.low_scales() or check_in.dropped_scales(previous)
        ):
            notify([(
                worker.coach,
                f"coaching-wellbeing:{check_in.pk}",
                _("The wellbeing of %(worker)s needs attention (check-in of %(date)s).")
                % {"worker": worker, "date": fmt(taken_on)},
                worker_file_url(worker.pk),
            )])
    return check_in
