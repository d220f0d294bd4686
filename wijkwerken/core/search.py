"""Search-as-you-type choice fields: a text field that looks people up among the organiser's own, never a
drop-down of the whole pool.

An app registers a *source* (what a user may choose from and how to search it); `SearchSelectField` is the form
field, `search_results` the view behind it (`core:search`). The matches are radio buttons, so the keyboard and
screen readers work as with any radio group; htmx refreshes them while typing. Without JavaScript the typed text
is looked up when the form is sent: one match is taken, several are shown to choose from.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# How many matches are listed at most; more means: type more of the name.
PAGE = 10
MIN_LENGTH = 2
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class SearchSource:
    """`choices(user)`: the scoped queryset a user may choose from; `fields`: the text fields each typed word is
    looked for in; `number_field`: matched exactly when a number is typed; `label(obj)`: the text of one match."""

    name: str
    choices: Callable[[object], QuerySet]
    fields: tuple[str, ...]
    order_by: tuple[str, ...]
    label: Callable[[object], str] = str
    number_field: str = ""
    related: tuple[str, ...] = ()
    nothing_found: str = _("Nothing matches “%(query)s”.")


SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> SearchSource:
    SOURCES[source.name] = source
    return source


def search(source: SearchSource, queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` narrowed to what matches every word of `query` (in any of the source's fields)."""
    words = query.split()
    if not words:
        return queryset.none()
    for word in words[:5]:
        match = Q()
        for field in source.fields:
            match |= Q(**{f"{field}__icontains": word})
        if source.number_field and word.isdigit():
            match |= Q(**{source.number_field: int(word)})
        queryset = queryset.filter(match)
    return queryset.select_related(*source.related).order_by(*source.order_by)


@dataclass
class Matches:
    query: str
    options: list[tuple[str, str]]  # (value, label)
    more: bool
    too_short: bool = False


def find(source: SearchSource, queryset: QuerySet, query: str) -> Matches:
    query = " ".join(query.split())[:100]
    if len(query) < MIN_LENGTH:
        return Matches(query=query, options=[], more=False, too_short=bool(query))
    found = list(search(source, queryset, query)[:PAGE + 1])
    return Matches(query=query, options=[(str(obj.pk), source.label(obj)) for obj in found[:PAGE]],
                   more=len(found) > PAGE)


def matches_context(source: SearchSource, *, name: str, id_: str, matches: Matches, chosen: str) -> dict:
    """What `core/widgets/_search_matches.html` shows, on the form and in the htmx answer."""
    return {"source": source.name, "name": name, "id": id_, "matches": matches, "chosen": chosen,
            "nothing_found": source.nothing_found % {"query": matches.query}}


class SearchSelect(forms.Widget):
    """The text field and its matches. The bound value is {"pk": chosen value, "q": typed text}."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, source: str, attrs=None):
        super().__init__(attrs)
        self.source = source

    def value_from_datadict(self, data, files, name):
        return {"pk": data.get(name) or "", "q": data.get(f"{name}_q") or ""}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        source = SOURCES[self.source]
        queryset = self.choices.queryset
        chosen = None
        if isinstance(value, dict):
            pk, query = value.get("pk", ""), value.get("q", "")
        else:
            pk, query = ("" if value in (None, "") else str(value)), ""
        if pk:
            chosen = queryset.select_related(*source.related).filter(pk=pk).first() if str(pk).isdigit() else None
        if chosen is not None:
            label = source.label(chosen)
            matches = Matches(query=query or label, options=[(str(chosen.pk), label)], more=False)
        else:
            matches = find(source, queryset, query) if query else Matches(query="", options=[], more=False)
        widget = context["widget"]
        hint = f"{widget['attrs'].get('id', name)}_hint"
        widget["attrs"]["aria-describedby"] = f"{widget['attrs'].get('aria-describedby', '')} {hint}".strip()
        widget.update(matches_context(source, name=name, id_=widget["attrs"].get("id", name), matches=matches,
                                      chosen=str(chosen.pk) if chosen else ""))
        return context

    def id_for_label(self, id_):
        return id_


class SearchSelectField(forms.ModelChoiceField):
    """A ModelChoiceField over `queryset` that is typed into and searched (see the module docstring)."""

    default_error_messages = {
        "required": _("Type a name and choose from the matches."),
        "invalid_choice": _("Choose from the matches."),
        "no_match": _("Nothing matches “%(query)s”: check the spelling, or type less of the name."),
        "several": _("Several match “%(query)s”: choose one."),
    }

    def __init__(self, *, source: str, queryset=None, **kwargs):
        kwargs.setdefault("widget", SearchSelect(source))
        super().__init__(queryset=queryset, **kwargs)
        self.source = source

    def to_python(self, value):
        if not isinstance(value, dict):
            return super().to_python(value)
        if value.get("pk"):
            return super().to_python(value["pk"])
        query = " ".join(value.get("q", "").split())
        if not query:
            return None
        found = list(search(SOURCES[self.source], self.queryset, query)[:2])
        if not found:
            raise ValidationError(self.error_messages["no_match"], code="no_match", params={"query": query})
        if len(found) > 1:
            raise ValidationError(self.error_messages["several"], code="several", params={"query": query})
        return found[0]

    def has_changed(self, initial, data):
        return super().has_changed(initial, data.get("pk") if isinstance(data, dict) else data)
