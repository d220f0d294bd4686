"""A crawl of every main page of every role over the demo data, at desktop and at phone width.

One database is seeded with `seed_demo`; then one loop logs in as each of the six demo accounts (and first looks
around as a visitor who is not logged in), opens each page of that role's list (`ROLE_PAGES`) in a desktop and in
a phone browser, and runs every check of `CHECKS` on it. A new check is one function and one line in `CHECKS`; a
new page is one line in a role's list.

The lists cannot fall behind the application: every page a role reaches from its start page (the first of its
list) and its menu, and every page one link further, must be in the role's list (or be a download, `NOT_PAGES`),
else the crawl fails. All problems of all roles are reported together at the end.
"""

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Page as BrowserPage

from assignments.models import (
    Assignment,
    Client,
    ClientCategory,
    ClientRegistration,
    HelpRequest,
    Incident,
    Prestatie,
    RegistrationStatus,
    RequestStatus,
    ScheduleKind,
)
from cheques import demo as cheques_demo
from cheques.models import BankImport, ChequeOrder, OrderStatus, PayoutBatch, PayoutLine
from coaching.models import (
    CheckIn,
    CoachingNote,
    CompetenceFramework,
    Goal,
    GroupSession,
    Measurement,
    NoteAddendum,
    PeerGroup,
    Portfolio,
    SharedSummary,
)
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    accessibility_violations,
    csp_violations,
    new_page,
    screenshot,
    wait_for_requests,
)
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import today
from wijkwerken.core.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from wijkwerken.core.models import AuditEntry, Municipality, RuleSet
from wijkwerken.reports.models import Report
from workers.models import FollowUp, Worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEVICES = {"desktop": DESKTOP, "phone": PHONE}


@dataclass(frozen=True)
class Page:
    """One page of a role's list: a URL name and, for a detail page, the demo object (an attribute of `Demo`)
    whose page is opened. `query` is added as a query string."""

    url_name: str
    obj: str | None = None
    query: str = ""

    def path(self, demo) -> str:
        args = [getattr(demo, name).pk for name in self.obj.split(",")] if self.obj else []
        return reverse(self.url_name, args=args) + (f"?{self.query}" if self.query else "")


VISITOR = "bezoeker"  # not logged in

# Pages every logged-in role has: the start page, the messages, the password form and two-step verification (in
# the header; the demo staff, who have an authenticator app, are sent from its setup page to the code page).
COMMON = [Page("core:home"), Page("core:notification_list"), Page("core:notification_archive"),
          Page("accounts:password_change"),
          Page("accounts:two_factor"), Page("accounts:two_factor_setup")]
STAFF_WORKERS = [
    Page("workers:worker_list"), Page("workers:worker_detail", "worker"), Page("workers:trajectories_ending"),
]
# What the bemiddelaar and the beheerder both reach from their start page and menu, and one link further.
MEDIATION = [
    *STAFF_WORKERS, Page("workers:worker_create"),
    Page("assignments:client_list"), Page("assignments:client_create"), Page("assignments:client_detail", "client"),
    Page("assignments:registration_list"), Page("assignments:registration_detail", "registration"),
    Page("assignments:request_queue"), Page("assignments:request_detail", "open_request"),
    Page("assignments:request_detail", "assigned_request"),
    Page("assignments:assignment_list"), Page("assignments:assignment_detail", "assignment"),
    Page("assignments:prestatie_queue"), Page("assignments:prestatie_queue", query="lijst=betwist"),
    Page("assignments:prestatie_detail", "prestatie"),
    Page("assignments:incident_list"), Page("assignments:incident_list", query="lijst=aan-te-geven"),
    Page("assignments:incident_detail", "incident"), Page("assignments:incident_create", "assignment"),
    Page("assignments:activity_list"), Page("assignments:public_activity_list"),
    Page("cheques:order_list"), Page("cheques:order_detail", "order"), Page("cheques:client_money", "client"),
    Page("cheques:bank_import_list"), Page("cheques:bank_import_detail", "bank_import"), Page("cheques:bank_queue"),
    Page("cheques:credit_list"), Page("cheques:refund_batch_list"),
    Page("core:municipality_list"), Page("core:municipality_detail", "municipality"), Page("core:rule_set_list"),
    Page("core:rule_set_detail", "rule_set"),
]
# The forms a bemiddelaar opens from a worker's, a client's and a request's page. The beheerder gets the same
# templates: they are checked once, with the bemiddelaar.
MEDIATION_FORMS = [
    Page("workers:worker_edit", "worker"), Page("workers:worker_account", "worker"),
    Page("workers:trajectory_start", "new_worker"), Page("workers:trajectory_extend", "worker"),
    Page("workers:trajectory_suspend", "worker"), Page("workers:trajectory_evaluate", "worker"),
    Page("workers:trajectory_end", "worker"), Page("workers:interim_work_add", "worker"),
    Page("workers:follow_up_record", "follow_up"),
    Page("assignments:client_edit", "client"), Page("assignments:client_identity", "client"),
    Page("assignments:client_contact_add", "client"), Page("assignments:client_request_create", "client"),
    Page("assignments:client_exclusions", "client"), Page("assignments:request_assign", "open_request,worker"),
    Page("assignments:no_show_create", "assignment"), Page("assignments:assignment_instructions", "assignment"),
    Page("cheques:client_order_create", "client"),
]

# --- coaching ---
# The werkcoach's start page is the caseload; each worker's coaching file links to everything below. The demo
# werkcoach coaches the demo wijk-werker (`worker`), so their file is the one opened.
COACHING_FILE = [
    Page("coaching:caseload"), Page("coaching:caseload", query="attention=actie"),
    Page("coaching:worker_file", "worker"), Page("coaching:note_list", "worker"), Page("coaching:note_detail", "note"),
    Page("coaching:note_correct", "note"), Page("coaching:note_create", "worker"),
    Page("coaching:visit_create", "worker"), Page("coaching:read_log", "worker"), Page("coaching:access", "worker"),
    Page("coaching:summary_edit", "worker"), Page("coaching:measurement_create", "worker"),
    Page("coaching:measurement_detail", "measurement"), Page("coaching:check_in_create", "worker"),
    Page("coaching:goal_create", "worker"), Page("coaching:action_create", "worker"),
    Page("coaching:goal_action_create", "worker,open_goal"), Page("coaching:closing", "worker"),
]
COACHING_GROUPS = [
    Page("coaching:group_list"), Page("coaching:group_detail", "peer_group"),
    Page("coaching:session_detail", "upcoming_session"), Page("coaching:session_detail", "held_session"),
]
COACHING_FRAMEWORK = [Page("coaching:framework_list"), Page("coaching:framework_detail", "framework")]
# The bemiddelaar and the beheerder assign and hand over coaches (one by one from the worker page's panel).
COACHING_ASSIGN = [Page("coaching:assign"), Page("coaching:worker_assign", "worker")]
COACHING_OWN = [
    Page("coaching:my_coaching"), Page("coaching:my_check_in"), Page("coaching:my_self_assessment", "self_assessment"),
]

ROLE_PAGES = {
    VISITOR: [
        Page("accounts:login"), Page("accounts:password_reset"), Page("assignments:register"),
        Page("assignments:public_activity_list"), Page("core:home"),  # the start page sends a visitor to log in
    ],
    Role.BEHEERDER: [
        *COMMON, *MEDIATION,
        Page("assignments:activity_create", query="category=particulier"),
        Page("core:municipality_add"), Page("core:rule_set_create"), Page("core:organiser_edit"),
        Page("accounts:staff_list"), Page("accounts:staff_create"), Page("accounts:staff_detail", "bemiddelaar"),
        *COACHING_ASSIGN, *COACHING_FRAMEWORK, Page("coaching:settings_edit"),
        Page("reports:report_overview"), Page("reports:municipality_reports", "municipality"),
        Page("reports:organiser_reports"), Page("reports:report_detail", "municipal_report"),
        Page("reports:report_detail", "organiser_report"), Page("reports:attest_overview"),
        Page("cheques:payout_batch_list"), Page("cheques:payout_preview"),
        Page("cheques:payout_preview", query="maand=" + f"{today():%Y-%m}"),
        Page("cheques:payout_batch_detail", "payout_batch"), Page("cheques:payout_line_detail", "payout_line"),
        Page("cheques:payout_correction_create"), Page("cheques:money_overview"),
        Page("cheques:money_rows", query="cijfer=verkocht"), Page("cheques:money_rows", query="cijfer=vergoedingen"),
        Page("cheques:money_rows", query="cijfer=uitbetaald"), Page("cheques:money_rows", query="cijfer=open-tegoed"),
        Page("cheques:money_rows", query="cijfer=ontvangen"),
        Page("privacy:privacy_overview"), Page("privacy:access_request_list"),
    ],
    Role.BEMIDDELAAR: [*COMMON, *MEDIATION, *MEDIATION_FORMS, *COACHING_ASSIGN],
    Role.WERKCOACH: [
        *COMMON, *STAFF_WORKERS, Page("assignments:assignment_list"),
        Page("assignments:assignment_detail", "assignment"), Page("core:rule_set_list"),
        Page("core:rule_set_detail", "rule_set"),
        *COACHING_FILE, *COACHING_GROUPS, *COACHING_FRAMEWORK,
    ],
    Role.GEMEENTE: [
        *COMMON, Page("reports:report_overview"), Page("reports:municipality_reports", "municipality"),
        Page("reports:report_detail", "municipal_report"),
        Page("assignments:activity_list"), Page("assignments:activity_restrict"),
        Page("assignments:activity_create", query="category=particulier"), Page("assignments:public_activity_list"),
        Page("assignments:request_queue"), Page("assignments:request_queue", query="status=toegewezen"),
        Page("assignments:request_detail", "assigned_request"), Page("assignments:request_detail", "needs_request"),
        Page("assignments:request_detail", "organisation_request"),
    ],
    Role.GEBRUIKER: [
        *COMMON, Page("assignments:my_request_create"), Page("assignments:my_request_detail", "own_request"),
        Page("assignments:my_details"), Page("assignments:my_hours"), Page("assignments:public_activity_list"),
        Page("cheques:my_wallet"), Page("cheques:my_order_create"), Page("cheques:my_orders"),
        Page("cheques:my_order_detail", "own_order"),
        Page("assignments:my_request_detail", "client_request"),
        Page("assignments:assignment_instructions", "client_assignment"),
        Page("assignments:no_show_create", "client_assignment"),
        Page("assignments:incident_create", "client_assignment"),
    ],
    Role.WIJKWERKER: [
        *COMMON, Page("assignments:my_week"), Page("assignments:hours_register", "own_assignment"),
        Page("assignments:my_assignment", "own_assignment"), Page("assignments:incident_create", "own_assignment"),
        Page("workers:my_trajectory"), *COACHING_OWN, Page("cheques:my_payouts"),
    ],
}
# Pages a role reaches whose templates another role's crawl checks already (the beheerder's start page links to a
# worker's page, whose forms are the bemiddelaar's).
CHECKED_WITH = {Role.BEHEERDER: {page.url_name for page in MEDIATION_FORMS}}
# Links that lead to no page of their own: downloads, and the redirect behind a message.
NOT_PAGES = {
    "assignments:my_agreement_pdf", "assignments:client_agreement_pdf", "assignments:my_calendar",
    "assignments:worker_calendar", "workers:agreement_download", "cheques:order_pdf", "cheques:my_order_pdf",
    "cheques:refund_batch_file", "cheques:bank_import_file", "core:notification_open",
    "coaching:portfolio_download", "coaching:my_portfolio_download",
    "reports:report_download", "reports:attest_download", "reports:attest_list_download",
    "cheques:payout_batch_file", "cheques:payout_line_pdf",
    "cheques:payout_year_pdf", "cheques:my_payout_pdf", "cheques:my_payout_year_pdf",
    "privacy:access_request_download",
}


@dataclass
class Demo:
    """The demo objects whose detail pages the crawl opens, and the personal data the gemeente may not see."""

    worker: Worker
    new_worker: Worker
    follow_up: FollowUp
    client: Client
    open_request: HelpRequest
    assigned_request: HelpRequest
    needs_request: HelpRequest
    organisation_request: HelpRequest
    assignment: Assignment
    prestatie: Prestatie
    order: ChequeOrder
    bank_import: BankImport
    municipality: Municipality
    rule_set: RuleSet
    bemiddelaar: User
    registration: ClientRegistration
    municipal_report: Report
    organiser_report: Report
    own_request: HelpRequest
    own_order: ChequeOrder
    own_assignment: Assignment
    client_assignment: Assignment
    client_request: HelpRequest
    incident: Incident
    payout_batch: PayoutBatch
    payout_line: PayoutLine
    personal_data: list[str] = field(default_factory=list)
    # --- coaching (from `coaching_objects`) ---
    note: CoachingNote | None = None
    measurement: Measurement | None = None
    open_goal: Goal | None = None
    peer_group: PeerGroup | None = None
    upcoming_session: GroupSession | None = None
    held_session: GroupSession | None = None
    framework: CompetenceFramework | None = None
    self_assessment: Measurement | None = None

    def __post_init__(self):
        missing = [f.name for f in fields(self) if getattr(self, f.name) is None]
        assert not missing, f"the demo data has no {', '.join(missing)} for the crawl to open"


def demo_objects() -> Demo:
    worker = Worker.objects.get(user__email="wijkwerker@demo.wijkwerken.be")
    own_client = Client.objects.get(contacts__user__email="gebruiker@demo.wijkwerken.be")
    # Leuven is the demo gemeente's municipality.
    leuven = HelpRequest.objects.filter(municipality__nis_code="24062").order_by("pk")
    leuven_private = leuven.filter(client__category=ClientCategory.PARTICULIER)
    assigned = {int(pk) for pk in AuditEntry.objects.filter(
        action="request.toegewezen", summary__startswith="Toegewezen aan").values_list("object_id", flat=True)}
    assignment = Assignment.objects.filter(worker=worker).order_by("pk").first()
    client_assignment = Assignment.objects.filter(client=own_client, status="actief").order_by("pk").first()
    return Demo(
        worker=worker,
        new_worker=Worker.objects.filter(trajectories__isnull=True).order_by("pk").first(),
        follow_up=FollowUp.objects.order_by("pk").first(),
        client=own_client,
        open_request=HelpRequest.objects.filter(status=RequestStatus.NEW, schedule=ScheduleKind.ONCE,
                                                assignments__isnull=True).order_by("pk").first(),
        # A private person's request, assigned to a wijk-werker: its history names the worker.
        assigned_request=leuven_private.filter(pk__in=assigned).first(),
        # ... with special needs and a note of the bemiddelaar.
        needs_request=leuven_private.exclude(special_needs="").exclude(status_note="").first(),
        # An organisation's request, entered by staff on behalf of its contact person.
        organisation_request=leuven.exclude(client__category=ClientCategory.PARTICULIER).exclude(
            special_needs="").first(),
        assignment=assignment,
        prestatie=Prestatie.objects.filter(assignment__worker=worker).order_by("-date").first(),
        order=ChequeOrder.objects.filter(status=OrderStatus.PAID).order_by("pk").first(),
        bank_import=BankImport.objects.order_by("pk").first(),
        municipality=Municipality.objects.get(nis_code="24062"),
        rule_set=RuleSet.objects.order_by("pk").first(),
        bemiddelaar=User.objects.get(email="bemiddelaar@demo.wijkwerken.be"),
        registration=ClientRegistration.objects.filter(status=RegistrationStatus.REVIEW).order_by("pk").first(),
        # Last year's reports the demo makes: the one for the demo gemeente, and the whole organiser's.
        municipal_report=Report.objects.filter(municipality__nis_code="24062", audience="gemeente").first(),
        organiser_report=Report.objects.filter(municipality__isnull=True).first(),
        own_request=own_client.requests.order_by("pk").first(),
        own_order=own_client.cheque_orders.order_by("-pk").first(),
        own_assignment=assignment,
        # The demo client's running job (with its request): the client keeps up its instructions and reports.
        client_assignment=client_assignment,
        client_request=client_assignment.request,
        incident=Incident.objects.filter(worker=worker, kind="ongeval").order_by("pk").first(),
        payout_batch=PayoutBatch.objects.order_by("pk").first(),
        payout_line=PayoutLine.objects.filter(worker=worker).first(),
        personal_data=personal_data(),
        **coaching_objects(worker),
    )


def coaching_texts() -> list[str]:
    """What the coaching room writes about a person (notes, addenda, visits, shared summaries, check-in sentences,
    closing summaries), by its opening words as the page shows them: the gemeente sees no coaching data at all."""
    texts = [
        *CoachingNote.objects.values_list("text", flat=True),
        *CoachingNote.objects.values_list("contact_person_said", flat=True),
        *CoachingNote.objects.values_list("worker_said", flat=True),
        *NoteAddendum.objects.values_list("text", flat=True),
        *SharedSummary.objects.values_list("text", flat=True),
        *CheckIn.objects.values_list("sentence", flat=True),
        *Portfolio.objects.values_list("closing_summary", flat=True),
    ]
    openings = [" ".join(text.split())[:40].strip() for text in texts]
    return [opening for opening in openings if len(opening) >= 20 and not set(opening) & set("&<>'\"")]


def coaching_objects(worker: Worker) -> dict:
    """The demo werkcoach's file of the demo wijk-werker, the peer group with its held and upcoming session, the
    framework in use, and the measurement that waits for the worker's own scores."""
    sessions = GroupSession.objects.filter(group__name="Samen sterk")
    return {
        "note": CoachingNote.objects.filter(worker=worker).exclude(kind="werkplekbezoek").order_by("-date").first(),
        "measurement": Measurement.objects.filter(worker=worker).order_by("-taken_on").first(),
        "open_goal": Goal.objects.filter(worker=worker, status="open").order_by("pk").first(),
        "peer_group": PeerGroup.objects.filter(name="Samen sterk").first(),
        "upcoming_session": sessions.filter(status="gepland").order_by("starts_at").first(),
        "held_session": sessions.filter(status="gehouden").order_by("starts_at").first(),
        "framework": CompetenceFramework.objects.filter(published_on__isnull=False).order_by("-version").first(),
        "self_assessment": Measurement.objects.filter(worker=worker, self_scored_at__isnull=True).first(),
    }


def personal_data() -> list[str]:
    """What identifies a wijk-werker, a private client or a client's contact person: names, national numbers,
    phone numbers, street addresses and e-mail addresses, as stored and as shown."""
    values = []
    for worker in Worker.objects.all():
        values += [f"{worker.first_name} {worker.last_name}", f"{worker.last_name}, {worker.first_name}",
                   worker.national_number, worker.phone, worker.street, worker.email]
    for client in Client.objects.filter(category=ClientCategory.PARTICULIER):
        values += [client.name, f"{client.last_name}, {client.first_name}", client.national_number,
                   client.national_number_display, client.phone, client.street, client.email]
    for user in User.objects.filter(role__in=(Role.WIJKWERKER, Role.GEBRUIKER)):
        values += [f"{user.first_name} {user.last_name}", user.email]
    values += [re.sub(r"\D", "", value) for value in values if re.fullmatch(r"[\d ./-]{9,}", value or "")]
    values += coaching_texts()
    return sorted({value for value in values if value and len(value) >= 5})


# --- the checks: each takes a Visit and returns its problems (an empty list when the page is fine) -------------

@dataclass
class Visit:
    role: str  # a Role, or VISITOR
    device: str
    path: str
    page: BrowserPage  # showing `path`, its htmx panels loaded
    status: int
    demo: Demo


def answers_ok(visit: Visit) -> list[str]:
    """200, never a server error (5xx), a refusal or a redirect to a login page."""
    if visit.status >= 500:
        return [f"server error {visit.status}"]
    return [] if visit.status == 200 else [f"answers {visit.status}"]


def fits_the_screen(visit: Visit) -> list[str]:
    """Nothing makes the page wider than the window: no sideways scrolling of the whole page."""
    page_width, window_width = visit.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return [] if page_width <= window_width else [f"is {page_width} px wide on a {window_width} px screen"]


# A table that is wider than its box: on a phone its right-hand columns hide behind sideways scrolling.
TABLES_SCROLLING = """
() => Array.from(document.querySelectorAll(".table-responsive, table"))
  .filter(box => box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1)
  .filter(box => !box.closest(".table-responsive") || box.matches(".table-responsive"))
  .map(box => (box.getAttribute("aria-label") || (box.querySelector("caption") || {}).textContent || box.id
               || box.className).trim() + ` (${box.scrollWidth} px in ${box.clientWidth} px)`)
"""


def tables_fit(visit: Visit) -> list[str]:
    return [f"a table scrolls sideways: {table}" for table in visit.page.evaluate(TABLES_SCROLLING)]


# Words that never belong on a Dutch page: English left in a template or a seed file, a label the translation
# missed, a Python value printed as it is. Matched as whole words, with their case, in every text of the page
# (also what a menu, a card or a tab shows only when opened) and in the labels screen readers read, so Dutch
# words that contain them do not count.
NEVER_SHOWN = [
    "breadcrumb", "Breadcrumb", "captured", "Source", "None", "True", "False", "undefined", "NaN", "null",
    "Submit", "Cancel", "Delete", "Save", "Search", "Previous", "Next", "Loading", "Please", "required",
    "the", "and", "with", "your", "This field",
]
NEVER_SHOWN_PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in NEVER_SHOWN) + r")\b")
TEXT_SEEN_AND_HEARD = """
() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: node =>
    node.parentElement.closest("script, style, template") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) {
    texts.push(walker.currentNode.nodeValue.trim());
  }
  document.querySelectorAll("[aria-label], [title], [placeholder], [alt], input[type=submit]").forEach(el => {
    ["aria-label", "title", "placeholder", "alt"].forEach(name => texts.push(el.getAttribute(name) || ""));
    if (el.type === "submit") {
      texts.push(el.value);
    }
  });
  return texts.filter(Boolean).join("\\n");
}
"""


def no_english(visit: Visit) -> list[str]:
    text = visit.page.evaluate(TEXT_SEEN_AND_HEARD)
    problems = []
    for match in NEVER_SHOWN_PATTERN.finditer(text):
        start, end = text.rfind("\n", 0, match.start()) + 1, text.find("\n", match.end())
        line = text[start:end if end != -1 else None].strip()
        problems.append(f"shows {match.group(1)!r} in {line[:120]!r}")
    return sorted(set(problems))


def accessible(visit: Visit) -> list[str]:
    return accessibility_violations(visit.page)


def nothing_refused(visit: Visit) -> list[str]:
    """The page loads nothing the Content-Security-Policy refuses (an inline script or style, a foreign asset)."""
    return csp_violations(visit.page)


def no_personal_data(visit: Visit) -> list[str]:
    html = visit.page.content().casefold()
    return [f"shows personal data: {value!r}" for value in visit.demo.personal_data if value.casefold() in html]


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Visit], list[str]]
    roles: tuple | None = None  # None: every role, and the visitor
    devices: tuple = tuple(DEVICES)


CHECKS = [
    Check("status", answers_ok),
    # At both widths for every role: staff open their queues on a phone too, and a layout that stacks at phone width
    # (cards instead of tables, a collapsed menu) is other HTML for axe to check.
    Check("axe", accessible),
    Check("csp", nothing_refused),
    Check("width", fits_the_screen),
    Check("tables", tables_fit, devices=("phone",)),
    # The page's text is the same at both widths: once is enough.
    Check("english", no_english, devices=("desktop",)),
    # The page's HTML is the same at both widths: once is enough.
    Check("privacy", no_personal_data, roles=(Role.GEMEENTE,), devices=("desktop",)),
]


# --- the crawl ---------------------------------------------------------------------------------------------------

def _url_names_linked(page, base_url) -> set[str]:
    names = set()
    for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != base_url:
            continue
        try:
            names.add(resolve(url.path).view_name)
        except Resolver404:
            continue
    return names


def _log_in(page, base_url, email):
    page.goto(f"{base_url}/account/aanmelden/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{base_url}/")


def crawl_role(browser, base_url, role, email, demo) -> list[str]:
    problems = []
    pages = ROLE_PAGES[role]
    listed = {p.url_name for p in pages} | CHECKED_WITH.get(role, set())
    menu = set()  # the URL names linked from the start page and the menu
    further = set()  # ... and from those pages: one link further
    browsers = {device: new_page(browser, viewport) for device, viewport in DEVICES.items()}
    try:
        for page in browsers.values():
            if email is not None:
                _log_in(page, base_url, email)
        for spec in pages:
            path = spec.path(demo)
            for device, page in browsers.items():
                response = page.goto(base_url + path)
                wait_for_requests(page)
                visit = Visit(role=role, device=device, path=path, page=page, status=response.status, demo=demo)
                if os.environ.get("CRAWL_SCREENSHOTS"):  # to look at every page, in test-artifacts/screenshots/
                    screenshot(page, f"crawl-{role}-{device}-{re.sub(r'[^a-z0-9]+', '_', path).strip('_') or 'start'}")
                for check in CHECKS:
                    if (check.roles is None or role in check.roles) and device in check.devices:
                        problems += [f"[{role} {device}] {path} {check.name}: {problem}"
                                     for problem in check.run(visit)]
                if device == "desktop" and spec == pages[0]:
                    menu |= _url_names_linked(page, base_url)
                elif device == "desktop" and spec.url_name in menu:
                    further |= _url_names_linked(page, base_url)
    finally:
        for page in browsers.values():
            page.context.close()
    missing = sorted(name for name in (menu | further) - listed - NOT_PAGES if not name.startswith("admin:"))
    if missing:
        problems.append(f"[{role}] links to pages the crawl does not visit: {', '.join(missing)}")
    return problems


@pytest.fixture
def demo_files(tmp_path, monkeypatch):
    """The demo writes sample bank statements; here into a temporary folder, not into the source tree."""
    monkeypatch.setattr(cheques_demo, "DEMO_FILES", tmp_path)
    monkeypatch.setattr(cheques_demo, "CODA_FILE", tmp_path / "demo.cod")
    monkeypatch.setattr(cheques_demo, "CAMT_FILE", tmp_path / "demo.xml")


# The roles in two halves of about as many pages, so the parallel suite crawls them side by side.
CRAWL_HALVES = {
    "office": {VISITOR, Role.BEHEERDER, Role.GEMEENTE},
    "field": {Role.BEMIDDELAAR, Role.WERKCOACH, Role.GEBRUIKER, Role.WIJKWERKER},
}


@pytest.mark.parametrize("half", CRAWL_HALVES)
def test_every_page_of_every_role_passes_every_check(browser, live_server, demo_files, half):
    call_command("seed_demo", stdout=io.StringIO())
    demo = demo_objects()
    problems = []
    first_of_role = {}  # the demo's second werkcoach has a caseload of their own: one account per role is crawled
    for email, _first, _last, role, _nis in DEMO_ACCOUNTS:
        first_of_role.setdefault(role, email)
    accounts = [(VISITOR, None)] + list(first_of_role.items())
    assert {role for role, _email in accounts} <= set().union(*CRAWL_HALVES.values()), "a role no half crawls"
    # While working on a few pages: CRAWL_ROLES=gemeente,bemiddelaar crawls those roles only (CI crawls all).
    only = {name.strip() for name in os.environ.get("CRAWL_ROLES", "").split(",") if name.strip()}
    for role, email in accounts:
        if role not in CRAWL_HALVES[half] or (only and role not in only):
            continue
        problems += crawl_role(browser, live_server.url, role, email, demo)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
