"""Benchmark: every page costs the same at Flanders scale (issue 16).

One organiser of normal size and its twin ten times larger (the generator's "twins" preset: 500 and 5,000
workers, 1,500 and 15,000 clients, five years of history each) live in one database. For every role the benchmark
logs in as a person of that role in each twin, finds the role's GET pages (every page reachable from the start
page and the menu, one link further, every htmx panel they load, every page of the URLconf without arguments, and
the staff's `work_pages`), and measures each page in both twins in the same run: the number of queries, the median
time of `--repeat` requests (taken in turns, 1×, 10×, 1×, …, so that a busy moment of the machine falls on both
twins) and the size of the HTML. A page is marked when its query count grows with the data, or when its time ratio
(10× ÷ 1×) exceeds 1.3 in both passes (single pages vary 0.6–1.7× by chance on a busy machine; a page counts as slow
only when both passes say so). A list shorter in the 1× twin than in the 10× twin is compared at the same length
(`same_length`: the 10× page with `?rijen=` set to the 1× list's rows), so that the ratio is the organiser's size
and not the page's length; the full page's ratio is printed beside it.

It then runs a bounded load against gunicorn on 127.0.0.1: 20 and 50 concurrent users, each looping over the
pages of its role, for `--seconds` each: requests per second, p50/p95/p99 and errors (any answer but 200).

    .venv/bin/python benchmarks/flanders.py --create ww_twins --preset twins          # once, about 10 minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_twins .venv/bin/python benchmarks/pages.py
    ... benchmarks/pages.py --roles bemiddelaar,gebruiker --repeat 3 --load 0          # a quicker look
    ... benchmarks/pages.py --roles beheerder --only payout,privacy --load 0           # a few pages only
    ... benchmarks/pages.py --json after.json --before before.json                   # with earlier figures

Read-only for the pages it opens with GET (a GET changes nothing in this application); the sessions it creates
are deleted at the end. Settings: `benchmarks/settings.py` (production behaviour, DEBUG off, connections kept).
"""

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse  # noqa: E402

from assignments.models import ClientContact  # noqa: E402
from wijkwerken.accounts.models import Role, User  # noqa: E402
from wijkwerken.core.models import Organiser  # noqa: E402
from workers.models import Worker  # noqa: E402

ROLES = [Role.BEHEERDER, Role.BEMIDDELAAR, Role.WERKCOACH, Role.GEMEENTE, Role.GEBRUIKER, Role.WIJKWERKER]
RATIO_LIMIT = 1.3
FULLER = 1.3  # a marked page whose HTML at 10× is this much larger is said to be fuller
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/__")
SKIP_ROUTES = {"accounts:logout"}
MAX_KINDS_PER_ROLE = 200
FAILURES: list[str] = []  # pages that answered with a server error while the pages were found
DEPTH = 2


# --- the twins and their people ----------------------------------------------------------------------------------

def twins() -> tuple[Organiser, Organiser]:
    """The normal organiser and its 10× twin (by number of workers)."""
    found = list(Organiser.objects.filter(name__startswith="Wijk-werken Tweeling")
                 .annotate(worker_count=Count("workers", distinct=True)).order_by("worker_count"))
    if len(found) != 2:
        raise SystemExit("no twins in this database: make them with "
                         "`benchmarks/flanders.py --create ww_twins --preset twins` and set DATABASE_URL")
    return found[0], found[1]


def person(organiser: Organiser, role: str) -> User:
    """Who logs in for `role`: the first staff member of the role; for a client the contact of the client with
    the longest history, for a worker the worker with the most assignments (their own pages must not grow with
    it)."""
    if role == Role.GEBRUIKER:
        contact = (ClientContact.objects.filter(client__organiser=organiser, user__isnull=False)
                   .annotate(prestaties=Count("client__prestaties"))
                   .order_by("-prestaties", "pk").select_related("user").first())
        return contact.user
    if role == Role.WIJKWERKER:
        worker = (Worker.objects.filter(organiser=organiser, user__isnull=False)
                  .annotate(n=Count("assignments")).order_by("-n", "pk").select_related("user").first())
        return worker.user
    return User.objects.filter(organiser=organiser, role=role, is_active=True).order_by("pk").first()


# --- finding a role's pages --------------------------------------------------------------------------------------

# What a filter form is filled in with: a fragment of many Flemish names (trigram and prefix searches alike), a
# number of hours a bemiddelaar asks for, the first choice of a list.
SEARCH_TEXT = "van"
NUMBER = 10


class _Links(HTMLParser):
    """The links of a page, the htmx panels it loads, and its filter forms (GET), each filled in as a person
    narrowing a list would: text and search fields with SEARCH_TEXT, numbers with NUMBER (within the field's
    bounds), a list's first real choice, every box ticked; hidden fields and fields with a value keep it."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.links: list[tuple[str, bool]] = []  # (url, is an htmx request)
        self.form: list[tuple[str, str]] | None = None  # the fields of the GET form being read
        self.form_action = self.form_htmx = ""
        self.select: str | None = None  # the name of the list being read, until its first real choice

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], False))
        if attrs.get("hx-get"):
            self.links.append((attrs["hx-get"], True))
        if tag == "form":
            get = (attrs.get("method") or "get").lower() == "get"
            self.form = [] if get else None
            self.form_action = attrs.get("action") or self.path
            self.form_htmx = attrs.get("hx-get") or ""
        elif self.form is not None and attrs.get("name"):
            self._field(tag, attrs)
        elif self.form is not None and tag == "option" and self.select and attrs.get("value"):
            self.form.append((self.select, attrs["value"]))
            self.select = None

    def _field(self, tag, attrs):
        name, kind, value = attrs["name"], (attrs.get("type") or "text").lower(), attrs.get("value") or ""
        if tag == "select":
            self.select = name
        elif tag == "input" and kind in ("text", "search") and not value:
            self.form.append((name, SEARCH_TEXT))
        elif tag == "input" and kind == "number" and not value:
            low, high = attrs.get("min"), attrs.get("max")
            number = max(NUMBER, int(low)) if low and low.lstrip("-").isdigit() else NUMBER
            number = min(number, int(high)) if high and high.lstrip("-").isdigit() else number
            self.form.append((name, str(number)))
        elif tag == "input" and kind in ("checkbox", "radio"):
            if kind == "checkbox" or name not in {field for field, _value in self.form}:
                self.form.append((name, value or "on"))
        elif tag == "input" and kind not in ("submit", "button", "reset", "file", "password") and value:
            self.form.append((name, value))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.form is not None:
            if self.form:  # as a page, and as the panel an htmx form loads
                query = urlencode(self.form)
                self.links.append((f"{self.form_action.split('?')[0]}?{query}", False))
                if self.form_htmx:
                    self.links.append((f"{self.form_htmx.split('?')[0]}?{query}", True))
            self.form = None


def _links(html: str, path: str = "/") -> list[tuple[str, bool]]:
    parser = _Links(path)
    parser.feed(html)
    return parser.links


def _url_patterns(resolver=None, prefix="", namespace=""):
    """(name, has arguments) of every named pattern of the URLconf."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", bool(pattern.pattern.regex.groups) or "<" in str(pattern.pattern)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def page_kind(url: str, htmx: bool) -> str | None:
    """The same page in both twins: the route and the query with numbers and ids blanked out. Another page of a
    list, or the list at another length (`?rijen=`), is the same page."""
    parts = urlsplit(url)
    route = _route(parts.path)
    if route is None:
        return None
    query = sorted((key, "#" if re.fullmatch(r"[\d\-]+", value) else value)
                   for key, value in parse_qsl(parts.query)
                   if key not in ("page", "next", "rijen") and not key.endswith("-rijen"))
    return route + ("?" + urlencode(query) if query else "") + (" [htmx]" if htmx else "")


@dataclass
class Page:
    kind: str
    url: str
    htmx: bool

    @property
    def headers(self) -> dict:
        return {"HX-Request": "true"} if self.htmx else {}


def work_pages(user) -> list[tuple[str, bool]]:
    """Pages staff open from an item of their queue that the crawl's first URL of a kind may not stand for, measured
    before the crawl so that they define their kind:
    - the candidates of the organiser's newest new request, as a page and as the panel the request page loads
      (beyond DEPTH, and a closed request has no candidates);
    - the organiser's bank statement with the most lines: as for the client with the longest history (`person`),
      the page must not grow with it. The newest statement holds a handful of lines in the 1× twin and a full page
      in the 10× twin, which compares a page's length rather than the organiser's size;
    - the worker list filtered on hours left (a form, so no link leads there), which looks at every worker's caps.
    Other roles are refused them and they are not measured."""
    from assignments.models import HelpRequest, RequestStatus
    from cheques.models import BankImport

    if not user.organiser_id:
        return []
    pages = []
    newest = (HelpRequest.objects.filter(organiser_id=user.organiser_id, status=RequestStatus.NEW).order_by("-pk")
              .first())
    if newest is not None:
        url = reverse("assignments:request_candidates", args=[newest.pk])
        pages += [(url, False), (url, True)]
    longest = BankImport.objects.filter(organiser_id=user.organiser_id).order_by("-lines_total", "-pk").first()
    if longest is not None:
        pages.append((reverse("cheques:bank_import_detail", args=[longest.pk]), False))
    pages.append((f"{reverse('workers:worker_list')}?hours_left=10", False))
    return pages


def find_pages(client: HttpClient, user) -> tuple[dict[str, Page], int]:
    """Breadth first from the start page and every argument-free route, DEPTH links deep, and the `work_pages`;
    the first URL of each kind stands for it. Returns the pages and the number of downloads seen (not measured)."""
    seeds = ["/"]
    for name, has_arguments in _url_patterns():
        if not has_arguments and name not in SKIP_ROUTES:
            with contextlib.suppress(NoReverseMatch):
                seeds.append(reverse(name))
    queue = deque((url, htmx, DEPTH) for url, htmx in work_pages(user))
    queue.extend((url, False, 0 if url == "/" else 1) for url in seeds)
    pages: dict[str, Page] = {}
    tried: set[str] = set()
    downloads = 0
    while queue and len(pages) < MAX_KINDS_PER_ROLE:
        url, htmx, depth = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        kind = page_kind(url, htmx)
        if kind is None or kind in tried or kind.split("?")[0].split(" ")[0] in SKIP_ROUTES:
            continue
        tried.add(kind)
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        if response.status_code in (301, 302) and not htmx:
            queue.appendleft((response["Location"], False, depth))
            tried.discard(kind)
            tried.add(kind + " →")
            continue
        if response.status_code >= 500:
            FAILURES.append(f"{response.status_code} {url}")
        if response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html") or getattr(response, "streaming", False):
            downloads += 1
            continue
        pages[kind] = Page(kind, url, htmx)
        if depth < DEPTH:
            for link, link_htmx in _links(response.content.decode(), parts.path):
                queue.append((link, link_htmx, depth + 1))
    return pages, downloads


# --- measuring ---------------------------------------------------------------------------------------------------

@dataclass
class Figures:
    queries: int = 0
    kib: float = 0.0
    medians: list[float] = field(default_factory=list)  # ms, one per pass
    lists: dict[str, int] = field(default_factory=dict)  # {page-length parameter: rows shown} of its paginated lists


# The pages of lists (`page_of`, `page_of_search`, `page_of_combined`) the request `first_look` looks at cut; None
# when it is not looking (nothing is kept).
_PAGES_CUT: list | None = None


def _record_pages(function):
    def recorded(*args, **kwargs):
        page = function(*args, **kwargs)
        if _PAGES_CUT is not None:
            _PAGES_CUT.append(page)
        return page
    return recorded


def watch_lists() -> None:
    """Let `first_look` see how many rows each paginated list of a page shows: every view module's `page_of`,
    `page_of_search` and `page_of_combined` note the pages they cut (the URLconf, loaded by now, imported the
    views)."""
    from wijkwerken.core import pagination

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    names = [name for name in vars(pagination) if name.startswith("page_of")]
    originals = {getattr(pagination, name): _record_pages(getattr(pagination, name)) for name in names}
    for module in list(sys.modules.values()):
        for name in names:
            function = getattr(module, name, None)
            if function in originals and module is not pagination:
                setattr(module, name, originals[function])


def first_look(client: HttpClient, page: Page) -> Figures:
    """The page's queries, size and the rows of its lists, after one request that warms caches and connections."""
    global _PAGES_CUT
    client.get(page.url, headers=page.headers)
    _PAGES_CUT = []
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, headers=page.headers)
        lists = {cut.rows_param: len(cut.object_list) for cut in _PAGES_CUT}
    finally:
        _PAGES_CUT = None
    return Figures(queries=len(queries), kib=len(response.content) / 1024, lists=lists)


def same_length(page: Page, small: Figures, large: Figures) -> Page | None:
    """The 10× page with each list as long as in the 1× twin (`?rijen=`, which every list offers its readers),
    when a list of the 1× twin shows fewer rows than a page holds: otherwise the comparison would be of a handful
    of rows against a full page, the same page, longer."""
    shorter = {param: rows for param, rows in small.lists.items() if 0 < rows < large.lists.get(param, 0)}
    if not shorter:
        return None
    parts = urlsplit(page.url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key not in shorter]
    query += sorted((param, str(rows)) for param, rows in shorter.items())
    return Page(page.kind, f"{parts.path}?{urlencode(query)}", page.htmx)


def _timed(client: HttpClient, page: Page) -> float:
    began = time.perf_counter()
    client.get(page.url, headers=page.headers)
    return (time.perf_counter() - began) * 1000


def measure(row: "Row", small: tuple[HttpClient, Page], large: tuple[HttpClient, Page], repeat: int) -> None:
    """One pass over a page: `repeat` requests in each twin, taken in turns (1×, 10×, 1×, …), so that a moment
    the machine is busy with something else falls on both twins alike instead of on one twin's five requests."""
    if row.small is None:
        row.small, row.large = first_look(*small), first_look(*large)
        row.equal_page = same_length(large[1], row.small, row.large)
        if row.equal_page is not None:
            row.equal = first_look(large[0], row.equal_page)
    small_times, large_times, equal_times = [], [], []
    for _ in range(repeat):
        small_times.append(_timed(*small))
        large_times.append(_timed(*large))
        if row.equal_page is not None:
            equal_times.append(_timed(large[0], row.equal_page))
    row.small.medians.append(statistics.median(small_times))
    row.large.medians.append(statistics.median(large_times))
    if row.equal is not None:
        row.equal.medians.append(statistics.median(equal_times))


@dataclass
class Row:
    role: str
    kind: str
    small: Figures
    large: Figures
    equal: Figures | None = None  # the 10× page with its lists as long as at 1× (`same_length`)
    equal_page: Page | None = None

    @property
    def compared(self) -> Figures:
        """What the 1× page is compared with: the 10× page, with its lists as long as at 1× when they are longer."""
        return self.equal or self.large

    def _ratios(self, large: Figures) -> list[float]:
        return [big / max(small, 0.01) for small, big in zip(self.small.medians, large.medians, strict=True)]

    @property
    def ratios(self) -> list[float]:
        return self._ratios(self.compared)

    @property
    def full_ratios(self) -> list[float]:
        """The ratios of the 10× page as it opens, every list a full page."""
        return self._ratios(self.large)

    @property
    def empty_lists(self) -> int:
        """Lists with no row at 1× and rows at 10×: an empty page reads no rows, one query less, not a query that
        grows with the data."""
        return sum(1 for param, rows in self.small.lists.items() if rows == 0 and self.large.lists.get(param, 0))

    @property
    def queries_grow(self) -> bool:
        return self.compared.queries > self.small.queries + self.empty_lists

    @property
    def slow(self) -> bool:
        return all(ratio > RATIO_LIMIT for ratio in self.ratios)

    @property
    def marked(self) -> bool:
        return self.queries_grow or self.slow


def run_pages(roles, small_org, large_org, repeat: int, passes: int, log,
              only: tuple[str, ...] = ()) -> tuple[list[Row], dict, list[str]]:
    clients, people, found, sessions = {}, {}, {}, []
    watch_lists()
    for role in roles:
        for size, organiser in (("1x", small_org), ("10x", large_org)):
            user = person(organiser, role)
            if user is None:
                log(f"  {role} {size}: nobody with this role, skipped")
                continue
            client = HttpClient(raise_request_exception=False)  # a failing page is reported, not fatal
            client.force_login(user)
            sessions.append(client.session.session_key)
            clients[role, size], people[role, size] = client, user
            began = time.perf_counter()
            found[role, size] = find_pages(client, user)
            pages, downloads = found[role, size]
            log(f"  {role:<12} {size:>3}: {user.email:<55} {len(pages):>3} pages, {downloads} downloads "
                f"({time.perf_counter() - began:.0f} s)")
    rows: list[Row] = []
    only_one: list[str] = []
    for role in roles:
        if (role, "1x") not in found or (role, "10x") not in found:
            continue
        small_pages, large_pages = found[role, "1x"][0], found[role, "10x"][0]
        only_one += [f"{role}: {kind} (only at {'1×' if kind in small_pages else '10×'})"
                     for kind in sorted(set(small_pages) ^ set(large_pages))]
        for kind in sorted(set(small_pages) & set(large_pages)):
            if not only or any(part in kind for part in only):
                rows.append(Row(role, kind, None, None))
    for number in range(passes):
        began = time.perf_counter()
        for row in rows:
            measure(row, (clients[row.role, "1x"], found[row.role, "1x"][0][row.kind]),
                    (clients[row.role, "10x"], found[row.role, "10x"][0][row.kind]), repeat)
        log(f"  pass {number + 1}: {len(rows)} pages × 2 twins × {repeat} requests in "
            f"{time.perf_counter() - began:.0f} s")
    sessions_by_role = {key: client.cookies[settings.SESSION_COOKIE_NAME].value for key, client in clients.items()}
    urls_by_role = {key: [page.url for page in pages.values() if not page.htmx] for key, (pages, _) in found.items()}
    return rows, {"sessions": sessions_by_role, "urls": urls_by_role, "keys": sessions}, only_one


# --- load --------------------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def run_load(users: int, seconds: float, port: int, people: dict) -> dict:
    import requests

    keys = sorted(people["sessions"])
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user_loop(index: int):
        key = keys[index % len(keys)]
        urls = people["urls"][key] or ["/"]
        session = requests.Session()
        session.cookies.set(settings.SESSION_COOKIE_NAME, people["sessions"][key], domain="127.0.0.1")
        position = index * 7
        while time.perf_counter() < deadline:
            url = urls[position % len(urls)]
            position += 1
            began = time.perf_counter()
            try:
                response = session.get(f"http://127.0.0.1:{port}{url}", allow_redirects=False, timeout=30)
                outcome = None if response.status_code == 200 else f"{response.status_code} {url}"
            except requests.RequestException as error:
                outcome = f"{type(error).__name__} {url}"
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                if outcome:
                    errors.append(outcome)

    threads = [threading.Thread(target=user_loop, args=(i,)) for i in range(users)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"users": users, "requests": len(latencies), "per_second": len(latencies) / wall,
            "p50": _percentile(latencies, 0.50), "p95": _percentile(latencies, 0.95),
            "p99": _percentile(latencies, 0.99), "errors": len(errors), "error_examples": sorted(set(errors))[:5]}


def warm(port: int, people: dict) -> None:
    """Until every worker answers a page quickly (each opens its database connection on its first request)."""
    import requests

    key = sorted(people["sessions"])[0]
    cookies = {settings.SESSION_COOKIE_NAME: people["sessions"][key]}
    began = time.perf_counter()
    while time.perf_counter() - began < 120:
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            requests.get(f"http://127.0.0.1:{port}/", cookies=cookies, allow_redirects=False, timeout=60)
            timings.append(time.perf_counter() - start)
        if max(timings) < 2:
            return


def start_gunicorn(workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="benchmarks.settings")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "wijkwerken.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning",
         "--preload"],  # the application is loaded once, before the workers fork, as a deployment would
        cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


# --- report ------------------------------------------------------------------------------------------------------

def print_rows(rows: list[Row], before: dict | None) -> None:
    print(f"\n{'role':<12} {'page':<62} {'q 1×':>5} {'q 10×':>6} {'ms 1×':>7} {'ms 10×':>7} "
          f"{'ratio':>11} {'KiB 10×':>8}" + (f" {'before':>7}" if before else "") + "  mark")
    for row in rows:
        ratios = "/".join(f"{r:.2f}" for r in row.ratios)
        mark = ("QUERIES " if row.queries_grow else "") + ("SLOW" if row.slow else "")
        if row.marked and row.compared.kib >= FULLER * max(row.small.kib, 0.1):
            # A hint for the reader, not a pardon: often a list with a handful of rows in the 1× twin and a full
            # page in the 10× twin (the same page, longer), rather than work that grows with the organiser.
            mark += f" (page {row.compared.kib / max(row.small.kib, 0.1):.1f}× fuller)"
        old = ""
        if before:
            earlier = before.get(f"{row.role} {row.kind}")
            old = f" {max(earlier['ratios']) if earlier else float('nan'):>7.2f}"
        if row.equal is not None:
            # The 1× list was shorter than a page: compared with the 10× page at the same length; the ratios of
            # the full 10× page follow for the reader.
            mark += f" [same length {row.equal_page.url.split('?')[1]}; full page " + "/".join(
                f"{r:.2f}" for r in row.full_ratios) + "]"
        print(f"{row.role:<12} {row.kind[:62]:<62} {row.small.queries:>5} {row.compared.queries:>6} "
              f"{statistics.median(row.small.medians):>7.1f} {statistics.median(row.compared.medians):>7.1f} "
              f"{ratios:>11} {row.compared.kib:>8.0f}{old}  {mark}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles (default: all six)")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page per pass (median)")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--load", default="20,50", help="concurrent users per load run; 0 for none")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each load run")
    parser.add_argument("--gunicorn-workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--before", help="a --json file of an earlier run, shown beside the ratios")
    parser.add_argument("--only", default="", help="comma-separated parts of page names: measure only those pages "
                                                   "(a quick check; the full run is the benchmark)")
    args = parser.parse_args(argv)

    def log(message):
        print(message, flush=True)

    small_org, large_org = twins()
    log(f"twins: {small_org.name} (pk {small_org.pk}, {small_org.worker_count:,} workers) and {large_org.name} "
        f"(pk {large_org.pk}, {large_org.worker_count:,} workers); database {connection.settings_dict['NAME']}")
    roles = [role for role in args.roles.split(",") if role]
    only = tuple(part for part in args.only.split(",") if part)
    rows, people, only_one = run_pages(roles, small_org, large_org, args.repeat, args.passes, log, only)
    before = json.loads(Path(args.before).read_text())["pages"] if args.before else None
    print_rows(rows, before)
    marked = [row for row in rows if row.marked]
    print(f"\n{len(rows)} pages measured in both twins; {len(marked)} marked "
          f"({sum(r.queries_grow for r in rows)} whose queries grow, {sum(r.slow for r in rows)} slower than "
          f"{RATIO_LIMIT}× in every pass)")
    for line in only_one:
        print(f"  not compared: {line}")
    for line in sorted(set(FAILURES)):
        print(f"  SERVER ERROR: {line}")
    load_results = []
    levels = [int(n) for n in args.load.split(",") if n.strip() and int(n) > 0]
    if levels:
        connection.close()
        process, port = start_gunicorn(args.gunicorn_workers, args.gunicorn_threads)
        try:
            warm(port, people)
            for users in levels:
                result = run_load(users, args.seconds, port, people)
                load_results.append(result)
                print(f"load {users:>3} users, {args.seconds:.0f} s: {result['per_second']:.1f} requests/s, "
                      f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, "
                      f"{result['errors']} errors {result['error_examples'] or ''}", flush=True)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    Session.objects.filter(session_key__in=people["keys"]).delete()
    if args.json:
        Path(args.json).write_text(json.dumps({
            "pages": {f"{row.role} {row.kind}": {
                **asdict(row.small), "large": asdict(row.large), "ratios": row.ratios,
                **({"same_length": {**asdict(row.equal), "url": row.equal_page.url, "full_ratios": row.full_ratios}}
                   if row.equal is not None else {})} for row in rows},
            "load": load_results}, indent=1))
    return 1 if marked or FAILURES or any(result["errors"] for result in load_results) else 0


if __name__ == "__main__":
    sys.exit(main())
