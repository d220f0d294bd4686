"""What waits on the start pages from this app (see wijkwerken.core.worklist): trajectories ending and evaluations
due for staff; the number of wijk-werkers in a trajectory for the beheerder. Every count is one
aggregate query."""

import datetime

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import ngettext

from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.notifications import notification_kinds
from wijkwerken.core.rules import rules_for
from wijkwerken.core.selectors import scope_to_user
from wijkwerken.core.worklist import WorkItem, audit_links, work_items

from .models import FollowUp, Trajectory, TrajectoryStatus, WorkerStatus

# The evaluations and follow-ups that count as due: within this many days.
DUE_WITHIN_DAYS = 14

audit_links({"workers.worker": "workers:worker_detail"},
            roles=(Role.BEHEERDER, Role.BEMIDDELAAR, Role.WERKCOACH), quiet=("worker.payout",))

# A reminder is true while what it reminds of still waits: the end date it announced (an extension moves it), the
# evaluation it announced (an evaluation moves the next one), the follow-up not yet recorded.
notification_kinds({
    "trajectory.ending": lambda: Trajectory.objects.filter(
        status=TrajectoryStatus.ACTIVE, end_warning_sent_for=F("end_date")).values("pk"),
    "trajectory.evaluation_due": lambda: Trajectory.objects.filter(
        status=TrajectoryStatus.ACTIVE, evaluation_reminded_for=F("evaluation_due_on")).values("pk"),
    "follow_up.due": lambda: FollowUp.objects.filter(done_on__isnull=True).values("pk"),
})


@work_items(Role.BEMIDDELAAR, Role.BEHEERDER)
def trajectory_deadlines(user):
    on = today()
    ending_days = rules_for(organiser=user.organiser, on=on).trajectory_end_warning_days
    due = on + datetime.timedelta(days=DUE_WITHIN_DAYS)
    trajectories = scope_to_user(Trajectory.objects.all(), user).filter(status=TrajectoryStatus.ACTIVE).aggregate(
        ending=Count("pk", filter=Q(end_date__lte=on + datetime.timedelta(days=ending_days))),
        evaluations=Count("pk", filter=Q(evaluation_due_on__lte=due)),
        active=Count("worker", distinct=True))
    workers = reverse("workers:worker_list")
    items = [
        WorkItem(ngettext("trajectory ending soon", "trajectories ending soon", trajectories["ending"]),
                 trajectories["ending"], reverse("workers:trajectories_ending"), order=40),
        WorkItem(ngettext("evaluation due", "evaluations due", trajectories["evaluations"]),
                 trajectories["evaluations"], f"{workers}?evaluation_within={DUE_WITHIN_DAYS}", order=41),
    ]
    if user.role == Role.BEHEERDER:
        items.append(WorkItem(ngettext("wijk-werker in a trajectory", "wijk-werkers in a trajectory",
                                       trajectories["active"]), trajectories["active"],
                              f"{workers}?status={WorkerStatus.ACTIVE}", order=2, figure=True))
    return items
