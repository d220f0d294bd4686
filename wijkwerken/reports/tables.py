"""The report as tables: the figures of a period beside those of the period before, with the change.

Every output (PDF, XLSX, CSV and the page) is written from these tables, so they show the same numbers. Counts
of persons of a report for municipal staff go through `wijkwerken.core.disclosure` here, before any writer sees
them: a hidden count is the text "< 5" from then on, and a change computed from it is empty.

A table is stored on the report as JSON (`tables_to_json`), so the page shows the report without querying again.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assignments.models import ClientCategory
from wijkwerken.core.disclosure import is_masked, persons_count, persons_counts
from workers.models import FOLLOW_UP_MONTHS, OutflowReason, Referral

from .selectors import Figures

PERSONS, COUNT, HOURS, EURO, PERCENT = "persons", "count", "hours", "euro", "percent"
HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


def hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def euros(value) -> Decimal:
    return Decimal(value or 0).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    value: int | Decimal | str | None  # a number, "< 5" or "×" (hidden), or None (nothing to show)
    kind: str
    signed: bool = False  # a change: shown with its sign


@dataclass
class Row:
    """One line: a comparison (`current` beside `previous`) or, in a table with `columns`, `values`."""

    label: str
    kind: str = COUNT
    current: int | Decimal | str | None = None
    previous: int | Decimal | str | None = None
    values: list = field(default_factory=list)
    level: int = 0  # 1: a detail of the line above it
    total: bool = False
    key: str = ""  # what the line is about, for charts (a month: "2025-03-01")

    @property
    def change(self):
        if self.current is None or self.previous is None or is_masked(self.current) or is_masked(self.previous):
            return None
        return self.current - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        change = self.change
        if change is None or not self.previous:
            return None
        return (Decimal(change) * 100 / Decimal(self.previous)).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Table:
    key: str  # a file and sheet name: ascii, short
    title: str
    label_heading: str
    rows: list[Row]
    current_label: str = ""
    previous_label: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)  # (heading, kind): a table without comparison
    note: str = ""

    @property
    def compares(self) -> bool:
        return not self.columns

    def header(self) -> list[str]:
        if self.columns:
            return [self.label_heading, *(heading for heading, _kind in self.columns)]
        return [self.label_heading, self.current_label, self.previous_label, pgettext("reports", "Difference"),
                pgettext("reports", "Difference (%)")]

    def kinds(self, row: Row) -> list[str]:
        if self.columns:
            return [kind for _heading, kind in self.columns]
        return [row.kind, row.kind, row.kind, PERCENT]

    @property
    def lines(self) -> list[tuple[Row, list[Cell]]]:
        """Every row with its cells (for templates)."""
        return [(row, self.cells(row)) for row in self.rows]

    def cells(self, row: Row) -> list[Cell]:
        if self.columns:
            return [Cell(value, kind) for value, (_heading, kind) in zip(row.values, self.columns, strict=True)]
        return [Cell(row.current, row.kind), Cell(row.previous, row.kind), Cell(row.change, row.kind, signed=True),
                Cell(row.change_percent, PERCENT, signed=True)]


# --- building -----------------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, now: Figures, before: Figures, *, municipality_id, mask: bool, names: dict[int, str]):
        self.now, self.before = now, before
        self.municipality_id = municipality_id
        self.mask = mask
        self.names = names
        self.current_label = now.period.label
        self.previous_label = before.period.label

    def table(self, key, title, label_heading, rows, note="") -> Table:
        return Table(key=key, title=title, label_heading=label_heading, rows=rows, current_label=self.current_label,
                     previous_label=self.previous_label, note=note)

    def persons(self, label, now: int, before: int, **kwargs) -> Row:
        return Row(label, PERSONS, persons_count(now, mask=self.mask), persons_count(before, mask=self.mask),
                   **kwargs)

    def persons_group(self, total_label, parts: list[tuple[str, int, int]], *, total=None, level=1) -> list[Row]:
        """A total and the parts that add up to it, each hidden where it must be (see `persons_counts`)."""
        rows = []
        if total is not None:
            rows.append(self.persons(total_label, *total, total=True))
        shown_now = persons_counts([now for _label, now, _before in parts], mask=self.mask)
        shown_before = persons_counts([before for _label, _now, before in parts], mask=self.mask)
        rows += [Row(label, PERSONS, now, before, level=level)
                 for (label, _n, _b), now, before in zip(parts, shown_now, shown_before, strict=True)]
        return rows

    # -- the tables --

    def summary(self) -> Table:
        now, before = self.now, self.before
        m = self.municipality_id
        workers_now, workers_before = now.workers_active.total(m), before.workers_active.total(m)
        clients_now, clients_before = now.clients.total(m, 0), before.clients.total(m, 0)
        rows = [
            Row(_("Hours worked"), HOURS, hours(now.minutes_by_month.total(m)),
                hours(before.minutes_by_month.total(m)), key="hours"),
            Row(_("of which for the municipality's own services") if m else
                _("of which for local governments in their own municipality"), HOURS,
                hours(now.minutes_by_category.total(m, 1)), hours(before.minutes_by_category.total(m, 1)), level=1),
            Row(pgettext("reports", "Prestaties"), COUNT, now.minutes_by_month.total(m, 1),
                before.minutes_by_month.total(m, 1)),
            self.persons(_("Active wijk-werkers"), workers_now, workers_before, key="workers"),
            self.persons(_("New wijk-werkers"), now.workers_new.total(m), before.workers_new.total(m)),
            self.persons(_("Trajectories ended"), now.trajectories_ended.total(m), before.trajectories_ended.total(m)),
            self.persons(_("Active clients"), clients_now, clients_before, key="clients"),
            self.persons(_("New clients"), now.clients.total(m, 1), before.clients.total(m, 1)),
            Row(_("Cheques sold"), COUNT, now.cheques.value(("sold",), m), before.cheques.value(("sold",), m),
                key="sold"),
            Row(_("Cheques sold (€)"), EURO, euros(now.cheques.value(("sold",), m, 1)),
                euros(before.cheques.value(("sold",), m, 1))),
            Row(_("Cheques used"), COUNT, now.cheques.value(("redeemed",), m),
                before.cheques.value(("redeemed",), m)),
            Row(_("Cheques expired"), COUNT, now.cheques.value(("expired",), m),
                before.cheques.value(("expired",), m)),
        ]
        return self.table("kerncijfers", _("Key figures"), pgettext("reports", "Figure"), rows)

    def hours_by_month(self) -> Table:
        now = self.now.minutes_by_month.by(self.municipality_id)
        before = self.before.minutes_by_month.by(self.municipality_id)
        months_now, months_before = self.now.period.months(), self.before.period.months()
        rows = []
        for index, month in enumerate(months_now):
            previous = months_before[index] if index < len(months_before) else None
            rows.append(Row(month_label(month), HOURS, hours(now.get((month,), [0])[0]),
                            hours(before.get((previous,), [0])[0]) if previous else None, key=month.isoformat()))
        rows.append(Row(pgettext("reports", "Total"), HOURS, hours(sum(v[0] for v in now.values())),
                        hours(sum(v[0] for v in before.values())), total=True))
        return self.table("uren-per-maand", _("Hours per month"), pgettext("reports", "Month"), rows,
                          note=_("The previous period's column shows the same month of the year before."))

    def hours_by_category(self) -> Table:
        now = self.now.minutes_by_category.by(self.municipality_id)
        before = self.before.minutes_by_category.by(self.municipality_id)
        rows = []
        for category in ClientCategory:
            current, previous = now.get((category.value,), [0, 0]), before.get((category.value,), [0, 0])
            rows.append(Row(str(category.label)[:1].upper() + str(category.label)[1:], HOURS, hours(current[0]),
                            hours(previous[0])))
            if category == ClientCategory.LOKAAL_BESTUUR:
                rows.append(Row(_("of which the municipality's own services") if self.municipality_id else
                                _("of which in their own municipality"), HOURS, hours(current[1]),
                                hours(previous[1]), level=1))
        rows.append(Row(pgettext("reports", "Total"), HOURS, hours(sum(v[0] for v in now.values())),
                        hours(sum(v[0] for v in before.values())), total=True))
        return self.table("uren-per-categorie", _("Hours per client category"), _("Client category"), rows)

    def hours_by_activity(self) -> Table:
        now = self.now.minutes_by_activity.by(self.municipality_id)
        before = self.before.minutes_by_activity.by(self.municipality_id)
        mains: dict[str, dict[str, list[int]]] = {}
        for source, position in ((now, 0), (before, 1)):
            for (main, activity), (minutes,) in source.items():
                mains.setdefault(main, {}).setdefault(activity, [0, 0])[position] += minutes
        rows = []
        ordered = sorted(mains.items(), key=lambda item: (-sum(v[0] for v in item[1].values()), item[0]))
        for main, activities in ordered:
            rows.append(Row(main, HOURS, hours(sum(v[0] for v in activities.values())),
                            hours(sum(v[1] for v in activities.values()))))
            for activity, (current, previous) in sorted(activities.items(), key=lambda item: (-item[1][0], item[0])):
                rows.append(Row(activity, HOURS, hours(current), hours(previous), level=1))
        rows.append(Row(pgettext("reports", "Total"), HOURS, hours(sum(v[0] for v in now.values())),
                        hours(sum(v[0] for v in before.values())), total=True))
        return self.table("uren-per-activiteit", _("Hours per activity"), _("Main activity and activity"), rows)

    def workers(self) -> Table:
        now = self.now.workers_active.by(self.municipality_id)
        before = self.before.workers_active.by(self.municipality_id)

        def count(source, *, ex_pwa=None, referral=None):
            return sum(v[0] for (pwa, ref), v in source.items()
                       if (ex_pwa is None or pwa == ex_pwa) and (referral is None or ref == referral))

        rows = self.persons_group(_("Active wijk-werkers"), [
            (_("referred by VDAB"), count(now, referral=Referral.VDAB), count(before, referral=Referral.VDAB)),
            (_("referred by the OCMW"), count(now, referral=Referral.OCMW), count(before, referral=Referral.OCMW)),
        ], total=(count(now), count(before)))
        rows.append(self.persons(_("of whom ex-PWA"), count(now, ex_pwa=True), count(before, ex_pwa=True), level=1))
        m = self.municipality_id
        rows.append(self.persons(_("New wijk-werkers (first trajectory)"), self.now.workers_new.total(m),
                                 self.before.workers_new.total(m)))
        rows.append(self.persons(_("Trajectories ended"), self.now.trajectories_ended.total(m),
                                 self.before.trajectories_ended.total(m)))
        return self.table("wijkwerkers", _("Wijk-werkers"), _("Wijk-werkers"), rows,
                          note=_("Active: in a trajectory on at least one day of the period. Counted in the "
                                 "municipality where they live."))

    def outflow(self) -> Table:
        now = self.now.trajectories_ended.by(self.municipality_id)
        before = self.before.trajectories_ended.by(self.municipality_id)
        parts = [(capitalised(reason.label), now.get((reason.value,), [0])[0], before.get((reason.value,), [0])[0])
                 for reason in OutflowReason]
        rows = self.persons_group(_("Trajectories ended"), parts,
                                  total=(sum(v[0] for v in now.values()), sum(v[0] for v in before.values())))
        return self.table("uitstroom", _("Outflow: why trajectories ended"), _("Outflow reason"), rows)

    def follow_ups(self) -> Table:
        now = self.now.follow_ups.by(self.municipality_id)
        before = self.before.follow_ups.by(self.municipality_id)
        rows = []
        for months in FOLLOW_UP_MONTHS:
            parts = [(capitalised(situation.label), now.get((months, situation.value), [0])[0],
                      before.get((months, situation.value), [0])[0]) for situation in OutflowReason]
            totals = (sum(v[0] for (m, _s), v in now.items() if m == months),
                      sum(v[0] for (m, _s), v in before.items() if m == months))
            rows += self.persons_group(_("%(months)s months after the end") % {"months": months}, parts,
                                       total=totals)
        return self.table("opvolging", _("Follow-up 3 and 6 months after the end"), _("Situation found"), rows,
                          note=_("Follow-ups done in the period, by what the wijk-werker was doing then."))

    def clients(self) -> Table:
        now = self.now.clients.by(self.municipality_id)
        before = self.before.clients.by(self.municipality_id)
        rows = []
        for index, label in ((0, _("Active clients")), (1, _("New clients"))):
            parts = [(capitalised(category.label), now.get((category.value,), [0, 0])[index],
                      before.get((category.value,), [0, 0])[index]) for category in ClientCategory]
            rows += self.persons_group(label, parts, total=(sum(v[index] for v in now.values()),
                                                            sum(v[index] for v in before.values())))
        return self.table("gebruikers", _("Clients by category"), _("Clients"), rows,
                          note=_("Active: registered and not stopped on at least one day of the period. New: "
                                 "active since a day in the period. Counted in the municipality where they live."))

    def cheques(self) -> Table:
        m = self.municipality_id
        now, before = self.now, self.before
        rows = []
        for kind, label, label_euro in (
            ("sold", _("Cheques sold"), _("Cheques sold (€)")),
            ("redeemed", _("Cheques used"), _("Value of the cheques used (€)")),
            ("expired", _("Cheques expired"), _("Value of the cheques expired (€)")),
        ):
            rows.append(Row(label, COUNT, now.cheques.value((kind,), m), before.cheques.value((kind,), m)))
            rows.append(Row(label_euro, EURO, euros(now.cheques.value((kind,), m, 1)),
                            euros(before.cheques.value((kind,), m, 1)), level=1))
        rows.append(self.persons(_("Clients whose credit was refunded"), now.refunds.total(m), before.refunds.total(m)))
        rows.append(Row(_("Refunded (€)"), EURO, euros(now.refunds.total(m, 1)), euros(before.refunds.total(m, 1)),
                        level=1))
        rows.append(self.persons(_("Registration fees paid"), now.fees.total(m), before.fees.total(m)))
        rows.append(Row(_("Registration fees (€)"), EURO, euros(now.fees.total(m, 1)), euros(before.fees.total(m, 1)),
                        level=1))
        return self.table("cheques", _("Cheques and registration fees"), _("Cheques"), rows,
                          note=_("Sold: issued to a client (paid). Used: paid for hours. Expired: the last day of "
                                 "validity fell in the period. By the municipality where the client lives."))

    def per_municipality(self) -> Table:
        now = self.now
        ids = sorted(now.municipality_ids() | set(self.names), key=lambda pk: self.names.get(pk, ""))
        columns = [
            (_("Hours worked"), HOURS), (pgettext("reports", "Prestaties"), COUNT),
            (_("Active wijk-werkers"), PERSONS), (_("New wijk-werkers"), PERSONS),
            (_("Trajectories ended"), PERSONS), (_("Active clients"), PERSONS), (_("New clients"), PERSONS),
            (_("Cheques sold"), COUNT), (_("Cheques sold (€)"), EURO), (_("Cheques used"), COUNT),
            (_("Cheques expired"), COUNT),
        ]

        def values(m):
            return [hours(now.minutes_by_month.total(m)), now.minutes_by_month.total(m, 1),
                    now.workers_active.total(m), now.workers_new.total(m), now.trajectories_ended.total(m),
                    now.clients.total(m, 0), now.clients.total(m, 1), now.cheques.value(("sold",), m),
                    euros(now.cheques.value(("sold",), m, 1)), now.cheques.value(("redeemed",), m),
                    now.cheques.value(("expired",), m)]

        rows = [Row(self.names.get(pk, _("Other municipality")), values=values(pk)) for pk in ids]
        rows.append(Row(pgettext("reports", "Total"), values=values(None), total=True))
        return Table(key="per-gemeente", title=_("Per municipality (%(period)s)") % {"period": self.current_label},
                     label_heading=_("Municipality"), rows=rows, current_label=self.current_label,
                     previous_label=self.previous_label, columns=columns,
                     note=_("Hours where the work was done; persons and cheques where the wijk-werker or client "
                            "lives."))


def capitalised(label) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


def month_label(month: datetime.date) -> str:
    return dateformat.format(month, "F Y")


def report_tables(now: Figures, before: Figures, *, municipality_id, mask: bool,
                  names: dict[int, str] | None = None) -> list[Table]:
    """The tables of a report of one municipality (`municipality_id`) or of the whole organiser (None, with a
    table per municipality), with the counts of persons hidden under five when `mask` is set."""
    builder = _Builder(now, before, municipality_id=municipality_id, mask=mask, names=names or {})
    tables = [builder.summary(), builder.hours_by_month(), builder.hours_by_category(), builder.hours_by_activity(),
              builder.workers(), builder.outflow(), builder.follow_ups(), builder.clients(), builder.cheques()]
    if municipality_id is None:
        tables.append(builder.per_municipality())
    return tables


# --- stored as JSON -----------------------------------------------------------------------------------------------

def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _number(value, kind):
    if value is None or is_masked(value):
        return value
    return Decimal(value) if kind in (HOURS, EURO, PERCENT) else int(value)


def tables_to_json(tables: list[Table]) -> list[dict]:
    data = []
    for table in tables:
        item = asdict(table)
        for row in item["rows"]:
            row["current"], row["previous"] = _plain(row["current"]), _plain(row["previous"])
            row["values"] = [_plain(v) for v in row["values"]]
        item["columns"] = [list(column) for column in table.columns]
        data.append(item)
    return data


def tables_from_json(data: list[dict]) -> list[Table]:
    tables = []
    for item in data or []:
        columns = [tuple(column) for column in item.get("columns", [])]
        rows = []
        for row in item["rows"]:
            kind = row["kind"]
            rows.append(Row(label=row["label"], kind=kind, current=_number(row["current"], kind),
                            previous=_number(row["previous"], kind),
                            values=[_number(v, k) for v, (_h, k) in zip(row["values"], columns, strict=False)],
                            level=row["level"], total=row["total"], key=row.get("key", "")))
        tables.append(Table(key=item["key"], title=item["title"], label_heading=item["label_heading"], rows=rows,
                            current_label=item["current_label"], previous_label=item["previous_label"],
                            columns=columns, note=item.get("note", "")))
    return tables

