"""The navigation per role, in one place. Later apps add their entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wijkwerken.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str

    @property
    def url(self):
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavGroup:
    """Several items behind one menu button (keeps the bar short)."""

    label: str
    icon: str
    items: tuple

    is_group = True


HOME = NavItem(_("Start"), "core:home", "house")
# The labels of the workers app's pages are translated in workers/locale.
WORKERS = NavItem(_("Wijk-werkers"), "workers:worker_list", "person-vcard")
ENDING_SOON = NavItem(pgettext_lazy("workers", "Trajectories ending soon"), "workers:trajectories_ending",
                      "hourglass-split")
MY_TRAJECTORY = NavItem(pgettext_lazy("workers", "My trajectory"), "workers:my_trajectory", "signpost-split")
# The labels of the assignments app's pages are translated in assignments/locale.
CLIENTS = NavItem(pgettext_lazy("assignments", "Clients"), "assignments:client_list", "person-lines-fill")
REGISTRATIONS = NavItem(pgettext_lazy("assignments", "Online registrations"), "assignments:registration_list",
                        "person-check")
REQUESTS = NavItem(pgettext_lazy("assignments", "Requests"), "assignments:request_queue", "inbox")
ACTIVITIES = NavItem(pgettext_lazy("assignments", "Activity list"), "assignments:activity_list", "list-check")
ASK_FOR_HELP = NavItem(pgettext_lazy("assignments", "Request help"), "assignments:my_request_create",
                       "plus-circle")
ASSIGNMENTS = NavItem(pgettext_lazy("assignments", "Assignments"), "assignments:assignment_list", "briefcase")
PRESTATIES = NavItem(pgettext_lazy("assignments", "Prestaties"), "assignments:prestatie_queue", "clock-history")
INCIDENTS = NavItem(pgettext_lazy("assignments", "Incidents"), "assignments:incident_list", "exclamation-octagon")
MY_WEEK = NavItem(pgettext_lazy("assignments", "My week"), "assignments:my_week", "calendar-week")
MY_HOURS = NavItem(pgettext_lazy("assignments", "My hours"), "assignments:my_hours", "clock-history")
# The labels of the cheques app's pages are translated in cheques/locale.
CHEQUES = NavItem(pgettext_lazy("cheques", "Cheques"), "cheques:order_list", "receipt")
MY_CHEQUES = NavItem(pgettext_lazy("cheques", "My cheques"), "cheques:my_wallet", "wallet2")
# The labels of the coaching app's pages are translated in coaching/locale.
CASELOAD = NavItem(pgettext_lazy("coaching", "Caseload"), "coaching:caseload", "person-heart")
PEER_GROUPS = NavItem(pgettext_lazy("coaching", "Peer groups"), "coaching:group_list", "people")
COMPETENCES = NavItem(pgettext_lazy("coaching", "Competences"), "coaching:framework_list", "stars")
ASSIGN_COACHES = NavItem(pgettext_lazy("coaching", "Assign work coaches"), "coaching:assign", "person-check")
COACHING_SETTINGS = NavItem(pgettext_lazy("coaching", "Coaching settings"), "coaching:settings_edit", "sliders")
MY_PROGRESS = NavItem(pgettext_lazy("coaching", "My progress"), "coaching:my_coaching", "graph-up-arrow")

# The labels of the reports app's pages are translated in wijkwerken/reports/locale.
REPORTS = NavItem(pgettext_lazy("reports", "Reports"), "reports:report_overview", "file-earmark-bar-graph")
FISCAL_ATTESTS = NavItem(pgettext_lazy("reports", "Fiscal attests"), "reports:attest_overview", "file-earmark-check")

PAYOUTS = NavItem(pgettext_lazy("cheques", "Payouts"), "cheques:payout_batch_list", "cash-stack")
MONEY_OVERVIEW = NavItem(pgettext_lazy("cheques", "Money overview"), "cheques:money_overview", "graph-up")
MY_PAYOUTS = NavItem(pgettext_lazy("cheques", "My allowances"), "cheques:my_payouts", "cash-coin")

# The labels of the privacy app's pages are translated in wijkwerken/privacy/locale.
PRIVACY = NavItem(pgettext_lazy("privacy", "Privacy"), "privacy:privacy_overview", "shield-lock")

MUNICIPALITIES = NavItem(_("Municipalities"), "core:municipality_list", "geo-alt")
RULES = NavItem(_("Rules"), "core:rule_set_list", "journal-text")

NAVIGATION = {
    Role.BEHEERDER: [
        WORKERS, CLIENTS, REQUESTS, ASSIGNMENTS, PRESTATIES,
        NavGroup(_("Money"), "cash-coin", (CHEQUES, PAYOUTS, MONEY_OVERVIEW)),
        NavGroup(_("Management"), "gear", (
            REGISTRATIONS, INCIDENTS, REPORTS, FISCAL_ATTESTS, ACTIVITIES, MUNICIPALITIES,
            NavItem(_("Staff accounts"), "accounts:staff_list", "people"), RULES,
            NavItem(_("Organiser"), "core:organiser_edit", "building"), ASSIGN_COACHES, COMPETENCES,
            COACHING_SETTINGS, PRIVACY,
        )),
    ],
    Role.BEMIDDELAAR: [
        REQUESTS, ASSIGNMENTS, PRESTATIES, WORKERS, CLIENTS, CHEQUES,
        NavGroup(_("More"), "three-dots", (ENDING_SOON, REGISTRATIONS, INCIDENTS, ASSIGN_COACHES, ACTIVITIES,
                                           MUNICIPALITIES, RULES)),
    ],
    # Staff reach their start page through the name in the header; a coach's start page is the caseload.
    Role.WERKCOACH: [
        CASELOAD, WORKERS, PEER_GROUPS, ENDING_SOON,
        NavGroup(_("More"), "three-dots", (ASSIGNMENTS, COMPETENCES, RULES)),
    ],
    Role.GEMEENTE: [HOME, REPORTS, ACTIVITIES, REQUESTS],
    Role.GEBRUIKER: [HOME, ASK_FOR_HELP, MY_HOURS, MY_CHEQUES],
    Role.WIJKWERKER: [HOME, MY_WEEK, MY_PAYOUTS, MY_TRAJECTORY, MY_PROGRESS],
}


def navigation_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return NAVIGATION.get(user.role, [])
