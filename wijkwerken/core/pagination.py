"""One page size and one way to cut a list into pages (the template `includes/pagination.html` shows the links)."""

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, QuerySet, Window

PAGE_SIZE = 25
# The page lengths a reader can choose under a list, and the longest page anyone may ask for in the address.
ROWS_CHOICES = (25, 50, 100)
MAX_ROWS = 100


def rows_param(param: str = "page") -> str:
    """The query parameter that asks for a page length: `rijen` for a page's list, `<param>-rijen` for one of
    several lists on a page."""
    return "rijen" if param == "page" else f"{param}-rijen"


def rows_asked(request, *, param: str = "page") -> int | None:
    """The page length asked for in the address (a whole number from 1 to MAX_ROWS), or None."""
    value = request.GET.get(rows_param(param), "")
    if value.isdigit() and 1 <= int(value) <= MAX_ROWS:
        return int(value)
    return None


def _asked(request, *, param: str, per_page: int) -> tuple[int | None, int, int]:
    """The length the reader chose (or None), the page length that gives, and the page number asked for (the first
    when it is not a number), for the lists that read their page in one query."""
    chosen = rows_asked(request, param=param)
    try:
        number = max(int(request.GET.get(param) or 1), 1)
    except ValueError:
        number = 1
    return chosen, chosen or per_page, number


def _with_rows_choice(page: Page, *, param: str, chosen: int | None) -> Page:
    """What `includes/pagination.html` needs to offer the page lengths and to keep the chosen one in its links."""
    page.rows_param, page.rows_chosen = rows_param(param), chosen
    page.rows_choices = ROWS_CHOICES
    return page


def page_of(request, rows, *, per_page: int = PAGE_SIZE, param: str = "page", count: int | None = None) -> Page:
    """The page of `rows` asked for in `?<param>=` (the last page when the number is too high, the first when it
    is not a number), `per_page` rows long unless the reader chose another length (`?rijen=`, see `rows_param`).
    `param` names the page of one of several lists on a page. `count`, when the number of rows is known already
    (a figure counted them, a batch stores it), saves the count query; the page's rows are then read in one query
    whatever the number."""
    chosen = rows_asked(request, param=param)
    per_page = chosen or per_page
    paginator = Paginator(rows, per_page)
    if count is None:
        return _with_rows_choice(paginator.get_page(request.GET.get(param)), param=param, chosen=chosen)
    paginator.count = count
    page = paginator.get_page(request.GET.get(param))
    offset = (page.number - 1) * per_page
    page.object_list = list(rows[offset:offset + per_page])
    return _with_rows_choice(page, param=param, chosen=chosen)


def page_of_search(request, rows: QuerySet, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """`page_of` for the rows a search found (or a short queue, such as the bank lines to handle): the asked page's
    rows and the number of all rows found come in one query (a window count over the rows found, taken before the
    LIMIT) instead of a count and then the rows. A
    search reads every row it finds to count them anyway; reading them twice, each time matching the names again,
    is what made a search cost more the larger the organiser. A page number past the end costs two queries more
    (the count, then the last page)."""
    chosen, per_page, number = _asked(request, param=param, per_page=per_page)
    counted = rows.annotate(total_rows=Window(Count("*")))
    found = list(counted[(number - 1) * per_page:number * per_page])
    paginator = Paginator(rows, per_page)
    if not found and number > 1:  # past the end: the last page, as page_of
        number = paginator.num_pages
        found = list(counted[(number - 1) * per_page:number * per_page])
    paginator.count = found[0].total_rows if found else 0
    return _with_rows_choice(Page(found, number, paginator), param=param, chosen=chosen)


def first_with_total(queryset: QuerySet, size: int) -> tuple[list, int]:
    """The first `size` rows of `queryset` and the number of all its rows, in one query (a window count over the
    filtered rows, taken before the LIMIT), for a panel or queue that shows the first rows and how many there are."""
    rows = list(queryset.annotate(total_rows=Window(Count("*")))[:size])
    return rows, rows[0].total_rows if rows else 0


def page_of_combined(request, rows: QuerySet, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """`page_of` for an ordered combined queryset (a `union` of `values()` querysets, ordered by its columns),
    which Django cannot annotate: on PostgreSQL the asked page's rows (dicts) and the number of all rows come in
    one query, a window count over the combined rows taken before the LIMIT (a page number past the end costs two
    queries more: the count, then the last page). Other databases get `page_of` (their driver would return the
    combined columns untyped)."""
    if connection.vendor != "postgresql":
        return page_of(request, rows, per_page=per_page, param=param)
    chosen, per_page, number = _asked(request, param=param, per_page=per_page)
    sql, params = rows.order_by().query.sql_with_params()
    ordering = ", ".join(connection.ops.quote_name(name) for name in rows.query.order_by)
    query = f"SELECT *, COUNT(*) OVER () FROM ({sql}) combined ORDER BY {ordering} LIMIT %s OFFSET %s"

    def read(page_number: int) -> tuple[list[dict], int]:
        with connection.cursor() as cursor:
            cursor.execute(query, (*params, per_page, (page_number - 1) * per_page))
            names = [column.name for column in cursor.description][:-1]
            fetched = cursor.fetchall()
        return [dict(zip(names, row[:-1], strict=True)) for row in fetched], (fetched[0][-1] if fetched else 0)

    found, total = read(number)
    paginator = Paginator([], per_page)
    if not found and number > 1:  # past the end: the last page, as page_of
        paginator.count = rows.order_by().count()
        number = paginator.num_pages
        found, total = read(number)
    paginator.count = total
    return _with_rows_choice(Page(found, number, paginator), param=param, chosen=chosen)
