"""Every form of every role, submitted once with valid data through its view, in the demo world.

Service tests call a service with the arguments the test writer had in mind; a page posts the field names its
template renders, the view passes its form's cleaned data on. Issue 11 found a form whose field was named
`dispute_reason` while the service expects `reason`: the service tests passed, the page always ended in a 500.
Here every URL that accepts a POST is used as a person uses it: log in as the role, GET the page that shows the
form, read the form out of the HTML (its action, its fields and the values the page fills in), change only the
fields a person would type in, post it, and check the outcome in the database (the object changed or created,
or the audit entry the service writes) and in the response (a redirect or a page without form errors, no error
message, never a 500). A test may only fill in fields the page really renders: a template, form and service
that disagree on a name fail here.

The world is the demo (`manage.py seed_demo`, or the rows it made when another test of the xdist group "demo"
seeded it first: tests/demo.py), made once for this module inside a transaction that is rolled back at the end, so
every case starts from the same demo data and the rest of the suite sees an empty database.
Objects are picked by their natural keys (demo e-mail addresses, names, statuses), never by id. Tasks the seed
queues for after its commit (PDFs, mails, issuing the cheques of paid orders) do not run: the world is the rows
the seed wrote.

How to add a case (a new view that accepts a POST, or a new action behind an existing URL):

1. Write a test function below, decorated with `@covers("app:url_name")`, or `@covers("app:url_name", "action")`
   for one action of a URL that dispatches on an action (and add the action to `ACTIONS`).
2. Log in with `login(client, BEMIDDELAAR)` (the demo roles are the constants below), pick the demo object by a
   natural key, and get the form with `form = page_form(client, page_url, action=url)`; then
   `response = form.submit(client, {"field": "value"})`. Only the fields you pass change; the rest keep what the
   page filled in, as in a browser.
3. Assert `done(response)` (a redirect or a clean page, no error message) and the result in the database, with
   `audit.new("entity.verb")` for the audit entry the service writes.
4. A URL that only answers GET goes into `GET_ONLY`. A POST URL that is not a person's form goes into `EXCLUDED`
   with the reason and where it is tested. `test_every_url_has_a_decision` fails until one of the three is done.

A new app (coaching, reports, payouts) adds its demo in its `demo.py` (the seed here runs it) and its cases here.
"""

import datetime
import inspect
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
import responses
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.forms import BaseForm
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.be import nn, vat

from assignments.models import (
    Activity,
    ActivityRestriction,
    Assignment,
    AssignmentStatus,
    Client,
    ClientRegistration,
    ClientStatus,
    FeeStatus,
    HelpRequest,
    Incident,
    Prestatie,
    PrestatieStatus,
    RegistrationFee,
    RegistrationStatus,
    RequestStatus,
    WorkerExclusion,
)
from assignments.services import (
    activity_create,
    assignment_pause,
    client_register,
    client_sign_agreement,
    worker_exclusion_add,
)
from assignments.services.prestaties import confirmation_token
from assignments.services.registrations import (
    client_registration_confirm,
    client_registration_submit,
    registration_confirm_token,
)
from cheques import demo as cheques_demo
from cheques.models import (
    BankImport,
    BankLine,
    Cheque,
    ChequeKind,
    ChequeOrder,
    ClientCredit,
    ImportStatus,
    LineStatus,
    MolliePayment,
    OrderStatus,
    PayoutBatch,
    PayoutCorrection,
)
from cheques.services.bank_import import bank_import_create
from coaching import services as coaching_services
from coaching.models import (
    ActionStatus,
    CheckIn,
    CoachingNote,
    CoachingSettings,
    CompetenceFramework,
    Goal,
    GoalAction,
    GoalReview,
    GoalStatus,
    GroupSession,
    Measurement,
    NoteAccessGrant,
    PeerGroup,
    Portfolio,
    SessionStatus,
    SharedSummary,
)
from tests.accounts.factories import UserFactory
from tests.core.factories import OrganiserFactory, RuleSetFactory
from tests.demo import seed_demo
from wijkwerken.accounts.models import Role, User
from wijkwerken.accounts.services import two_factor_device_start, two_factor_enable
from wijkwerken.core.dates import today
from wijkwerken.core.management.commands.seed_demo import DEMO_KBO, DEMO_PASSWORD
from wijkwerken.core.models import (
    AuditEntry,
    ChequePrice,
    Municipality,
    Notification,
    Organiser,
    PayoutDate,
    RuleSet,
)
from wijkwerken.core.services import municipality_assign
from wijkwerken.privacy.models import AccessRequest
from wijkwerken.reports.models import AttestBatch, BuildStatus, FiscalAttest, Report, ReportAudience
from workers.models import FollowUp, InterimWork, TrajectoryStatus, Worker

# One worker runs the whole module, so the demo below is seeded once, not once per worker that gets a test.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

BEHEERDER = "beheerder@demo.wijkwerken.be"
BEMIDDELAAR = "bemiddelaar@demo.wijkwerken.be"
WERKCOACH = "werkcoach@demo.wijkwerken.be"
GEMEENTE = "gemeente@demo.wijkwerken.be"
GEBRUIKER = "gebruiker@demo.wijkwerken.be"
WIJKWERKER = "wijkwerker@demo.wijkwerken.be"

DAY = datetime.timedelta(days=1)
DEMO_FILES = Path(cheques_demo.__file__).resolve().parent / "demo_files"
RECORDED_MOLLIE = Path(__file__).parent / "cheques" / "recorded"

# --- what must be covered ---------------------------------------------------------------------------------------

COVERED: dict[str, set[str]] = defaultdict(set)


def covers(url_name: str, action: str = ""):
    """Mark a test as the case for `url_name` (and one `action` of a URL that dispatches on one); the test runs
    in the demo world."""
    def mark(test):
        COVERED[url_name].add(action)
        return pytest.mark.usefixtures("demo_world")(test)
    return mark


# URLs that dispatch on an action (a URL argument or a posted `action`): every action needs its own case.
ACTIONS = {
    "assignments:client_action": {"sign", "activate", "stop"},
    "assignments:assignment_action": {"pauzeren", "hervatten", "beeindigen", "overdragen"},
    "assignments:prestatie_detail": {"validate", "correct", "resolve", "cancel", "kilometres"},
    "assignments:prestatie_confirm_link": {"confirm", "dispute"},
}

# POST URLs that are not a person's form, with the reason and where they are tested.
EXCLUDED = {
    # Mollie's server calls it with a payment id (no person, no form); tests/cheques/test_mollie.py covers it
    # against recorded Mollie responses, including forged and unknown ids.
    "cheques:mollie_webhook",
}
# The Django admin (/ontwikkelaars/admin/) is Django's own, for developers only: its forms are Django's.
EXCLUDED_NAMESPACES = {"admin"}

# URLs that only show something (pages, partials, downloads, feeds): no form posts to them.
GET_ONLY = {
    "core:home", "core:health", "core:search", "core:notification_list", "core:notification_archive",
    "core:municipality_list",
    "core:municipality_detail",
    "core:rule_set_list", "core:rule_set_detail",
    "accounts:password_reset_done", "accounts:staff_list", "accounts:two_factor", "accounts:two_factor_codes",
    "workers:worker_list", "workers:trajectories_ending", "workers:my_trajectory", "workers:start_panel",
    "workers:worker_detail", "workers:agreement_download",
    "assignments:public_activity_list", "assignments:public_activity_list_for", "assignments:my_request_detail",
    "assignments:register_sent", "assignments:registration_list", "assignments:registration_detail",
    "assignments:my_agreement_pdf", "assignments:client_list", "assignments:client_detail",
    "assignments:client_agreement_pdf", "assignments:request_queue", "assignments:request_candidates",
    "assignments:my_week", "assignments:my_calendar", "assignments:my_hours_panel", "assignments:my_hours",
    "assignments:assignment_list", "assignments:assignment_detail", "assignments:worker_calendar",
    "assignments:worker_hours_panel", "assignments:panel_client", "assignments:panel_queue",
    "assignments:panel_municipality", "assignments:activity_list",
    "assignments:my_assignment", "assignments:incident_list", "assignments:incident_detail",
    "assignments:panel_incidents",
    "cheques:my_wallet", "cheques:my_orders", "cheques:my_order_detail", "cheques:my_order_pdf",
    # Back from Mollie's checkout: a GET that asks Mollie for the status (tests/cheques/test_mollie.py).
    "cheques:my_order_return",
    "cheques:panel_wallet", "cheques:order_list", "cheques:order_detail", "cheques:order_pdf", "cheques:client_money",
    "cheques:bank_import_detail", "cheques:bank_import_file", "cheques:bank_import_progress", "cheques:bank_queue",
    "cheques:refund_batch_list",
    "cheques:refund_batch_detail", "cheques:refund_batch_file", "cheques:panel_staff",
    "core:organiser_logo_image",
    "reports:report_overview", "reports:report_detail", "reports:report_progress", "reports:report_download",
    "reports:panel_gemeente", "reports:attest_batch_progress", "reports:attest_list_download",
    "reports:attest_download", "reports:my_attests_panel", "reports:client_attests_panel",
    "cheques:payout_batch_list", "cheques:payout_preview", "cheques:payout_preview_worker",
    "cheques:payout_batch_detail", "cheques:payout_batch_file", "cheques:payout_line_detail",
    "cheques:payout_line_pdf", "cheques:payout_year_pdf", "cheques:money_overview", "cheques:money_rows",
    "cheques:my_payouts", "cheques:my_payouts_panel", "cheques:my_payout_pdf", "cheques:my_payout_year_pdf",
    "privacy:privacy_overview", "privacy:access_request_list", "privacy:access_request_download",
}


# --- the world --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for the module in a transaction rolled back at its end; each test's own
    transaction nests in it as a savepoint. The sample statements the seed writes go to a temporary folder,
    not into the source tree."""
    patch = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("demo_files")
    patch.setattr(cheques_demo, "DEMO_FILES", folder)
    patch.setattr(cheques_demo, "CODA_FILE", folder / "demo-uittreksel.cod")
    patch.setattr(cheques_demo, "CAMT_FILE", folder / "demo-uittreksel-camt053.xml")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            yield folder
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            patch.undo()


def login(client, email: str) -> User:
    user = User.objects.get(email=email)
    client.force_login(user)
    return user


def demo_client() -> Client:
    return Client.objects.get(contacts__user__email=GEBRUIKER)


def worker(first_name: str, last_name: str) -> Worker:
    return Worker.objects.get(organiser__kbo_number=DEMO_KBO, first_name=first_name, last_name=last_name)


def new_national_number(serial: int) -> str:
    """A valid national register number no demo person has (born 1 February 1991)."""
    base = f"910201{serial:03d}"
    return next(base + f"{check:02d}" for check in range(100) if nn.is_valid(base + f"{check:02d}"))


def new_kbo(serial: int) -> str:
    base = f"0{8765000 + serial:07d}"
    number = next(base + f"{check:02d}" for check in range(100) if vat.is_valid(base + f"{check:02d}"))
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def iso(day: datetime.date) -> str:
    return day.isoformat()


@pytest.fixture
def audit(db):
    """The audit entries written since the test started: `audit.new("client.update")`."""
    class Audit:
        start = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0

        def new(self, action: str, obj=None):
            entries = AuditEntry.objects.filter(id__gt=self.start, action=action)
            if obj is not None:
                entries = entries.filter(object_id=str(obj.pk))
            return list(entries)

    return Audit()


# --- forms as a browser sees them -------------------------------------------------------------------------------

@dataclass
class PageForm:
    page_url: str
    action: str
    values: dict[str, list[str]]
    names: set[str]
    button: tuple[str, str] | None = None

    def submit(self, client, data: dict | None = None, **extra):
        """Post the form as a browser would: the page's values, with `data` typed in. Only fields the page
        renders may be filled in."""
        values = {name: list(vals) for name, vals in self.values.items()}
        for name, value in (data or {}).items():
            assert name in self.names, (
                f"{self.page_url}: the form posting to {self.action} has no field {name!r} "
                f"(it has {sorted(self.names)})")
            if value is None:
                values.pop(name, None)
            elif isinstance(value, list | tuple | set):
                values[name] = [str(v) for v in value]
            elif hasattr(value, "read"):
                values[name] = value
            else:
                values[name] = [str(value)]
        if self.button:
            values[self.button[0]] = [self.button[1]]
        return client.post(self.action, values, **extra)


def page_form(client, page_url: str, *, action: str | None = None, marked: tuple[str, str] | None = None,
              having: set[str] = frozenset(), index: int | None = None, response=None) -> PageForm:
    """The POST form on `page_url` that posts to `action` (the page itself when None). Where several do:
    `marked` picks the one with that submit button or hidden field (name, value) — a button is pressed on
    submit —, `having` the one with those fields, `index` one of several alike. `response`: read the form from
    a page a POST answered with (a form shown again with a question), instead of GETting `page_url`."""
    response = response or client.get(page_url)
    assert response.status_code == 200, f"GET {page_url}: {response.status_code}"
    document = lxml.html.fromstring(response.content.decode())
    target = urlsplit(action or page_url).path
    candidates = []
    for form in document.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        posts_to = urlsplit(urljoin(page_url, form.get("action") or page_url)).path
        if posts_to != target:
            continue
        buttons = [(b.get("name"), b.get("value", "")) for b in form.xpath(
            ".//button[@name]|.//input[@type='submit'][@name]")]
        hidden = [(h.get("name"), h.get("value", "")) for h in form.xpath(".//input[@type='hidden'][@name]")]
        if marked is not None and marked not in buttons + hidden:
            continue
        names = {el.name for el in form.inputs if el.name} | {name for name, _value in buttons}
        if not having <= names:
            continue
        candidates.append((form, names))
    labels = [sorted(names) for _form, names in candidates]
    if index is None:
        assert len(candidates) == 1, f"{page_url}: {len(candidates)} forms post to {target}: {labels}"
        index = 0
    assert len(candidates) > index, f"{page_url}: {len(candidates)} forms post to {target}"
    form, names = candidates[index]
    values = defaultdict(list)
    for name, value in form.form_values():
        values[name].append(value)
    values.pop("csrfmiddlewaretoken", None)
    button = marked if marked is not None and marked[0] not in values else None
    return PageForm(page_url=page_url, action=target, values=dict(values), names=names, button=button)


def forms_posting_to(client, page_url: str, action: str) -> int:
    """How many forms on the page post to `action` (to check what a page no longer offers)."""
    document = lxml.html.fromstring(client.get(page_url).content.decode())
    return sum(1 for form in document.forms if (form.method or "").upper() == "POST"
               and urlsplit(urljoin(page_url, form.get("action") or page_url)).path == action)


def links_to(client, page_url: str, url_name: str) -> list[str]:
    """The links on the page to the URL named `url_name`, in page order."""
    document = lxml.html.fromstring(client.get(page_url).content.decode())
    links = []
    for href in document.xpath("//a/@href"):
        path = urlsplit(urljoin(page_url, href)).path
        try:
            if resolve(path).view_name == url_name:
                links.append(path)
        except Resolver404:
            continue
    return links


def messages_of(response) -> list:
    return list(get_messages(response.wsgi_request))


def form_errors(response) -> dict:
    errors = {}
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                errors[type(value).__name__] = value.errors.get_json_data()
    return errors


def done(response, *, status: int = 302) -> None:
    """The request went through: the expected status, no form errors, no error or warning message."""
    problems = [f"{m.level_tag}: {m.message}" for m in messages_of(response) if m.level_tag in ("error", "warning")]
    errors = form_errors(response)
    assert response.status_code == status and not problems and not errors, (
        f"{response.status_code} (expected {status}); messages {problems}; form errors {errors}")


# --- the meta-test ------------------------------------------------------------------------------------------------

def _url_patterns(resolver=None, namespace=""):
    """(name with its namespace, pattern) for every URL pattern outside EXCLUDED_NAMESPACES; None for a pattern
    without a name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern


HANDLES_POST = re.compile(r"request\.POST|request\.FILES|request\.method|require_POST|require_http_methods")


def _handles_post(callback) -> bool:
    """Whether a view reads a POST: a class-based view with a `post` method, or a function view whose source
    (decorators included) mentions the POST."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    return bool(HANDLES_POST.search(inspect.getsource(inspect.unwrap(callback))))


def test_every_url_has_a_decision():
    """A new URL of any kind fails here until it has a case, or is listed as GET-only or excluded."""
    patterns = list(_url_patterns())
    assert not [p for name, p in patterns if name is None], "every URL needs a name to be tracked here"
    names = {name for name, _pattern in patterns}
    decided = set(COVERED) | EXCLUDED | GET_ONLY
    assert not names - decided, (
        f"URLs without a decision: {sorted(names - decided)}. A URL that accepts a POST needs a case in "
        "tests/test_every_form.py (@covers); one that only answers GET goes into GET_ONLY.")
    assert not decided - names, f"listed but not in the URLconf any more: {sorted(decided - names)}"
    assert not set(COVERED) & GET_ONLY, f"both covered and GET-only: {sorted(set(COVERED) & GET_ONLY)}"
    assert not EXCLUDED & (GET_ONLY | set(COVERED))


def test_get_only_views_do_not_handle_posts():
    """A view listed as GET-only that starts to read a POST needs a case instead. (Read from the view's source:
    a view that leaves the POST to a helper is not seen; the list itself is the first line of defence.)"""
    callbacks = {name: pattern.callback for name, pattern in _url_patterns()}
    assert _handles_post(callbacks["core:organiser_edit"]) and _handles_post(callbacks["accounts:login"])
    assert not _handles_post(callbacks["accounts:password_reset_done"])
    posting = sorted(name for name in GET_ONLY if _handles_post(callbacks[name]))
    assert not posting, f"these views handle a POST: give them a case and take them out of GET_ONLY: {posting}"


def test_every_action_has_a_case():
    for url_name, actions in ACTIONS.items():
        assert actions <= COVERED[url_name], f"{url_name}: no case for {sorted(actions - COVERED[url_name])}"
    callbacks = {name: pattern.callback for name, pattern in _url_patterns()}
    for url_name, actions in ACTIONS.items():
        source = inspect.getsource(inspect.unwrap(callbacks[url_name]))
        named = set(re.findall(r'action == "(\w+)"', source))
        assert named <= actions, f"{url_name} handles {sorted(named - actions)}: add them to ACTIONS with a case"


# --- core ---------------------------------------------------------------------------------------------------------

@covers("core:organiser_edit")
def test_organiser_edit(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("core:organiser_edit"))
    done(form.submit(client, {"phone": "016 99 88 77"}))
    assert Organiser.objects.get(kbo_number=DEMO_KBO).phone == "016 99 88 77"
    assert audit.new("organiser.update")


@covers("core:organiser_logo")
def test_organiser_logo(client, audit):
    from PIL import Image

    login(client, BEHEERDER)
    form = page_form(client, reverse("core:organiser_edit"), action=reverse("core:organiser_logo"))
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (11, 90, 74)).save(image, "PNG")
    done(form.submit(client, {"logo": SimpleUploadedFile("logo.png", image.getvalue(), "image/png")}))
    assert Organiser.objects.get(kbo_number=DEMO_KBO).logo.name.endswith(".png")
    assert audit.new("organiser.logo")


@covers("core:municipality_add")
def test_municipality_add(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("core:municipality_add"))
    done(form.submit(client, {"nis_code": "24055 Kortenberg"}))
    assert Municipality.objects.get(nis_code="24055").organiser.kbo_number == DEMO_KBO
    assert audit.new("municipality.assign")


@covers("core:cheque_price_set")
def test_cheque_price_set(client, audit):
    login(client, BEHEERDER)
    herent = Municipality.objects.get(nis_code="24038")
    form = page_form(client, reverse("core:municipality_detail", args=[herent.pk]),
                     action=reverse("core:cheque_price_set", args=[herent.pk]))
    done(form.submit(client, {"price": "6.95", "decided_on": iso(today())}))
    decision = ChequePrice.objects.get(municipality=herent, valid_from=datetime.date(today().year + 1, 1, 1))
    assert decision.price == Decimal("6.95")
    assert audit.new("cheque_price.set")


@covers("core:municipality_release")
def test_municipality_release(client, audit):
    beheerder = login(client, BEHEERDER)
    kortenberg = municipality_assign(organiser=beheerder.organiser, nis_code="24055", actor=beheerder)
    form = page_form(client, reverse("core:municipality_detail", args=[kortenberg.pk]),
                     action=reverse("core:municipality_release", args=[kortenberg.pk]))
    done(form.submit(client))
    kortenberg.refresh_from_db()
    assert kortenberg.organiser is None
    assert audit.new("municipality.release")


@covers("core:rule_set_create")
def test_rule_set_create(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("core:rule_set_create"))
    starts = today() + 30 * DAY
    done(form.submit(client, {"valid_from": iso(starts), "note": "Besluit raad van bestuur",
                              "cheque_validity_months": "18"}))
    rule_set = RuleSet.objects.get(organiser__kbo_number=DEMO_KBO, valid_from=starts)
    assert rule_set.cheque_validity_months == 18
    assert audit.new("rule_set.create")


@covers("core:payout_calendar_fill")
def test_payout_calendar_fill(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("core:rule_set_list"), action=reverse("core:payout_calendar_fill"))
    year = today().year + 2
    done(form.submit(client, {"year": year, "working_day": "3"}))
    assert PayoutDate.objects.filter(organiser__kbo_number=DEMO_KBO, month__year=year).count() == 12
    assert audit.new("payout_calendar.fill")


@covers("core:payout_date_set")
def test_payout_date_set(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("core:rule_set_list"), action=reverse("core:payout_date_set"))
    month = today().replace(day=1)
    pays_on = (month + 40 * DAY).replace(day=12)
    done(form.submit(client, {"month": f"{month:%Y-%m}", "pays_on": iso(pays_on)}))
    assert PayoutDate.objects.get(organiser__kbo_number=DEMO_KBO, month=month).pays_on == pays_on
    assert audit.new("payout_date.set")


@covers("core:notification_open")
def test_notification_open(client):
    user = login(client, BEMIDDELAAR)
    notification = Notification.objects.filter(recipient=user, read_at__isnull=True).first()
    assert notification is not None, "the demo gives the bemiddelaar a notification"
    form = page_form(client, reverse("core:notification_list"),
                     action=reverse("core:notification_open", args=[notification.pk]))
    done(form.submit(client))
    notification.refresh_from_db()
    assert notification.read_at is not None


@covers("core:notifications_read_all")
def test_notifications_read_all(client):
    user = login(client, GEBRUIKER)
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).exists(), "the demo client has news"
    form = page_form(client, reverse("core:notification_list"), action=reverse("core:notifications_read_all"))
    done(form.submit(client))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


# --- accounts -----------------------------------------------------------------------------------------------------

@covers("accounts:login")
def test_login(client):
    form = page_form(client, reverse("accounts:login"))
    response = form.submit(client, {"username": GEBRUIKER, "password": DEMO_PASSWORD})
    done(response)
    assert client.session["_auth_user_id"] == str(User.objects.get(email=GEBRUIKER).pk)


@covers("accounts:logout")
def test_logout(client):
    login(client, GEBRUIKER)
    form = page_form(client, reverse("core:home"), action=reverse("accounts:logout"))
    done(form.submit(client))
    assert "_auth_user_id" not in client.session


@covers("accounts:password_change")
def test_password_change(client):
    user = login(client, WIJKWERKER)
    form = page_form(client, reverse("accounts:password_change"))
    done(form.submit(client, {"old_password": DEMO_PASSWORD, "new_password1": "Zomer-in-Bertem-2026",
                              "new_password2": "Zomer-in-Bertem-2026"}))
    user.refresh_from_db()
    assert user.check_password("Zomer-in-Bertem-2026")


def _reset_link(client, email: str) -> str:
    form = page_form(client, reverse("accounts:password_reset"))
    done(form.submit(client, {"email": email}))
    [message] = [m for m in mail.outbox if email in m.to]
    return re.search(r"https?://\S+(/account/wachtwoord/nieuw/\S+/)", message.body).group(1)


@covers("accounts:password_reset")
def test_password_reset(client):
    link = _reset_link(client, GEBRUIKER)
    assert link.startswith("/account/wachtwoord/nieuw/")


@covers("accounts:password_reset_confirm")
def test_password_reset_confirm(client, audit):
    link = _reset_link(client, GEBRUIKER)
    set_password_url = client.get(link)["Location"]  # Django hides the token behind a redirect
    form = page_form(client, set_password_url)
    done(form.submit(client, {"new_password1": "Herfst-in-Herent-2026", "new_password2": "Herfst-in-Herent-2026"}))
    user = User.objects.get(email=GEBRUIKER)
    assert user.check_password("Herfst-in-Herent-2026")
    assert client.session["_auth_user_id"] == str(user.pk)  # the link logs the person in
    assert audit.new("account.password_reset", user)


def totp_code(device, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = datetime.datetime.now().timestamp() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def second_step_passed(client, device) -> None:
    """As after the second step of logging in."""
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@covers("accounts:two_factor_setup")
def test_two_factor_setup(client, audit):
    user = login(client, WIJKWERKER)
    form = page_form(client, reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done(form.submit(client, {"code": totp_code(device)}))
    device.refresh_from_db()
    assert device.confirmed
    assert audit.new("account.two_factor_enable", user)


@covers("accounts:two_factor_verify")
def test_two_factor_verify(client, audit, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    user = login(client, BEMIDDELAAR)  # the demo gives the demo staff the README's authenticator secret
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    form = page_form(client, reverse("accounts:two_factor_verify"))
    done(form.submit(client, {"code": totp_code(TOTPDevice.objects.get(user=user))}))
    assert client.get(reverse("core:home")).status_code == 200
    assert audit.new("account.two_factor_login", user)


@covers("accounts:two_factor_codes_renew")
def test_two_factor_codes_renew(client, audit):
    user = login(client, BEHEERDER)
    form = page_form(client, reverse("accounts:two_factor"), action=reverse("accounts:two_factor_codes_renew"))
    response = form.submit(client)
    done(response)
    assert response["Location"] == reverse("accounts:two_factor_codes")
    assert audit.new("account.recovery_codes", user)


@covers("accounts:two_factor_disable")
def test_two_factor_disable(client, audit):
    user = login(client, WIJKWERKER)
    device = two_factor_device_start(user=user)
    device, _codes = two_factor_enable(user=user, code=totp_code(device), actor=user)
    second_step_passed(client, device)
    form = page_form(client, reverse("accounts:two_factor"), action=reverse("accounts:two_factor_disable"))
    done(form.submit(client))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert audit.new("account.two_factor_disable", user)


@covers("accounts:staff_create")
def test_staff_create(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("accounts:staff_create"))
    done(form.submit(client, {"email": "nieuwe.coach@demo.wijkwerken.be", "first_name": "Nora",
                              "last_name": "Nieuw", "role": Role.WERKCOACH}))
    account = User.objects.get(email="nieuwe.coach@demo.wijkwerken.be")
    assert account.role == Role.WERKCOACH and account.organiser.kbo_number == DEMO_KBO
    assert audit.new("account.create", account)


@covers("accounts:staff_detail")
def test_staff_detail(client, audit):
    login(client, BEHEERDER)
    coach = User.objects.get(email=WERKCOACH)
    form = page_form(client, reverse("accounts:staff_detail", args=[coach.pk]))
    done(form.submit(client, {"phone": "0470 11 22 33"}))
    coach.refresh_from_db()
    assert coach.phone == "0470 11 22 33"
    assert audit.new("account.update", coach)


@covers("accounts:staff_send_setup_mail")
def test_staff_send_setup_mail(client, audit, django_capture_on_commit_callbacks):
    login(client, BEHEERDER)
    coach = User.objects.get(email=WERKCOACH)
    form = page_form(client, reverse("accounts:staff_detail", args=[coach.pk]),
                     action=reverse("accounts:staff_send_setup_mail", args=[coach.pk]))
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after the commit
        done(form.submit(client))
    assert audit.new("account.setup_mail", coach)
    assert [m for m in mail.outbox if WERKCOACH in m.to]


@covers("accounts:staff_two_factor_reset")
def test_staff_two_factor_reset(client, audit):
    login(client, BEHEERDER)
    coach = User.objects.get(email=WERKCOACH)
    form = page_form(client, reverse("accounts:staff_detail", args=[coach.pk]),
                     action=reverse("accounts:staff_two_factor_reset", args=[coach.pk]))
    done(form.submit(client))
    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert audit.new("account.two_factor_reset", coach)


# --- workers ------------------------------------------------------------------------------------------------------

@covers("workers:worker_create")
def test_worker_create(client, audit):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("workers:worker_create"))
    done(form.submit(client, {
        "first_name": "Ruben", "last_name": "Nieuwkomer", "national_number": new_national_number(11),
        "email": "ruben.nieuwkomer@voorbeeld.be", "phone": "0470 55 44 33", "street": "Tiensestraat 10",
        "postcode": "3000", "city": "Leuven", "referral": "vdab", "referrer_name": "An Verwijzer",
        "referral_date": iso(today() - 7 * DAY), "consent_signed_on": iso(today() - 7 * DAY),
        "languages": ["nl", "en"], "mobility": ["bike"], "max_distance_km": "5",
        "availability": ["0-morning", "2-afternoon"],
    }))
    created = Worker.objects.get(last_name="Nieuwkomer")
    assert created.municipality.nis_code == "24062"
    assert sorted(s.slot for s in created.availability.all()) == ["0-morning", "2-afternoon"]
    assert audit.new("worker.create", created)


@covers("workers:worker_edit")
def test_worker_edit(client, audit):
    login(client, BEMIDDELAAR)
    bart = worker("Bart", "Claes")
    form = page_form(client, reverse("workers:worker_edit", args=[bart.pk]))
    done(form.submit(client, {"phone": "0470 12 12 12"}))
    bart.refresh_from_db()
    assert bart.phone == "0470 12 12 12"
    assert audit.new("worker.update", bart)


@covers("workers:worker_account")
def test_worker_account(client, audit):
    login(client, BEMIDDELAAR)
    bart = worker("Bart", "Claes")
    form = page_form(client, reverse("workers:worker_account", args=[bart.pk]))
    done(form.submit(client))  # the page fills in the worker's e-mail address
    bart.refresh_from_db()
    assert bart.user.email == bart.email and bart.user.role == Role.WIJKWERKER
    assert audit.new("worker.account_create", bart)


@covers("workers:interim_work_add")
def test_interim_work_add(client, audit):
    login(client, BEMIDDELAAR)
    sofie = worker("Sofie", "Janssens")
    form = page_form(client, reverse("workers:interim_work_add", args=[sofie.pk]))
    done(form.submit(client, {"start_date": iso(today() - 10 * DAY), "end_date": iso(today() - 8 * DAY),
                              "employer": "Uitzendbureau Leuven"}))
    assert InterimWork.objects.filter(worker=sofie, employer="Uitzendbureau Leuven").exists()
    assert audit.new("worker.interim_work", sofie)


@covers("workers:agreement_generate")
def test_agreement_generate(client, audit):
    login(client, BEMIDDELAAR)
    sofie = worker("Sofie", "Janssens")
    form = page_form(client, reverse("workers:worker_detail", args=[sofie.pk]),
                     action=reverse("workers:agreement_generate", args=[sofie.pk]))
    done(form.submit(client))
    assert audit.new("worker.agreement", sofie)


@covers("workers:trajectory_start")
def test_trajectory_start(client, audit):
    login(client, BEMIDDELAAR)
    bart = worker("Bart", "Claes")
    form = page_form(client, reverse("workers:trajectory_start", args=[bart.pk]))
    done(form.submit(client, {"start_date": iso(today())}))
    assert bart.trajectories.get().status == TrajectoryStatus.ACTIVE
    assert audit.new("trajectory.start")


@covers("workers:trajectory_extend")
def test_trajectory_extend(client, audit):
    login(client, BEMIDDELAAR)
    sofie = worker("Sofie", "Janssens")
    trajectory = sofie.trajectories.active().get()
    new_end = trajectory.end_date + 60 * DAY
    form = page_form(client, reverse("workers:trajectory_extend", args=[sofie.pk]))
    done(form.submit(client, {"new_end_date": iso(new_end), "reason": "Evaluatie: verlenging afgesproken"}))
    trajectory.refresh_from_db()
    assert trajectory.end_date == new_end
    assert audit.new("trajectory.extend", sofie)


@covers("workers:trajectory_suspend")
def test_trajectory_suspend(client, audit):
    login(client, BEMIDDELAAR)
    karim = worker("Karim", "Benali")
    trajectory = karim.trajectories.active().get()
    form = page_form(client, reverse("workers:trajectory_suspend", args=[karim.pk]))
    done(form.submit(client, {"start_date": iso(today() + 7 * DAY), "end_date": iso(today() + 13 * DAY),
                              "reason": "Ziekte"}))
    assert trajectory.suspensions.filter(start_date=today() + 7 * DAY).exists()
    assert audit.new("trajectory.suspend", karim)


@covers("workers:trajectory_evaluate")
def test_trajectory_evaluate(client, audit):
    login(client, BEMIDDELAAR)
    linda = worker("Linda", "Vermeulen")
    trajectory = linda.trajectories.active().get()
    form = page_form(client, reverse("workers:trajectory_evaluate", args=[linda.pk]))
    done(form.submit(client, {"evaluated_on": iso(today()), "note": "Werkt zelfstandig; stap naar opleiding."}))
    assert trajectory.evaluations.filter(evaluated_on=today()).exists()
    assert audit.new("trajectory.evaluate", linda)


@covers("workers:trajectory_end")
def test_trajectory_end(client, audit):
    login(client, BEMIDDELAAR)
    dirk = worker("Dirk", "Wouters")
    trajectory = dirk.trajectories.active().get()
    form = page_form(client, reverse("workers:trajectory_end", args=[dirk.pk]))
    done(form.submit(client, {"ended_on": iso(today()), "outflow_reason": "werk", "note": "Vast contract"}))
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ENDED and trajectory.outflow_reason == "werk"
    assert audit.new("trajectory.end", dirk)


@covers("workers:follow_up_record")
def test_follow_up_record(client, audit):
    login(client, BEMIDDELAAR)
    els = worker("Els", "De Smet")
    follow_up = FollowUp.objects.filter(trajectory__worker=els, done_on__isnull=True).order_by("due_on").first()
    page = client.get(reverse("workers:worker_detail", args=[els.pk]))
    assert reverse("workers:follow_up_record", args=[follow_up.pk]).encode() in page.content
    form = page_form(client, reverse("workers:follow_up_record", args=[follow_up.pk]))
    done(form.submit(client, {"done_on": iso(today()), "situation": "werk", "note": "Nog steeds aan het werk"}))
    follow_up.refresh_from_db()
    assert follow_up.done_on == today() and follow_up.situation == "werk"
    assert audit.new("follow_up.record")


# --- assignments: clients -----------------------------------------------------------------------------------------

@covers("assignments:register")
def test_register(client, django_capture_on_commit_callbacks):
    form = page_form(client, reverse("assignments:register"))
    with django_capture_on_commit_callbacks(execute=True):  # the mail with the link goes after the commit
        response = form.submit(client, {
            "category": "particulier", "first_name": "Hanne", "last_name": "Nieuwlaat",
            "national_number": new_national_number(21), "street": "Kerkstraat 4", "postcode": "3020",
            "city": "Herent", "phone": "016 22 33 44", "email": "hanne.nieuwlaat@voorbeeld.be",
            "password1": "Lente-in-Herent-2026", "password2": "Lente-in-Herent-2026",
        })
    done(response)
    assert response["Location"] == reverse("assignments:register_sent")
    registration = ClientRegistration.objects.get(email="hanne.nieuwlaat@voorbeeld.be")
    assert registration.status == RegistrationStatus.UNCONFIRMED and registration.municipality.nis_code == "24038"
    assert [m for m in mail.outbox if "hanne.nieuwlaat@voorbeeld.be" in m.to]


def _registration(serial: int, **overrides) -> ClientRegistration:
    data = {"category": "particulier", "first_name": "Hanne", "last_name": "Nieuwlaat",
            "national_number": new_national_number(serial), "street": "Kerkstraat 4", "postcode": "3020",
            "city": "Herent", "email": f"hanne.{serial}@voorbeeld.be", "password": "Lente-in-Herent-2026"}
    data.update(overrides)
    return client_registration_submit(**data)


@covers("assignments:register_confirm")
def test_register_confirm(client, audit):
    registration = _registration(22)
    form = page_form(client, reverse("assignments:register_confirm", args=[registration_confirm_token(registration)]))
    done(form.submit(client))
    registered = Client.objects.get(contacts__user__email="hanne.22@voorbeeld.be")
    assert registered.municipality.nis_code == "24038" and registered.status == ClientStatus.APPLIED
    assert client.session["_auth_user_id"] == str(registered.contacts.get().user_id)
    assert audit.new("client.register", registered)


def _held_registration(staff, serial: int) -> tuple[ClientRegistration, Client]:
    """A registration online with the number of a client the desk registered without a login."""
    number = new_national_number(serial)
    existing = client_register(category="particulier", first_name="Hanne", last_name="Nieuwlaat",
                               national_number=number, street="Kerkstraat 4", postcode="3020", city="Herent",
                               organiser=staff.organiser, actor=staff)
    return client_registration_confirm(registration=_registration(serial + 1, national_number=number)), existing


@covers("assignments:registration_approve")
def test_registration_approve(client, audit):
    staff = login(client, BEMIDDELAAR)
    registration, existing = _held_registration(staff, 23)
    form = page_form(client, reverse("assignments:registration_detail", args=[registration.pk]),
                     action=reverse("assignments:registration_approve", args=[registration.pk]))
    done(form.submit(client))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert existing.contacts.get().user.email == registration.email
    assert audit.new("client.registration_approve", existing)


@covers("assignments:registration_reject")
def test_registration_reject(client, audit):
    staff = login(client, BEMIDDELAAR)
    registration, existing = _held_registration(staff, 25)
    form = page_form(client, reverse("assignments:registration_detail", args=[registration.pk]),
                     action=reverse("assignments:registration_reject", args=[registration.pk]))
    done(form.submit(client, {"reason": "Niet dezelfde persoon: telefonisch nagevraagd."}))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert audit.new("client.registration_reject", existing)


@covers("assignments:my_details")
def test_my_details(client, audit):
    login(client, GEBRUIKER)
    form = page_form(client, reverse("assignments:my_details"))
    done(form.submit(client, {"phone": "016 40 50 60"}))
    assert demo_client().phone == "016 40 50 60"
    assert audit.new("client.update", demo_client())


@covers("assignments:my_agreement_sign")
def test_my_agreement_sign(client, audit):
    """A person who just registered online signs the agreement from the start page."""
    registered = client_register(category="particulier", first_name="Ward", last_name="Tekenaar",
                                 national_number=new_national_number(31), street="Molenstraat 1", postcode="3020",
                                 city="Herent", email="ward.tekenaar@voorbeeld.be", password="Ward-tekent-2026")
    client.force_login(registered.contacts.get().user)
    form = page_form(client, reverse("assignments:panel_client"), action=reverse("assignments:my_agreement_sign"))
    done(form.submit(client))
    registered.refresh_from_db()
    assert registered.agreement_signed_on == today()
    assert audit.new("client.sign", registered)


@covers("assignments:client_create")
def test_client_create(client, audit):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("assignments:client_create"))
    done(form.submit(client, {
        "category": "vzw", "organisation_name": "Vzw De Buurtfiets", "kbo_number": new_kbo(1),
        "first_name": "Jef", "last_name": "Trapper", "contact_position": "voorzitter", "street": "Brusselsestraat 9",
        "postcode": "3000", "city": "Leuven", "email": "jef@debuurtfiets.be",
    }))
    created = Client.objects.get(name="Vzw De Buurtfiets")
    assert created.contacts.get().user.email == "jef@debuurtfiets.be"
    assert audit.new("client.register", created)


@covers("assignments:client_edit")
def test_client_edit(client, audit):
    login(client, BEMIDDELAAR)
    greet = demo_client()
    form = page_form(client, reverse("assignments:client_edit", args=[greet.pk]))
    done(form.submit(client, {"street": "Wijgmaalsesteenweg 12", "is_ex_pwa": "on"}))
    greet.refresh_from_db()
    assert greet.street == "Wijgmaalsesteenweg 12" and greet.is_ex_pwa
    assert audit.new("client.update", greet)


@covers("assignments:client_identity")
def test_client_identity(client, audit):
    login(client, BEMIDDELAAR)
    greet = demo_client()
    form = page_form(client, reverse("assignments:client_identity", args=[greet.pk]))
    done(form.submit(client, {"first_name": "Margriet", "reason": "Tikfout in de voornaam"}))
    greet.refresh_from_db()
    assert greet.first_name == "Margriet"
    assert audit.new("client.identity_correct", greet)


@covers("assignments:client_contact_add")
def test_client_contact_add(client, audit):
    login(client, BEMIDDELAAR)
    scouts = Client.objects.get(name="Scouts Bertem")
    form = page_form(client, reverse("assignments:client_contact_add", args=[scouts.pk]))
    done(form.submit(client, {"first_name": "Lies", "last_name": "Leiding", "email": "lies@scoutsbertem.be",
                              "position": "groepsleiding"}))
    assert scouts.contacts.filter(user__email="lies@scoutsbertem.be").exists()
    assert audit.new("client.contact_add", scouts)


def _client_in(status: str) -> Client:
    return Client.objects.filter(organiser__kbo_number=DEMO_KBO, status=status).order_by("name").first()


@covers("assignments:client_action", "sign")
def test_client_action_sign(client, audit):
    login(client, BEMIDDELAAR)
    applied = _client_in(ClientStatus.APPLIED)
    form = page_form(client, reverse("assignments:client_detail", args=[applied.pk]),
                     action=reverse("assignments:client_action", args=[applied.pk, "sign"]))
    done(form.submit(client, {"signed_on": iso(today() - DAY)}))
    applied.refresh_from_db()
    assert applied.agreement_signed_on == today() - DAY
    assert audit.new("client.sign", applied)


@covers("assignments:client_action", "activate")
def test_client_action_activate(client, audit):
    """Signed, and this year's fee came in with the bank (not through "mark as paid", which activates)."""
    staff = login(client, BEMIDDELAAR)
    fee = RegistrationFee.objects.filter(client__organiser__kbo_number=DEMO_KBO, client__status=ClientStatus.APPLIED,
                                         year=today().year, status=FeeStatus.DUE).order_by("client__name").first()
    signed = client_sign_agreement(client=fee.client, signed_on=today(), actor=staff)
    assert signed.status == ClientStatus.AGREEMENT_SIGNED
    RegistrationFee.objects.filter(pk=fee.pk).update(status=FeeStatus.PAID, paid_on=today())
    form = page_form(client, reverse("assignments:client_detail", args=[signed.pk]),
                     action=reverse("assignments:client_action", args=[signed.pk, "activate"]))
    done(form.submit(client))
    signed.refresh_from_db()
    assert signed.status == ClientStatus.ACTIVE
    assert audit.new("client.activate", signed)


@covers("assignments:client_action", "stop")
def test_client_action_stop(client, audit):
    login(client, BEMIDDELAAR)
    scouts = Client.objects.get(name="Scouts Bertem")
    form = page_form(client, reverse("assignments:client_detail", args=[scouts.pk]),
                     action=reverse("assignments:client_action", args=[scouts.pk, "stop"]))
    done(form.submit(client, {"reason": "Vereniging opgeheven"}))
    scouts.refresh_from_db()
    assert scouts.status == ClientStatus.STOPPED
    assert audit.new("client.stop", scouts)
    page = reverse("assignments:client_detail", args=[scouts.pk])
    assert not forms_posting_to(client, page, reverse("assignments:client_action", args=[scouts.pk, "stop"]))
    assert not forms_posting_to(client, page, reverse("assignments:fee_open", args=[scouts.pk]))


@covers("assignments:fee_open")
def test_fee_open(client, audit):
    login(client, BEMIDDELAAR)
    greet = demo_client()
    greet.fees.filter(year=today().year).delete()  # a new year: the fee is not there yet
    form = page_form(client, reverse("assignments:client_detail", args=[greet.pk]),
                     action=reverse("assignments:fee_open", args=[greet.pk]))
    done(form.submit(client))
    assert greet.fees.filter(year=today().year).exists()
    assert audit.new("client.fee_open", greet)


@covers("assignments:fee_mark_paid")
def test_fee_mark_paid(client, audit):
    login(client, BEMIDDELAAR)
    fee = (RegistrationFee.objects.filter(client__organiser__kbo_number=DEMO_KBO, status=FeeStatus.DUE)
           .order_by("pk").first())
    form = page_form(client, reverse("assignments:client_detail", args=[fee.client_id]),
                     action=reverse("assignments:fee_mark_paid", args=[fee.client_id, fee.pk]))
    done(form.submit(client))  # the page fills in today
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID and fee.paid_on == today()
    assert audit.new("client.fee_paid", fee.client)


@covers("assignments:client_exclusions")
def test_client_exclusions(client, audit):
    login(client, BEMIDDELAAR)
    greet, wout = demo_client(), worker("Wout", "Werker")
    form = page_form(client, reverse("assignments:client_exclusions", args=[greet.pk]))
    # Typed into the search field and sent without choosing (as without JavaScript): the one match is taken.
    done(form.submit(client, {"worker_q": "wout werk", "reason": "Conflict na de laatste klus"}))
    assert WorkerExclusion.objects.filter(client=greet, worker=wout).exists()
    assert audit.new("exclusion.add")


@covers("assignments:client_exclusion_remove")
def test_client_exclusion_remove(client, audit):
    staff = login(client, BEMIDDELAAR)
    greet = demo_client()
    exclusion = worker_exclusion_add(worker=worker("Bart", "Claes"), client=greet, reason="Op vraag van de gebruiker",
                                     actor=staff)
    form = page_form(client, reverse("assignments:client_exclusions", args=[greet.pk]),
                     action=reverse("assignments:client_exclusion_remove", args=[greet.pk, exclusion.pk]))
    done(form.submit(client))
    assert not WorkerExclusion.objects.filter(pk=exclusion.pk).exists()
    assert audit.new("exclusion.remove")


# --- assignments: requests ----------------------------------------------------------------------------------------

def _first_choice(form: PageForm, name: str) -> str:
    return form.values[name][0]


@covers("assignments:my_request_create")
def test_my_request_create(client, audit):
    login(client, GEBRUIKER)
    form = page_form(client, reverse("assignments:my_request_create"))
    activity = Activity.objects.get(pk=_allowed_activity(client, form))
    done(form.submit(client, {"activity": activity.pk, "description": "De haag snoeien langs de straatkant.",
                              "schedule": "once", "start_date": iso(today() + 10 * DAY), "time_from": "09:00",
                              "time_until": "12:00", "special_needs": "Ladder aanwezig."}))
    help_request = HelpRequest.objects.get(client=demo_client(), description__startswith="De haag snoeien")
    assert help_request.status == RequestStatus.NEW and help_request.activity == activity
    assert audit.new("request.create", help_request)


def _allowed_activity(client, form: PageForm) -> str:
    """The first activity the page offers (the empty choice is "Choose an activity")."""
    page = lxml.html.fromstring(client.get(form.page_url).content.decode())
    options = [o.get("value") for o in page.xpath("//select[@name='activity']/option") if o.get("value")]
    assert options, "the page offers no activity"
    return options[0]


@covers("assignments:client_request_create")
def test_client_request_create(client, audit):
    login(client, BEMIDDELAAR)
    greet = demo_client()
    form = page_form(client, reverse("assignments:client_request_create", args=[greet.pk]))
    done(form.submit(client, {"activity": _allowed_activity(client, form), "description": "Hulp bij de verhuis.",
                              "schedule": "recurring", "start_date": iso(today() + 7 * DAY),
                              "end_date": iso(today() + 60 * DAY), "weekdays": ["1", "3"], "hours_per_week": "3",
                              "time_from": "13:00", "time_until": "14:30"}))
    help_request = HelpRequest.objects.get(client=greet, description="Hulp bij de verhuis.")
    assert help_request.weekdays == [1, 3]
    [entry] = audit.new("request.create", help_request)
    assert entry.on_behalf_of is not None


@covers("assignments:my_request_cancel")
def test_my_request_cancel(client, audit):
    login(client, GEBRUIKER)
    help_request = HelpRequest.objects.filter(client=demo_client(), status=RequestStatus.NEW).first()
    form = page_form(client, reverse("assignments:my_request_detail", args=[help_request.pk]),
                     action=reverse("assignments:my_request_cancel", args=[help_request.pk]))
    done(form.submit(client, {"reason": "Zelf opgelost"}))
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CANCELLED
    assert audit.new("request.geannuleerd", help_request)


def _open_request() -> HelpRequest:
    return (HelpRequest.objects.filter(organiser__kbo_number=DEMO_KBO, status=RequestStatus.NEW)
            .exclude(client__status=ClientStatus.STOPPED).order_by("created_at").first())


@covers("assignments:request_detail")
def test_request_detail(client, audit):
    login(client, BEMIDDELAAR)
    help_request = _open_request()
    form = page_form(client, reverse("assignments:request_detail", args=[help_request.pk]))
    done(form.submit(client, {"status": RequestStatus.IN_PROGRESS, "note": "Gebeld met de gebruiker"}))
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.IN_PROGRESS
    assert audit.new("request.in_behandeling", help_request)


@covers("assignments:request_assign")
def test_request_assign(client, audit):
    login(client, BEMIDDELAAR)
    help_request = _open_request()
    links = links_to(client, reverse("assignments:request_candidates", args=[help_request.pk]),
                     "assignments:request_assign")
    assert links, "the demo request has candidates"
    form = page_form(client, links[0])  # the best-ranked candidate
    done(form.submit(client))  # the page proposes the request's dates
    assignment = Assignment.objects.get(request=help_request)
    assert assignment.status == AssignmentStatus.ACTIVE
    assert audit.new("assignment.create", assignment)


# --- assignments: placements and prestaties -----------------------------------------------------------------------

def _active_assignment(**filters) -> Assignment:
    return (Assignment.objects.filter(organiser__kbo_number=DEMO_KBO, status=AssignmentStatus.ACTIVE,
                                      start_date__lte=today(), end_date__gte=today(), **filters)
            .order_by("start_date", "worker__last_name").first())


@covers("assignments:hours_register", "worker")
def test_hours_register_by_the_worker(client, audit):
    login(client, WIJKWERKER)
    assignment = _active_assignment(worker__user__email=WIJKWERKER)
    url = reverse("assignments:hours_register", args=[assignment.pk])
    form = page_form(client, url)
    # Outside the schedule (the demo jobs are mornings): the form asks to confirm, then saves with the warning.
    response = form.submit(client, {"date": iso(today()), "start_time": "14:00", "end_time": "15:30"})
    assert response.status_code == 200 and not Prestatie.objects.filter(assignment=assignment, date=today()).exists()
    done(page_form(client, url, response=response).submit(client, {"warnings_confirmed": "on"}))
    prestatie = Prestatie.objects.get(assignment=assignment, date=today(), start_time=datetime.time(14))
    assert prestatie.cheques == 2 and prestatie.status == PrestatieStatus.REGISTERED
    assert "buiten_uren" in prestatie.warnings
    assert audit.new("prestatie.register", prestatie)


@covers("assignments:hours_register", "staff")
def test_hours_register_by_staff(client, audit):
    """Staff use the short form on the assignment page (the worker uses the hours page)."""
    login(client, BEMIDDELAAR)
    assignment = _active_assignment(worker__first_name="Sofie")
    form = page_form(client, reverse("assignments:assignment_detail", args=[assignment.pk]),
                     action=reverse("assignments:hours_register", args=[assignment.pk]))
    response = form.submit(client, {"date": iso(today()), "start_time": "15:00", "end_time": "16:00"})
    # The hours are outside the schedule: the full hours page asks staff to confirm too.
    url = reverse("assignments:hours_register", args=[assignment.pk])
    done(page_form(client, url, response=response).submit(client, {"warnings_confirmed": "on"}))
    prestatie = Prestatie.objects.get(assignment=assignment, date=today(), start_time=datetime.time(15))
    assert prestatie.cheques == 1
    assert audit.new("prestatie.register", prestatie)


@covers("assignments:assignment_action", "pauzeren")
def test_assignment_pause(client, audit):
    login(client, BEMIDDELAAR)
    assignment = _active_assignment()
    form = page_form(client, reverse("assignments:assignment_detail", args=[assignment.pk]),
                     action=reverse("assignments:assignment_action", args=[assignment.pk, "pauzeren"]))
    done(form.submit(client))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PAUSED
    assert audit.new("assignment.gepauzeerd", assignment)


@covers("assignments:assignment_action", "hervatten")
def test_assignment_resume(client, audit):
    staff = login(client, BEMIDDELAAR)
    assignment = assignment_pause(assignment=_active_assignment(), reason="Vakantie", actor=staff)
    form = page_form(client, reverse("assignments:assignment_detail", args=[assignment.pk]),
                     action=reverse("assignments:assignment_action", args=[assignment.pk, "hervatten"]))
    done(form.submit(client))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert audit.new("assignment.actief", assignment)


@covers("assignments:assignment_action", "beeindigen")
def test_assignment_end(client, audit):
    login(client, BEMIDDELAAR)
    assignment = _active_assignment()
    form = page_form(client, reverse("assignments:assignment_detail", args=[assignment.pk]),
                     action=reverse("assignments:assignment_action", args=[assignment.pk, "beeindigen"]))
    done(form.submit(client, {"reason": "Klus afgerond"}))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED
    assert audit.new("assignment.beeindigd", assignment)


@covers("assignments:assignment_action", "overdragen")
def test_assignment_hand_over(client, audit):
    login(client, BEMIDDELAAR)
    assignment = _active_assignment()
    form = page_form(client, reverse("assignments:assignment_detail", args=[assignment.pk]),
                     action=reverse("assignments:assignment_action", args=[assignment.pk, "overdragen"]))
    successor = (Worker.objects.filter(organiser=assignment.organiser, trajectories__status=TrajectoryStatus.ACTIVE,
                                       trajectories__end_date__gte=assignment.end_date)
                 .exclude(pk=assignment.worker_id).order_by("last_name").first())
    # The search field's matches, as htmx fetches them while typing: choose the successor among them.
    matches = lxml.html.fromstring(client.get(reverse("core:search", args=["workers-active"]), {
        "field": "worker", "id": "id_worker", "worker_q": successor.last_name}).content.decode())
    assert str(successor.pk) in matches.xpath("//input[@type='radio'][@name='worker']/@value")
    form.names.add("worker")
    response = form.submit(client, {"worker": successor.pk, "start_date": iso(today() + DAY)})
    done(response)
    new = Assignment.objects.get(request=assignment.request, worker=successor)
    assert response["Location"] == reverse("assignments:assignment_detail", args=[new.pk])
    assert new.handed_over_from == assignment and new.start_date == today() + DAY
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED


def _prestatie(status: str, **filters) -> Prestatie:
    return (Prestatie.objects.filter(organiser__kbo_number=DEMO_KBO, status=status, **filters)
            .order_by("-date", "worker__last_name").first())


@covers("assignments:prestatie_queue")
def test_prestatie_queue_validates_the_ticked(client, audit):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("assignments:prestatie_queue"))
    ticked = _prestatie(PrestatieStatus.REGISTERED)
    done(form.submit(client, {"prestatie": [ticked.pk]}))
    ticked.refresh_from_db()
    assert ticked.status == PrestatieStatus.VALIDATED
    assert audit.new("prestatie.validate", ticked)


# --- assignments: the job page's forms, incidents and no-shows ----------------------------------------------------

def _own_assignment() -> Assignment:
    return _active_assignment(worker__user__email=WIJKWERKER)


@covers("assignments:incident_create", "worker")
def test_incident_reported_by_the_worker_from_the_job_page(client, audit):
    login(client, WIJKWERKER)
    assignment = _own_assignment()
    assert links_to(client, reverse("assignments:my_assignment", args=[assignment.pk]),
                    "assignments:incident_create")
    form = page_form(client, reverse("assignments:incident_create", args=[assignment.pk]))
    done(form.submit(client, {"kind": "ongeval", "injured": "ikzelf, pols",
                              "description": "Van de ladder gevallen."}))
    incident = Incident.objects.get(assignment=assignment, description="Van de ladder gevallen.")
    assert incident.declaration_deadline is not None
    assert audit.new("incident.report", incident)


@covers("assignments:incident_create", "client")
def test_incident_reported_by_the_client(client, audit):
    login(client, GEBRUIKER)
    assignment = _active_assignment(client__contacts__user__email=GEBRUIKER)
    assert links_to(client, reverse("assignments:my_request_detail", args=[assignment.request_id]),
                    "assignments:incident_create")
    form = page_form(client, reverse("assignments:incident_create", args=[assignment.pk]))
    done(form.submit(client, {"kind": "schade", "description": "Vaas gebroken."}))
    assert audit.new("incident.report", Incident.objects.get(description="Vaas gebroken."))


@covers("assignments:incident_create", "staff")
def test_incident_reported_by_staff(client, audit):
    login(client, BEMIDDELAAR)
    assignment = _active_assignment(worker__first_name="Sofie")
    form = page_form(client, reverse("assignments:incident_create", args=[assignment.pk]))
    done(form.submit(client, {"kind": "conflict", "description": "Woordenwisseling."}))
    assert audit.new("incident.report", Incident.objects.get(description="Woordenwisseling."))


@covers("assignments:incident_declare")
def test_incident_declared(client, audit):
    login(client, BEMIDDELAAR)
    incident = Incident.objects.filter(organiser__kbo_number=DEMO_KBO, kind="ongeval",
                                       declared_on__isnull=True).first()
    form = page_form(client, reverse("assignments:incident_detail", args=[incident.pk]),
                     action=reverse("assignments:incident_declare", args=[incident.pk]))
    done(form.submit(client, {"declaration_reference": "ONG-1"}))
    incident.refresh_from_db()
    assert incident.declared_on == today() and incident.declaration_reference == "ONG-1"
    assert audit.new("incident.declare", incident)


@covers("assignments:no_show_create", "client")
def test_no_show_recorded_by_the_client(client, audit):
    login(client, GEBRUIKER)
    assignment = _active_assignment(client__contacts__user__email=GEBRUIKER)
    form = page_form(client, reverse("assignments:no_show_create", args=[assignment.pk]))
    day = today()
    while assignment.prestaties.filter(date=day).exists() or assignment.no_shows.filter(date=day).exists():
        day -= DAY
    done(form.submit(client, {"date": iso(day), "note": "Niemand gekomen"}))
    assert assignment.no_shows.get(date=day).kind == "werker_afwezig"
    assert audit.new("assignment.no_show", assignment)


@covers("assignments:no_show_create", "staff")
def test_no_show_recorded_by_staff(client, audit):
    login(client, BEMIDDELAAR)
    assignment = _active_assignment(worker__first_name="Sofie")
    form = page_form(client, reverse("assignments:no_show_create", args=[assignment.pk]))
    day = today()
    while assignment.prestaties.filter(date=day).exists() or assignment.no_shows.filter(date=day).exists():
        day -= DAY
    done(form.submit(client, {"kind": "afgezegd_aan_deur", "date": iso(day)}))
    assert assignment.no_shows.get(date=day).kind == "afgezegd_aan_deur"


@covers("assignments:assignment_instructions", "client")
def test_instructions_by_the_client(client, audit):
    login(client, GEBRUIKER)
    assignment = _active_assignment(client__contacts__user__email=GEBRUIKER)
    form = page_form(client, reverse("assignments:assignment_instructions", args=[assignment.pk]))
    done(form.submit(client, {"instructions": "De sleutel ligt bij de buren."}))
    assignment.refresh_from_db()
    assert assignment.instructions == "De sleutel ligt bij de buren."
    assert audit.new("assignment.instructions", assignment)


@covers("assignments:assignment_instructions", "staff")
def test_instructions_by_staff(client, audit):
    login(client, BEMIDDELAAR)
    assignment = _active_assignment(worker__first_name="Sofie")
    form = page_form(client, reverse("assignments:assignment_instructions", args=[assignment.pk]))
    done(form.submit(client, {"instructions": "Handschoenen meebrengen."}))
    assert audit.new("assignment.instructions", assignment)


def _prestatie_form(client, prestatie, action):
    url = reverse("assignments:prestatie_detail", args=[prestatie.pk])
    return page_form(client, url, marked=("action", action))


@covers("assignments:prestatie_detail", "validate")
def test_prestatie_validate(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.REGISTERED)
    done(_prestatie_form(client, prestatie, "validate").submit(client))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.VALIDATED
    assert audit.new("prestatie.validate", prestatie)


@covers("assignments:prestatie_detail", "correct")
def test_prestatie_correct(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.REGISTERED)
    form = _prestatie_form(client, prestatie, "correct")
    done(form.submit(client, {"start_time": "09:00", "end_time": "10:00", "note": "Volgens de gebruiker 1 uur"}))
    prestatie.refresh_from_db()
    assert prestatie.end_time == datetime.time(10) and prestatie.cheques == 1
    assert audit.new("prestatie.correct", prestatie)


@covers("assignments:prestatie_detail", "kilometres")
def test_prestatie_correct_kilometres(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.CONFIRMED)
    form = _prestatie_form(client, prestatie, "kilometres")
    done(form.submit(client, {"kilometres": "17,5", "note": "Omleiding langs de ring"}))
    prestatie.refresh_from_db()
    assert prestatie.kilometres == Decimal("17.5") and prestatie.kilometres_corrected_at is not None
    assert audit.new("prestatie.correct_kilometres", prestatie)


@covers("assignments:prestatie_detail", "resolve")
def test_prestatie_resolve(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.DISPUTED)
    form = _prestatie_form(client, prestatie, "resolve")
    done(form.submit(client, {"outcome": "cancelled", "note": "De wijk-werker bevestigt: niet gewerkt."}))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CANCELLED
    assert audit.new("prestatie.resolve_cancelled", prestatie)


@covers("assignments:prestatie_detail", "cancel")
def test_prestatie_cancel(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.REGISTERED)
    form = _prestatie_form(client, prestatie, "cancel")
    done(form.submit(client, {"reason": "Dubbel ingegeven"}))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CANCELLED
    assert audit.new("prestatie.cancel", prestatie)


@covers("assignments:prestatie_confirm", "client")
def test_prestatie_confirm_by_the_client(client, audit):
    login(client, GEBRUIKER)
    prestatie = _prestatie(PrestatieStatus.VALIDATED, client__contacts__user__email=GEBRUIKER)
    form = page_form(client, reverse("assignments:my_hours"),
                     action=reverse("assignments:prestatie_confirm", args=[prestatie.pk]))
    done(form.submit(client))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED
    assert audit.new("prestatie.confirm", prestatie)


@covers("assignments:prestatie_confirm", "staff")
def test_prestatie_confirm_on_behalf(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.VALIDATED, client__contacts__user__email=GEBRUIKER)
    form = page_form(client, reverse("assignments:prestatie_detail", args=[prestatie.pk]),
                     action=reverse("assignments:prestatie_confirm", args=[prestatie.pk]))
    done(form.submit(client))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED
    [entry] = audit.new("prestatie.confirm", prestatie)
    assert entry.on_behalf_of.email == GEBRUIKER


@covers("assignments:prestatie_dispute", "client")
def test_prestatie_dispute_by_the_client(client, audit):
    login(client, GEBRUIKER)
    prestatie = _prestatie(PrestatieStatus.VALIDATED, client__contacts__user__email=GEBRUIKER)
    form = page_form(client, reverse("assignments:my_hours"),
                     action=reverse("assignments:prestatie_dispute", args=[prestatie.pk]))
    done(form.submit(client, {"reason": "Wout vertrok om 10 uur."}))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.DISPUTED and prestatie.dispute_reason == "Wout vertrok om 10 uur."
    assert audit.new("prestatie.dispute", prestatie)


@covers("assignments:prestatie_dispute", "staff")
def test_prestatie_dispute_on_behalf(client, audit):
    login(client, BEMIDDELAAR)
    prestatie = _prestatie(PrestatieStatus.VALIDATED, client__contacts__user__email=GEBRUIKER)
    form = page_form(client, reverse("assignments:prestatie_detail", args=[prestatie.pk]),
                     action=reverse("assignments:prestatie_dispute", args=[prestatie.pk]))
    done(form.submit(client, {"reason": "Telefonisch: de gebruiker was niet thuis."}))
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.DISPUTED
    [entry] = audit.new("prestatie.dispute", prestatie)
    assert entry.on_behalf_of.email == GEBRUIKER


@covers("assignments:prestatie_confirm_link", "confirm")
def test_prestatie_confirm_link_confirm(client, audit):
    prestatie = _prestatie(PrestatieStatus.VALIDATED)
    url = reverse("assignments:prestatie_confirm_link", args=[confirmation_token(prestatie)])
    done(page_form(client, url, marked=("action", "confirm")).submit(client), status=200)
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.CONFIRMED
    assert audit.new("prestatie.confirm", prestatie)


@covers("assignments:prestatie_confirm_link", "dispute")
def test_prestatie_confirm_link_dispute(client, audit):
    prestatie = _prestatie(PrestatieStatus.VALIDATED)
    url = reverse("assignments:prestatie_confirm_link", args=[confirmation_token(prestatie)])
    form = page_form(client, url, marked=("action", "dispute"))
    done(form.submit(client, {"reason": "Er is maar een uur gewerkt."}), status=200)
    prestatie.refresh_from_db()
    assert prestatie.status == PrestatieStatus.DISPUTED and prestatie.dispute_reason == "Er is maar een uur gewerkt."
    assert audit.new("prestatie.dispute", prestatie)


# --- assignments: the activity list -------------------------------------------------------------------------------

@covers("assignments:activity_list_load")
def test_activity_list_load(client, audit):
    """Only a new organisation without a list is offered the button, so this one is not the demo's."""
    organiser = OrganiserFactory(name="Wijk-werken Nieuw")
    RuleSetFactory(organiser=organiser)
    client.force_login(UserFactory(role=Role.BEHEERDER, organiser=organiser))
    form = page_form(client, reverse("assignments:activity_list"), action=reverse("assignments:activity_list_load"))
    done(form.submit(client))
    assert Activity.objects.filter(organiser=organiser).count() > 40
    assert audit.new("activity.seed")


@covers("assignments:activity_create", "beheerder")
def test_activity_create_by_the_beheerder(client, audit):
    login(client, BEHEERDER)
    form = page_form(client, reverse("assignments:activity_create"))
    main = form.values["main_activity"][0] or _option(client, form, "main_activity")
    done(form.submit(client, {"category": "vzw", "main_activity": main, "name": "Fietsen herstellen in het repaircafé",
                              "valid_from": iso(today()), "status": "praktijkvoorbeeld", "source": "Overleg VDAB"}))
    activity = Activity.objects.get(name="Fietsen herstellen in het repaircafé")
    assert activity.municipality is None
    assert audit.new("activity.create", activity)


def _option(client, form: PageForm, name: str) -> str:
    page = lxml.html.fromstring(client.get(form.page_url).content.decode())
    return next(o.get("value") for o in page.xpath(f"//select[@name='{name}']/option") if o.get("value"))


@covers("assignments:activity_create", "gemeente")
def test_activity_create_by_the_municipality(client, audit):
    login(client, GEMEENTE)
    form = page_form(client, reverse("assignments:activity_create"))
    main = form.values["main_activity"][0] or _option(client, form, "main_activity")
    done(form.submit(client, {"category": "particulier", "main_activity": main,
                              "name": "Bladeren ruimen op de stoep", "valid_from": iso(today() + DAY)}))
    activity = Activity.objects.get(name="Bladeren ruimen op de stoep")
    assert activity.municipality.nis_code == "24062"
    assert audit.new("activity.create", activity)


@covers("assignments:activity_restrict")
def test_activity_restrict(client, audit):
    login(client, GEMEENTE)
    form = page_form(client, reverse("assignments:activity_restrict"))
    restricted = ActivityRestriction.objects.filter(municipality__nis_code="24062").values_list("activity", flat=True)
    page = lxml.html.fromstring(client.get(form.page_url).content.decode())
    activity = next(o.get("value") for o in page.xpath("//select[@name='activity']/option")
                    if o.get("value") and int(o.get("value")) not in set(restricted))
    done(form.submit(client, {"activity": activity, "valid_from": iso(today() + 14 * DAY),
                              "reason": "Gemeenteraad 12 mei"}))
    assert ActivityRestriction.objects.filter(activity_id=activity, municipality__nis_code="24062").exists()
    assert audit.new("activity.restrict")


@covers("assignments:activity_end", "beheerder")
def test_activity_end_by_the_beheerder(client, audit):
    login(client, BEHEERDER)
    activity = Activity.objects.filter(organiser__kbo_number=DEMO_KBO, municipality__isnull=True, category="vzw",
                                       valid_until__isnull=True).order_by("name").first()
    form = page_form(client, f"{reverse('assignments:activity_list')}?category=vzw",
                     action=reverse("assignments:activity_end", args=[activity.pk]))
    done(form.submit(client, {"last_day": iso(today() + 30 * DAY)}))
    activity.refresh_from_db()
    assert activity.valid_until == today() + 30 * DAY
    assert audit.new("activity.end", activity)


@covers("assignments:activity_end", "gemeente")
def test_activity_end_by_the_municipality(client, audit):
    user = login(client, GEMEENTE)
    local = activity_create(organiser=user.organiser, municipality=user.municipality, actor=user,
                            category="particulier", name="Sneeuw ruimen aan de kerk", valid_from=today(),
                            main_activity=Activity.objects.filter(organiser=user.organiser).first().main_activity,
                            ex_pwa_only=False, status="officieel", source="")
    form = page_form(client, f"{reverse('assignments:activity_list')}?category=particulier",
                     action=reverse("assignments:activity_end", args=[local.pk]))
    done(form.submit(client, {"last_day": iso(today() + 10 * DAY)}))
    local.refresh_from_db()
    assert local.valid_until == today() + 10 * DAY
    assert audit.new("activity.end", local)


@covers("assignments:activity_confirm")
def test_activity_confirm(client, audit):
    login(client, BEHEERDER)
    example = Activity.objects.filter(organiser__kbo_number=DEMO_KBO, municipality__isnull=True,
                                      status="praktijkvoorbeeld").order_by("category", "name").first()
    form = page_form(client, f"{reverse('assignments:activity_list')}?category={example.category}",
                     action=reverse("assignments:activity_confirm", args=[example.pk]))
    done(form.submit(client))
    example.refresh_from_db()
    assert example.status == "officieel"
    assert audit.new("activity.update", example)


@covers("assignments:restriction_end")
def test_restriction_end(client, audit):
    login(client, GEMEENTE)
    restriction = ActivityRestriction.objects.get(municipality__nis_code="24062", valid_until__isnull=True)
    form = page_form(client, f"{reverse('assignments:activity_list')}?category={restriction.activity.category}",
                     action=reverse("assignments:restriction_end", args=[restriction.pk]))
    last_day = restriction.valid_from + 5 * DAY
    done(form.submit(client, {"last_day": iso(last_day)}))
    restriction.refresh_from_db()
    assert restriction.valid_until == last_day
    assert audit.new("activity.restriction_end")


# --- cheques ------------------------------------------------------------------------------------------------------

@covers("cheques:my_order_create")
def test_my_order_create(client, audit):
    login(client, GEBRUIKER)
    form = page_form(client, reverse("cheques:my_order_create"))
    done(form.submit(client, {"quantity": "12"}))
    order = ChequeOrder.objects.filter(client=demo_client(), quantity=12).get()
    assert order.status == OrderStatus.OPEN
    assert audit.new("cheque_order.create", order)


def _open_order(**filters) -> ChequeOrder:
    return (ChequeOrder.objects.filter(organiser__kbo_number=DEMO_KBO, status=OrderStatus.OPEN, **filters)
            .order_by("pk").first())


@covers("cheques:my_order_cancel")
def test_my_order_cancel(client, audit):
    login(client, GEBRUIKER)
    order = _open_order(client=demo_client())
    form = page_form(client, reverse("cheques:my_order_detail", args=[order.pk]),
                     action=reverse("cheques:my_order_cancel", args=[order.pk]))
    done(form.submit(client))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert audit.new("cheque_order.cancel", order)


@covers("cheques:my_order_pay_online")
def test_my_order_pay_online(client, audit, settings):
    """Mollie is faked at its HTTP boundary with a recorded answer."""
    settings.MOLLIE_API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    settings.MOLLIE_WEBHOOK_BASE_URL = "https://wijkwerken.example"
    login(client, GEBRUIKER)
    order = _open_order(client=demo_client())
    recorded = (RECORDED_MOLLIE / "mollie_payment_open.json").read_text()
    answer = json.loads(recorded.replace("__ORDER__", str(order.pk)).replace("__AMOUNT__", f"{order.outstanding:.2f}"))
    with responses.RequestsMock() as mollie:
        mollie.add(responses.POST, "https://api.mollie.com/v2/payments", json=answer, status=201)
        form = page_form(client, reverse("cheques:my_order_detail", args=[order.pk]),
                         action=reverse("cheques:my_order_pay_online", args=[order.pk]))
        response = form.submit(client)
    done(response)
    assert response["Location"] == answer["_links"]["checkout"]["href"]
    assert MolliePayment.objects.get(order=order).status == "open"
    assert audit.new("cheque_order.online_payment_start", order)


@covers("cheques:order_cancel")
def test_order_cancel(client, audit):
    login(client, BEMIDDELAAR)
    order = _open_order()
    form = page_form(client, reverse("cheques:order_detail", args=[order.pk]),
                     action=reverse("cheques:order_cancel", args=[order.pk]))
    done(form.submit(client, {"reason": "Dubbele bestelling"}))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert audit.new("cheque_order.cancel", order)


def _order_with_credit() -> ChequeOrder:
    """The demo gives one client credit and an open order the credit can pay."""
    with_credit = ClientCredit.objects.filter(organiser__kbo_number=DEMO_KBO).values("client")
    return _open_order(client__in=with_credit)


@covers("cheques:order_pay_with_credit", "order page")
def test_order_pay_with_credit_from_the_order(client, audit):
    login(client, BEMIDDELAAR)
    order = _order_with_credit()
    form = page_form(client, reverse("cheques:order_detail", args=[order.pk]),
                     action=reverse("cheques:order_pay_with_credit", args=[order.pk]))
    response = form.submit(client)
    done(response)
    assert response["Location"] == reverse("cheques:order_detail", args=[order.pk])
    assert audit.new("client_credit.use")
    order.refresh_from_db()
    assert order.amount_paid > 0


@covers("cheques:order_pay_with_credit", "client page")
def test_order_pay_with_credit_from_the_client(client, audit):
    login(client, BEMIDDELAAR)
    order = _order_with_credit()
    form = page_form(client, reverse("cheques:client_money", args=[order.client_id]),
                     action=reverse("cheques:order_pay_with_credit", args=[order.pk]))
    response = form.submit(client)
    done(response)
    assert response["Location"] == reverse("cheques:client_money", args=[order.client_id])
    assert audit.new("client_credit.use")


@covers("cheques:client_order_create")
def test_client_order_create(client, audit):
    login(client, BEMIDDELAAR)
    greet = demo_client()
    form = page_form(client, reverse("cheques:client_order_create", args=[greet.pk]))
    done(form.submit(client, {"quantity": "20"}))
    order = ChequeOrder.objects.get(client=greet, quantity=20)
    [entry] = audit.new("cheque_order.create", order)
    assert entry.actor.email == BEMIDDELAAR


@covers("cheques:paper_cheque_register")
def test_paper_cheque_register(client, audit):
    login(client, BEMIDDELAAR)
    greet = demo_client()
    form = page_form(client, reverse("cheques:client_money", args=[greet.pk]),
                     action=reverse("cheques:paper_cheque_register", args=[greet.pk]))
    done(form.submit(client, {"serial": "PWA-2017-004512", "issued_on": iso(today() - 30 * DAY)}))
    assert Cheque.objects.get(serial="PWA-2017-004512").client == greet
    assert audit.new("cheque.register_paper")


@pytest.mark.parametrize("name", ["demo-uittreksel.cod", "demo-uittreksel-camt053.xml"])
@covers("cheques:bank_import_list")
def test_bank_import_upload(client, audit, name, django_capture_on_commit_callbacks):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("cheques:bank_import_list"))
    upload = SimpleUploadedFile(name, (DEMO_FILES / name).read_bytes())
    with django_capture_on_commit_callbacks(execute=True):  # the import runs in a task after the commit
        response = form.submit(client, {"file": upload})
    done(response)
    bank_import = BankImport.objects.get(original_name=name)
    assert response["Location"] == reverse("cheques:bank_import_detail", args=[bank_import.pk])
    bank_import.refresh_from_db()
    assert bank_import.status == ImportStatus.DONE and bank_import.lines_matched >= 3
    assert audit.new("bank_import.upload", bank_import)


@pytest.fixture
def queued_line(django_capture_on_commit_callbacks):
    """Import the demo CODA statement: its "wijk-werkcheques" transfer waits in the queue."""
    staff = User.objects.get(email=BEMIDDELAAR)
    path = DEMO_FILES / "demo-uittreksel.cod"
    with django_capture_on_commit_callbacks(execute=True):
        bank_import_create(organiser=staff.organiser, actor=staff,
                           uploaded_file=SimpleUploadedFile(path.name, path.read_bytes()))
    return BankLine.objects.get(bank_import__original_name=path.name, communication="wijk-werkcheques")


@covers("cheques:bank_line_assign", "order number")
def test_bank_line_assign(client, audit, queued_line):
    login(client, BEMIDDELAAR)
    order = _open_order(client__name=queued_line.payer_name)
    form = page_form(client, reverse("cheques:bank_queue"),
                     action=reverse("cheques:bank_line_assign", args=[queued_line.pk]), having={"client_number"})
    done(form.submit(client, {"order": order.pk, "note": "Gebeld: betaling voor deze bestelling"}))
    queued_line.refresh_from_db()
    assert queued_line.status == LineStatus.ASSIGNED
    assert audit.new("bank_line.assign")


@covers("cheques:bank_line_assign", "suggestion")
def test_bank_line_assign_a_suggestion(client, audit, queued_line):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("cheques:bank_queue"),
                     action=reverse("cheques:bank_line_assign", args=[queued_line.pk]), index=0)
    assert "client_number" not in form.names  # the suggestion's one-click form
    done(form.submit(client))
    queued_line.refresh_from_db()
    assert queued_line.status == LineStatus.ASSIGNED
    assert audit.new("bank_line.assign")


@covers("cheques:bank_line_discard")
def test_bank_line_discard(client, audit, queued_line):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("cheques:bank_queue"),
                     action=reverse("cheques:bank_line_discard", args=[queued_line.pk]))
    done(form.submit(client, {"note": "Terugstorting van de huur"}))
    queued_line.refresh_from_db()
    assert queued_line.status == LineStatus.DISCARDED
    assert audit.new("bank_line.discard")


@covers("cheques:credit_list")
def test_refund_batch_create(client, audit):
    login(client, BEMIDDELAAR)
    form = page_form(client, reverse("cheques:credit_list"))
    refundable = form.values.get("clients") or _checkbox_values(client, form, "clients")
    assert refundable, "the demo has a client with credit to refund"
    response = form.submit(client, {"clients": refundable[:1], "execution_date": iso(today() + 2 * DAY)})
    done(response)
    [entry] = audit.new("refund_batch.create")
    assert response["Location"] == reverse("cheques:refund_batch_detail", args=[entry.object_id])


# --- cheques: payouts --------------------------------------------------------------------------------------------

@covers("cheques:payout_batch_confirm")
def test_payout_batch_confirm(client, audit):
    """This month's preview of the demo (the corrected kilometres of a paid prestatie) confirmed as it is shown."""
    login(client, BEHEERDER)
    month = today().replace(day=1)
    form = page_form(client, f"{reverse('cheques:payout_preview')}?maand={month:%Y-%m}",
                     action=reverse("cheques:payout_batch_confirm"))
    response = form.submit(client)
    done(response)
    batch = PayoutBatch.objects.get(organiser__kbo_number=DEMO_KBO, month=month)
    assert response["Location"] == reverse("cheques:payout_batch_detail", args=[batch.pk])
    assert batch.count >= 1 and batch.corrections > 0
    assert audit.new("payout_batch.confirm", batch)


@covers("cheques:payout_correction_create")
def test_payout_correction_create(client, audit):
    login(client, BEHEERDER)
    demo_worker = Worker.objects.get(user__email=WIJKWERKER)
    form = page_form(client, f"{reverse('cheques:payout_correction_create')}?werker={demo_worker.pk}")
    done(form.submit(client, {"amount": "-4,10", "reason": "Betwisting na betaling gegrond"}))
    correction = PayoutCorrection.objects.get(worker=demo_worker)
    assert correction.amount == Decimal("-4.10")
    assert audit.new("payout_correction.create", demo_worker)


def _checkbox_values(client, form: PageForm, name: str) -> list[str]:
    page = lxml.html.fromstring(client.get(form.page_url).content.decode())
    return [box.get("value") for box in page.xpath(f"//input[@type='checkbox'][@name='{name}']")]


# --- coaching -----------------------------------------------------------------------------------------------------
# The demo werkcoach (Wendy) has a caseload of a dozen workers with notes, measurements, check-ins, goals and a peer
# group with a held and an upcoming session; the demo wijk-werker (Wout Werker) is one of them and scores himself,
# checks in and answers invitations on his phone. A beheerder reads notes only when a coach grants access.

GET_ONLY |= {
    "coaching:caseload", "coaching:worker_panel", "coaching:my_panel", "coaching:worker_file", "coaching:note_list",
    "coaching:note_detail", "coaching:read_log", "coaching:measurement_detail", "coaching:framework_list",
    "coaching:framework_detail", "coaching:session_detail", "coaching:my_coaching",
    # PDF downloads.
    "coaching:portfolio_download", "coaching:my_portfolio_download",
}
# One URL, a posted value per button: every value a page offers has its own case.
ACTIONS.update({
    "coaching:goal_status": {"bereikt", "open"},
    "coaching:action_status": {"gedaan", "geschrapt"},
    "coaching:my_session_respond": {"ja", "nee"},
})

SECOND_COACH = "kobe.coach@demo.wijkwerken.be"


def coach_of_demo() -> User:
    return User.objects.get(email=WERKCOACH)


def levels_for(form: PageForm, level: int) -> dict[str, str]:
    """One level for every competence of a score form (its fields are `competence_<pk>`)."""
    fields = sorted(name for name in form.names if name.startswith("competence_"))
    assert fields, f"{form.page_url}: no competence to score"
    return {name: str(level) for name in fields}


def _open_measurement(worker_: Worker) -> Measurement:
    """A measurement the coach opened today, on request: nobody scored it yet."""
    return coaching_services.measurement_start(worker=worker_, moment="op_vraag", taken_on=today(),
                                               actor=coach_of_demo())


def _session(status: str, *, upcoming: bool) -> GroupSession:
    sessions = GroupSession.objects.filter(group__name="Samen sterk", status=status)
    now = timezone.now()
    return (sessions.filter(starts_at__gt=now) if upcoming else sessions.filter(starts_at__lte=now)).get()


def _draft_framework() -> CompetenceFramework:
    beheerder = User.objects.get(email=BEHEERDER)
    return coaching_services.competence_framework_draft(organiser=beheerder.organiser, actor=beheerder)


# coaching: assigning coaches, settings and the framework (bemiddelaar, beheerder)

@covers("coaching:assign")
def test_coaching_assign_in_bulk(client, audit):
    login(client, BEMIDDELAAR)
    kobe = User.objects.get(email=SECOND_COACH)
    form = page_form(client, reverse("coaching:assign"))
    offered = _checkbox_values(client, form, "workers")
    chosen = [str(pk) for pk in Worker.objects.filter(pk__in=offered).exclude(coach=kobe).order_by("pk")
              .values_list("pk", flat=True)[:2]]
    assert len(chosen) == 2, "the demo has workers to assign"
    done(form.submit(client, {"workers": chosen, "coach": kobe.pk, "reason": "Verdeling na de zomer"}))
    assert set(Worker.objects.filter(pk__in=chosen).values_list("coach", flat=True)) == {kobe.pk}
    assert len(audit.new("coaching.coach_assign")) == 2


@covers("coaching:worker_assign")
def test_coaching_worker_assign(client, audit):
    """The bemiddelaar hands over from the coaching panel on the worker page."""
    login(client, BEMIDDELAAR)
    sofie, kobe = worker("Sofie", "Janssens"), User.objects.get(email=SECOND_COACH)
    [link] = links_to(client, reverse("coaching:worker_panel", args=[sofie.pk]), "coaching:worker_assign")
    form = page_form(client, link)
    done(form.submit(client, {"coach": kobe.pk, "reason": "Zelfde gemeente"}))
    sofie.refresh_from_db()
    assert sofie.coach == kobe
    assert sofie.coach_periods.get(ended_on__isnull=True).coach == kobe
    assert audit.new("coaching.coach_assign", sofie)


@covers("coaching:settings_edit")
def test_coaching_settings_edit(client, audit):
    beheerder = login(client, BEHEERDER)
    form = page_form(client, reverse("coaching:settings_edit"))
    done(form.submit(client, {"no_contact_weeks": "6"}))
    assert CoachingSettings.for_organiser(beheerder.organiser_id).no_contact_weeks == 6
    assert audit.new("coaching.settings")


@covers("coaching:framework_ensure")
def test_coaching_framework_ensure(client, audit):
    """Only an organisation without a framework is offered the button, so this one is not the demo's."""
    organiser = OrganiserFactory(name="Wijk-werken Zonder Kader")
    RuleSetFactory(organiser=organiser)
    client.force_login(UserFactory(role=Role.BEHEERDER, organiser=organiser))
    form = page_form(client, reverse("coaching:framework_list"), action=reverse("coaching:framework_ensure"))
    done(form.submit(client))
    framework = CompetenceFramework.objects.get(organiser=organiser)
    assert framework.published_on == today() and framework.competences.count() >= 5
    assert audit.new("coaching.framework_default", framework)


@covers("coaching:framework_draft")
def test_coaching_framework_draft(client, audit):
    beheerder = login(client, BEHEERDER)
    form = page_form(client, reverse("coaching:framework_list"), action=reverse("coaching:framework_draft"))
    response = form.submit(client)
    done(response)
    draft = CompetenceFramework.objects.get(organiser=beheerder.organiser, published_on__isnull=True)
    assert response["Location"] == reverse("coaching:framework_detail", args=[draft.pk])
    in_use = CompetenceFramework.objects.get(organiser=beheerder.organiser, published_on__isnull=False)
    assert draft.competences.count() == in_use.competences.count()  # a copy of the version in use
    assert audit.new("coaching.framework_draft", draft)


@covers("coaching:competence_add")
def test_coaching_competence_add(client, audit):
    draft = _draft_framework()
    login(client, BEHEERDER)
    [link] = links_to(client, reverse("coaching:framework_detail", args=[draft.pk]), "coaching:competence_add")
    form = page_form(client, link)
    done(form.submit(client, {
        "name": "Omgaan met geld", "description": "Een budget opvolgen en rekeningen op tijd betalen",
        "level_1": "Heeft geen zicht op inkomsten en uitgaven", "level_2": "Kent zijn vaste kosten met hulp",
        "level_3": "Houdt een budget bij met hulp", "level_4": "Houdt zelf een budget bij",
        "level_5": "Plant ook onverwachte uitgaven in",
    }))
    added = draft.competences.get(name="Omgaan met geld")
    assert added.levels[4] == "Plant ook onverwachte uitgaven in"
    assert audit.new("coaching.competence_save", draft)


@covers("coaching:competence_edit")
def test_coaching_competence_edit(client, audit):
    draft = _draft_framework()
    competence = draft.competences.order_by("position").first()
    login(client, BEHEERDER)
    form = page_form(client, reverse("coaching:competence_edit", args=[draft.pk, competence.pk]))
    done(form.submit(client, {"description": "Afspraken nakomen en op tijd verwittigen bij afwezigheid"}))
    competence.refresh_from_db()
    assert competence.description == "Afspraken nakomen en op tijd verwittigen bij afwezigheid"
    assert audit.new("coaching.competence_save", draft)


@covers("coaching:competence_remove")
def test_coaching_competence_remove(client, audit):
    draft = _draft_framework()
    competence = draft.competences.order_by("position").last()
    login(client, BEHEERDER)
    form = page_form(client, reverse("coaching:framework_detail", args=[draft.pk]),
                     action=reverse("coaching:competence_remove", args=[draft.pk, competence.pk]))
    done(form.submit(client))
    assert not draft.competences.filter(pk=competence.pk).exists()
    assert audit.new("coaching.competence_remove", draft)


@covers("coaching:framework_publish")
def test_coaching_framework_publish(client, audit):
    draft = _draft_framework()
    login(client, BEHEERDER)
    form = page_form(client, reverse("coaching:framework_detail", args=[draft.pk]),
                     action=reverse("coaching:framework_publish", args=[draft.pk]))
    done(form.submit(client))
    draft.refresh_from_db()
    assert draft.published_on == today()
    assert audit.new("coaching.framework_publish", draft)


# coaching: the confidential case file (werkcoach)

@covers("coaching:note_create")
def test_coaching_note_create(client, audit):
    login(client, WERKCOACH)
    sofie = worker("Sofie", "Janssens")
    [link] = links_to(client, reverse("coaching:worker_file", args=[sofie.pk]), "coaching:note_create")
    form = page_form(client, link)
    due = today() + 14 * DAY
    done(form.submit(client, {
        "kind": "telefonisch", "date": iso(today()), "duration_minutes": "20",
        "text": "Sofie belde: ze wil graag meer uren in de kinderopvang.",
        "actie-0-description": "Vacatures kinderopvang opzoeken", "actie-0-owner": "wijkwerker",
        "actie-0-due_on": iso(due),
    }))
    note = CoachingNote.objects.get(worker=sofie, text__startswith="Sofie belde")
    assert note.kind == "telefonisch" and note.author.email == WERKCOACH
    assert note.actions.get().due_on == due
    [entry] = audit.new("coaching_note.create", note)
    assert "kinderopvang" not in entry.summary  # a note's text never leaves the coaching room


@covers("coaching:visit_create")
def test_coaching_visit_create(client, audit):
    login(client, WERKCOACH)
    wout = worker("Wout", "Werker")
    assignment = Assignment.objects.filter(worker=wout, start_date__lte=today()).order_by("start_date").first()
    form = page_form(client, reverse("coaching:visit_create", args=[wout.pk]))
    done(form.submit(client, {
        "assignment": assignment.pk, "date": iso(today()), "duration_minutes": "30",
        "contact_person_said": "Heel tevreden over de haag.", "worker_said": "Ik wil de bladblazer leren gebruiken.",
        "text": "Tweede bezoek: werkt veilig en rustig.",
    }))
    visit = CoachingNote.objects.get(worker=wout, kind="werkplekbezoek", date=today())
    assert visit.assignment == assignment and visit.worker_said.startswith("Ik wil")
    assert audit.new("coaching_note.create", visit)


@covers("coaching:note_correct")
def test_coaching_note_correct(client, audit):
    """The author corrects a note of today (the demo's notes are older than 24 hours)."""
    coach = login(client, WERKCOACH)
    sofie = worker("Sofie", "Janssens")
    note = coaching_services.note_create(worker=sofie, kind="gesprek", date=today(), duration_minutes=30,
                                         text="Gesprek over de planing.", actor=coach)
    [link] = links_to(client, reverse("coaching:note_detail", args=[note.pk]), "coaching:note_correct")
    form = page_form(client, link)
    done(form.submit(client, {"text": "Gesprek over de planning."}))
    note.refresh_from_db()
    assert note.text == "Gesprek over de planning." and note.corrected_at is not None
    assert note.revisions.get().text == "Gesprek over de planing."
    assert audit.new("coaching_note.correct", note)


@covers("coaching:note_addendum")
def test_coaching_note_addendum(client, audit):
    login(client, WERKCOACH)
    note = CoachingNote.objects.filter(worker=worker("Sofie", "Janssens")).order_by("date").first()
    form = page_form(client, reverse("coaching:note_detail", args=[note.pk]),
                     action=reverse("coaching:note_addendum", args=[note.pk]))
    done(form.submit(client, {"text": "Aanvulling: de bus van 7.12 u rijdt niet in de vakantie."}))
    assert note.addenda.get().text.startswith("Aanvulling")
    assert audit.new("coaching_note.addendum", note)


@covers("coaching:summary_edit")
def test_coaching_summary_edit(client, audit):
    login(client, WERKCOACH)
    sofie = worker("Sofie", "Janssens")
    form = page_form(client, reverse("coaching:summary_edit", args=[sofie.pk]))
    done(form.submit(client, {"text": "Sofie is stipt en werkt graag met kinderen."}))
    assert SharedSummary.objects.filter(worker=sofie).latest("created_at").text.startswith("Sofie is stipt")
    assert audit.new("coaching.shared_summary")


@covers("coaching:access")
def test_coaching_access_grant(client, audit):
    """The coach lets the beheerder read the notes of one worker; then the beheerder can."""
    login(client, WERKCOACH)
    sofie, beheerder = worker("Sofie", "Janssens"), User.objects.get(email=BEHEERDER)
    assert client.get(reverse("coaching:note_list", args=[sofie.pk])).status_code == 200
    form = page_form(client, reverse("coaching:access", args=[sofie.pk]))
    done(form.submit(client, {"user": beheerder.pk, "reason": "Klacht van de gebruiker, op vraag van de directie"}))
    grant = NoteAccessGrant.objects.get(worker=sofie, user=beheerder, revoked_at__isnull=True)
    assert audit.new("coaching.note_access_grant")
    login(client, BEHEERDER)
    assert client.get(reverse("coaching:note_list", args=[sofie.pk])).status_code == 200
    assert audit.new("coaching_note.read") and grant.reason.startswith("Klacht")


@covers("coaching:access_revoke")
def test_coaching_access_revoke(client, audit):
    coach = login(client, WERKCOACH)
    sofie, beheerder = worker("Sofie", "Janssens"), User.objects.get(email=BEHEERDER)
    grant = coaching_services.note_access_grant(worker=sofie, user=beheerder, reason="Dossieronderzoek", actor=coach)
    form = page_form(client, reverse("coaching:access", args=[sofie.pk]),
                     action=reverse("coaching:access_revoke", args=[sofie.pk, grant.pk]))
    done(form.submit(client))
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert audit.new("coaching.note_access_revoke")
    login(client, BEHEERDER)
    assert client.get(reverse("coaching:note_list", args=[sofie.pk])).status_code == 404


# coaching: competences, wellbeing, goals and the closing (werkcoach)

@covers("coaching:measurement_create")
def test_coaching_measurement_create(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    form = page_form(client, reverse("coaching:measurement_create", args=[karim.pk]))
    response = form.submit(client, {"moment": "op_vraag", "taken_on": iso(today())})
    done(response)
    measurement = Measurement.objects.get(worker=karim, moment="op_vraag", taken_on=today())
    assert response["Location"] == reverse("coaching:measurement_score", args=[measurement.pk])
    assert audit.new("coaching.measurement_start", measurement)


@covers("coaching:measurement_score")
def test_coaching_measurement_score(client, audit):
    login(client, WERKCOACH)
    measurement = _open_measurement(worker("Karim", "Benali"))
    [link] = links_to(client, reverse("coaching:measurement_detail", args=[measurement.pk]),
                      "coaching:measurement_score")
    form = page_form(client, link)
    done(form.submit(client, levels_for(form, 4)))
    measurement.refresh_from_db()
    assert measurement.is_coach_scored
    assert set(measurement.scores.filter(rater="coach").values_list("level", flat=True)) == {4}
    assert audit.new("coaching.measurement_score", measurement)


@covers("coaching:goal_review")
def test_coaching_goal_review(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    goal = Goal.objects.filter(worker=karim, status=GoalStatus.OPEN).first()
    measurement = Measurement.objects.filter(worker=karim).order_by("-taken_on").first()
    form = page_form(client, reverse("coaching:measurement_detail", args=[measurement.pk]),
                     action=reverse("coaching:goal_review", args=[measurement.pk, goal.pk]))
    done(form.submit(client, {f"goal-{goal.pk}-progress": "op_koers",
                              f"goal-{goal.pk}-comment": "Neemt nu elke dag de vroege bus."}))
    review = GoalReview.objects.get(goal=goal, measurement=measurement)
    assert review.progress == "op_koers" and review.comment.startswith("Neemt")
    assert audit.new("coaching.goal_review", goal)


@covers("coaching:check_in_create")
def test_coaching_check_in_create(client, audit):
    """The coach fills in a check-in together with the worker."""
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    form = page_form(client, reverse("coaching:check_in_create", args=[karim.pk]))
    done(form.submit(client, {"mood": "4", "energy": "3", "stress": "4", "connected": "5",
                              "sentence": "Blij met de nieuwe opdracht."}))
    check_in = CheckIn.objects.get(worker=karim, taken_on=today())
    assert (check_in.mood, check_in.connected, check_in.by_worker) == (4, 5, False)
    assert audit.new("coaching.check_in", check_in)


@covers("coaching:goal_create")
def test_coaching_goal_create(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    form = page_form(client, reverse("coaching:goal_create", args=[karim.pk]))
    competence = _option(client, form, "competence")
    done(form.submit(client, {"title": "Zelf een cv opstellen", "competence": competence}))
    goal = Goal.objects.get(worker=karim, title="Zelf een cv opstellen")
    assert goal.competence_id == int(competence) and goal.status == GoalStatus.OPEN
    assert audit.new("coaching.goal_create", goal)


@covers("coaching:action_create")
def test_coaching_action_create(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    [link] = links_to(client, reverse("coaching:worker_file", args=[karim.pk]), "coaching:action_create")
    form = page_form(client, link)
    done(form.submit(client, {"description": "Attest van de huisarts binnenbrengen", "owner": "wijkwerker",
                              "due_on": iso(today() + 7 * DAY)}))
    action = GoalAction.objects.get(worker=karim, description="Attest van de huisarts binnenbrengen")
    assert action.goal is None and action.status == ActionStatus.OPEN
    assert audit.new("coaching.action_add", action)


@covers("coaching:goal_action_create")
def test_coaching_goal_action_create(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    goal = Goal.objects.filter(worker=karim, status=GoalStatus.OPEN).first()
    form = page_form(client, reverse("coaching:goal_action_create", args=[karim.pk, goal.pk]))
    assert reverse("coaching:goal_action_create", args=[karim.pk, goal.pk]) in links_to(
        client, reverse("coaching:worker_file", args=[karim.pk]), "coaching:goal_action_create")
    done(form.submit(client, {"description": "Samen de busuren opzoeken", "owner": "werkcoach",
                              "due_on": iso(today() + 3 * DAY)}))
    action = GoalAction.objects.get(worker=karim, description="Samen de busuren opzoeken")
    assert action.goal == goal
    assert audit.new("coaching.action_add", action)


@covers("coaching:goal_status", "bereikt")
def test_coaching_goal_achieved(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    goal = Goal.objects.filter(worker=karim, status=GoalStatus.OPEN).first()
    form = page_form(client, reverse("coaching:worker_file", args=[karim.pk]),
                     action=reverse("coaching:goal_status", args=[goal.pk]))
    assert form.values["status"] == ["bereikt"]
    done(form.submit(client))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED and goal.closed_on == today()
    assert audit.new("coaching.goal_status", goal)


@covers("coaching:goal_status", "open")
def test_coaching_goal_reopen(client, audit):
    coach = login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    goal = coaching_services.goal_set_status(goal=Goal.objects.filter(worker=karim, status=GoalStatus.OPEN).first(),
                                             status=GoalStatus.ACHIEVED, actor=coach)
    form = page_form(client, reverse("coaching:worker_file", args=[karim.pk]),
                     action=reverse("coaching:goal_status", args=[goal.pk]))
    assert form.values["status"] == ["open"]
    done(form.submit(client))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN and goal.closed_on is None
    assert len(audit.new("coaching.goal_status", goal)) == 2


def _open_action(first_name: str, last_name: str) -> GoalAction:
    return (GoalAction.objects.filter(worker=worker(first_name, last_name), status=ActionStatus.OPEN,
                                      goal__isnull=False).order_by("due_on", "pk").first())


@covers("coaching:action_status", "gedaan")
def test_coaching_action_done(client, audit):
    login(client, WERKCOACH)
    action = _open_action("Karim", "Benali")
    form = page_form(client, reverse("coaching:worker_file", args=[action.worker_id]),
                     action=reverse("coaching:action_status", args=[action.pk]), marked=("status", "gedaan"))
    done(form.submit(client))
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert audit.new("coaching.action_status", action)


@covers("coaching:action_status", "geschrapt")
def test_coaching_action_cancel(client, audit):
    login(client, WERKCOACH)
    action = _open_action("Karim", "Benali")
    form = page_form(client, reverse("coaching:worker_file", args=[action.worker_id]),
                     action=reverse("coaching:action_status", args=[action.pk]), marked=("status", "geschrapt"))
    done(form.submit(client))
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    assert audit.new("coaching.action_status", action)


@covers("coaching:closing")
def test_coaching_closing(client, audit):
    login(client, WERKCOACH)
    karim = worker("Karim", "Benali")
    [link] = links_to(client, reverse("coaching:worker_file", args=[karim.pk]), "coaching:closing")
    form = page_form(client, link)
    done(form.submit(client, {"closing_summary": "Karim werkt nauwkeurig en zelfstandig in de groenzorg."}))
    portfolio = Portfolio.objects.get(worker=karim)
    assert portfolio.closing_summary.startswith("Karim werkt") and portfolio.issued_on == today()
    assert audit.new("coaching.portfolio_issue", portfolio)


# coaching: peer groups (werkcoach)

@covers("coaching:group_list")
def test_coaching_group_create(client, audit):
    coach = login(client, WERKCOACH)
    form = page_form(client, reverse("coaching:group_list"))
    done(form.submit(client, {"name": "Jongeren aan het werk", "description": "Voor wie jonger is dan 26"}))
    group = PeerGroup.objects.get(organiser=coach.organiser, name="Jongeren aan het werk")
    assert group.facilitator == coach  # the page proposes the coach who starts it
    assert audit.new("coaching.group_create", group)


@covers("coaching:group_detail")
def test_coaching_session_plan(client, audit):
    login(client, WERKCOACH)
    group = PeerGroup.objects.get(name="Samen sterk")
    form = page_form(client, reverse("coaching:group_detail", args=[group.pk]))
    day = today() + 14 * DAY
    done(form.submit(client, {"topic": "Een sollicitatiebrief schrijven", "date": iso(day), "time": "14:00",
                              "place": "Bibliotheek Herent"}))
    session = GroupSession.objects.get(group=group, topic="Een sollicitatiebrief schrijven")
    assert session.status == SessionStatus.PLANNED
    assert timezone.localtime(session.starts_at).date() == day
    assert audit.new("coaching.session_plan", session)


@covers("coaching:session_invite")
def test_coaching_session_invite(client, audit):
    login(client, WERKCOACH)
    session = _session(SessionStatus.PLANNED, upcoming=True)
    form = page_form(client, reverse("coaching:session_detail", args=[session.pk]),
                     action=reverse("coaching:session_invite", args=[session.pk]))
    invitable = _checkbox_values(client, form, "workers")
    assert invitable, "the demo has workers who are not invited yet"
    done(form.submit(client, {"workers": invitable[:1]}))
    assert session.invitations.filter(worker_id=invitable[0]).exists()
    assert audit.new("coaching.session_invite", session)


@covers("coaching:session_attendance")
def test_coaching_session_attendance(client, audit):
    login(client, WERKCOACH)
    session = _session(SessionStatus.HELD, upcoming=False)
    form = page_form(client, reverse("coaching:session_detail", args=[session.pk]),
                     action=reverse("coaching:session_attendance", args=[session.pk]))
    invited = _checkbox_values(client, form, "present")
    done(form.submit(client, {"present": invited[:2]}))
    assert session.invitations.filter(attended=True).count() == 2
    assert session.invitations.filter(attended=False).count() == len(invited) - 2
    assert audit.new("coaching.session_attendance", session)


@covers("coaching:session_note")
def test_coaching_session_note(client, audit):
    login(client, WERKCOACH)
    session = _session(SessionStatus.HELD, upcoming=False)
    form = page_form(client, reverse("coaching:session_detail", args=[session.pk]),
                     action=reverse("coaching:session_note", args=[session.pk]))
    done(form.submit(client, {"text": "Lijst met opvangmogelijkheden gedeeld; volgende keer: sollicitaties."}))
    session.refresh_from_db()
    assert session.group_note.startswith("Lijst met opvangmogelijkheden")
    assert audit.new("coaching.session_note", session)


@covers("coaching:session_cancel")
def test_coaching_session_cancel(client, audit):
    login(client, WERKCOACH)
    session = _session(SessionStatus.PLANNED, upcoming=True)
    form = page_form(client, reverse("coaching:session_detail", args=[session.pk]),
                     action=reverse("coaching:session_cancel", args=[session.pk]))
    done(form.submit(client))
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert audit.new("coaching.session_cancel", session)


# coaching: the wijk-werker's own pages (phone)

@covers("coaching:my_self_assessment")
def test_coaching_my_self_assessment(client, audit):
    """The demo coach's latest measurement of Wout waits for his own scores."""
    login(client, WIJKWERKER)
    [link] = links_to(client, reverse("coaching:my_coaching"), "coaching:my_self_assessment")
    measurement = Measurement.objects.get(pk=resolve(link).kwargs["pk"])
    assert measurement.worker == worker("Wout", "Werker") and not measurement.is_self_scored
    form = page_form(client, link)
    done(form.submit(client, levels_for(form, 3)))
    measurement.refresh_from_db()
    assert measurement.is_self_scored
    assert set(measurement.scores.filter(rater="zelf").values_list("level", flat=True)) == {3}
    [entry] = audit.new("coaching.measurement_score", measurement)
    assert entry.actor.email == WIJKWERKER


@covers("coaching:my_check_in")
def test_coaching_my_check_in(client, audit):
    login(client, WIJKWERKER)
    form = page_form(client, reverse("coaching:my_check_in"))
    done(form.submit(client, {"mood": "5", "energy": "4", "stress": "3", "connected": "4",
                              "sentence": "Fijne week gehad."}))
    check_in = CheckIn.objects.get(worker=worker("Wout", "Werker"), taken_on=today())
    assert check_in.by_worker and check_in.sentence == "Fijne week gehad."
    assert audit.new("coaching.check_in", check_in)


@covers("coaching:my_action_done")
def test_coaching_my_action_done(client, audit):
    login(client, WIJKWERKER)
    action = (GoalAction.objects.filter(worker=worker("Wout", "Werker"), owner="wijkwerker", status=ActionStatus.OPEN)
              .order_by("due_on", "pk").first())
    form = page_form(client, reverse("coaching:my_coaching"),
                     action=reverse("coaching:my_action_done", args=[action.pk]))
    done(form.submit(client))
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    [entry] = audit.new("coaching.action_status", action)
    assert entry.actor.email == WIJKWERKER


def _my_invitation():
    session = _session(SessionStatus.PLANNED, upcoming=True)
    return session.invitations.get(worker__user__email=WIJKWERKER)


@covers("coaching:my_session_respond", "ja")
def test_coaching_my_session_coming(client):
    login(client, WIJKWERKER)
    invitation = _my_invitation()
    form = page_form(client, reverse("coaching:my_coaching"),
                     action=reverse("coaching:my_session_respond", args=[invitation.pk]), marked=("response", "ja"))
    done(form.submit(client))
    invitation.refresh_from_db()
    assert invitation.response == "ja" and invitation.responded_at is not None


@covers("coaching:my_session_respond", "nee")
def test_coaching_my_session_not_coming(client):
    login(client, WIJKWERKER)
    invitation = _my_invitation()
    form = page_form(client, reverse("coaching:my_coaching"),
                     action=reverse("coaching:my_session_respond", args=[invitation.pk]), marked=("response", "nee"))
    done(form.submit(client))
    invitation.refresh_from_db()
    assert invitation.response == "nee"


@covers("coaching:my_portfolio_request")
def test_coaching_my_portfolio_request(client, audit):
    """The demo portfolio's PDF is rendered after the seed's commit, which never comes here: the page offers to
    ask the coach for one."""
    login(client, WIJKWERKER)
    form = page_form(client, reverse("coaching:my_coaching"), action=reverse("coaching:my_portfolio_request"))
    done(form.submit(client))
    wout = worker("Wout", "Werker")
    assert audit.new("coaching.portfolio_request", wout)
    assert Notification.objects.filter(recipient=coach_of_demo(), url=reverse("coaching:closing", args=[wout.pk]))
# --- reports ------------------------------------------------------------------------------------------------------

@covers("reports:municipality_reports")
def test_municipality_report_request(client, audit):
    user = login(client, GEMEENTE)
    form = page_form(client, reverse("reports:municipality_reports", args=[user.municipality_id]))
    done(form.submit(client, {"kind": "periode", "period_start": iso(today() - 40 * DAY),
                              "period_end": iso(today() - DAY)}))
    report = Report.objects.get(requested_by=user)
    assert (report.municipality_id, report.audience) == (user.municipality_id, ReportAudience.MUNICIPALITY)
    assert audit.new("report.request", report)


@covers("reports:organiser_reports")
def test_organiser_report_request(client, audit):
    user = login(client, BEHEERDER)
    form = page_form(client, reverse("reports:organiser_reports"))
    done(form.submit(client, {"kind": "jaar", "year": str(today().year)}))
    report = Report.objects.get(requested_by=user)
    assert report.municipality is None and report.period_end == today()
    assert audit.new("report.request", report)


@covers("reports:report_retry")
def test_report_retry(client, audit):
    user = login(client, GEMEENTE)
    report = Report.objects.create(organiser=user.organiser, municipality=user.municipality,
                                   audience=ReportAudience.MUNICIPALITY, period_start=datetime.date(2019, 1, 1),
                                   period_end=datetime.date(2019, 12, 31), status=BuildStatus.FAILED,
                                   error="Het rapport kon niet gemaakt worden.")
    form = page_form(client, reverse("reports:report_detail", args=[report.pk]),
                     action=reverse("reports:report_retry", args=[report.pk]))
    done(form.submit(client))
    report.refresh_from_db()
    assert report.status == BuildStatus.QUEUED
    assert audit.new("report.retry", report)


@covers("reports:attest_overview")
def test_attest_batch_request(client, audit):
    user = login(client, BEHEERDER)
    form = page_form(client, reverse("reports:attest_overview"))
    done(form.submit(client, {"year": str(today().year - 2)}))
    assert AttestBatch.objects.filter(organiser=user.organiser, year=today().year - 2).exists()
    assert audit.new("attest_batch.request")


@covers("reports:attest_batch_retry")
def test_attest_batch_retry(client, audit):
    user = login(client, BEHEERDER)
    year = today().year - 3
    batch = AttestBatch.objects.create(organiser=user.organiser, year=year, status=BuildStatus.FAILED,
                                       error="Niet alle attesten konden gemaakt worden.")
    form = page_form(client, f"{reverse('reports:attest_overview')}?jaar={year}",
                     action=reverse("reports:attest_batch_retry", args=[batch.pk]))
    done(form.submit(client))
    batch.refresh_from_db()
    assert batch.status == BuildStatus.QUEUED
    assert audit.new("attest_batch.retry", batch)


@covers("reports:client_attest_regenerate")
def test_client_attest_regenerate(client, audit):
    staff = login(client, BEMIDDELAAR)
    customer = demo_client()
    last_year = today().year - 1
    before = FiscalAttest.objects.get(client=customer, year=last_year, status="geldig")  # the demo's attest
    # A paper cheque of last year registered afterwards: the corrected attest counts it too.
    Cheque.objects.create(organiser=staff.organiser, client=customer, serial="PAPIER-ATTEST-1", kind=ChequeKind.PAPER,
                          value=Decimal("6.45"), issued_on=datetime.date(last_year, 6, 1),
                          expires_on=datetime.date(last_year + 1, 6, 1))
    form = page_form(client, reverse("reports:client_attests_panel", args=[customer.pk]),
                     action=reverse("reports:client_attest_regenerate", args=[customer.pk]))
    done(form.submit(client, {"year": str(last_year)}))
    attest = FiscalAttest.objects.get(client=customer, year=last_year, status="geldig")
    assert attest.pk != before.pk and attest.amount == before.amount + Decimal("6.45")
    before.refresh_from_db()
    assert before.status != "geldig"  # the earlier version stays, marked replaced
    assert audit.new("fiscal_attest.regenerate", attest)


# --- privacy ------------------------------------------------------------------------------------------------------

@covers("privacy:worker_access_request_create")
def test_worker_access_request(client, audit):
    login(client, BEHEERDER)
    wout = worker("Wout", "Werker")
    form = page_form(client, reverse("workers:worker_detail", args=[wout.pk]),
                     action=reverse("privacy:worker_access_request_create", args=[wout.pk]))
    done(form.submit(client))
    access_request = AccessRequest.objects.get(worker=wout)
    assert audit.new("privacy.access_requested", access_request)


@covers("privacy:client_access_request_create")
def test_client_access_request(client, audit):
    login(client, BEHEERDER)
    customer = demo_client()
    form = page_form(client, reverse("assignments:client_detail", args=[customer.pk]),
                     action=reverse("privacy:client_access_request_create", args=[customer.pk]))
    done(form.submit(client))
    access_request = AccessRequest.objects.get(client=customer)
    assert audit.new("privacy.access_requested", access_request)
