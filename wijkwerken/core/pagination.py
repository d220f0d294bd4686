"""One page size and one way to cut a list into pages (the template `_pagination.html` shows the links)."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def page_of(request, rows, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of `rows` asked for in `?page=` (the last page when the number is too high, the first when it is
    not a number)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
