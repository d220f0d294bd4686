"""One page size and one way to cut a list into pages (the template `includes/pagination.html` shows the links)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

PAGE_SIZE = 25


def page_of(request, rows, *, per_page: int = PAGE_SIZE, param: str = "page", count: int | None = None) -> Page:
    """The page of `rows` asked for in `?<param>=` (the last page when the number is too high, the first when it
    is not a number). `param` names the page of one of several lists on a page. `count`, when the number of rows
    is known already (a figure counted them, a batch stores it), saves the count query; the page's rows are then
    read in one query whatever the number."""
    paginator = Paginator(rows, per_page)
    if count is None:
        return paginator.get_page(request.GET.get(param))
    paginator.count = count
    page = paginator.get_page(request.GET.get(param))
    offset = (page.number - 1) * per_page
    page.object_list = list(rows[offset:offset + per_page])
    return page


def first_with_total(queryset: QuerySet, size: int) -> tuple[list, int]:
    """The first `size` rows of `queryset` and the number of all its rows, in one query (a window count over the
    filtered rows, taken before the LIMIT), for a panel or queue that shows the first rows and how many there are."""
    rows = list(queryset.annotate(total_rows=Window(Count("*")))[:size])
    return rows, rows[0].total_rows if rows else 0
