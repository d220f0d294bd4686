"""Reads on the competence framework and the measurements, and the star chart of a worker's measurements."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from wijkwerken.core.charts import PALETTE, Chart, Series, radar_chart

from ..models import Competence, CompetenceFramework, Measurement, Rater, Score


def current_framework(organiser_id) -> CompetenceFramework | None:
    """The framework in use: the latest published version."""
    return (
        CompetenceFramework.objects.filter(organiser_id=organiser_id, published_on__isnull=False)
        .order_by("-version")
        .first()
    )


def frameworks_of(user) -> QuerySet:
    return CompetenceFramework.objects.filter(organiser_id=user.organiser_id).prefetch_related("competences")


def measurements_of(worker) -> QuerySet:
    return (
        Measurement.objects.filter(worker=worker)
        .select_related("framework", "created_by", "coach_scored_by", "trajectory")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("competence")),
            Prefetch("framework__competences", queryset=Competence.objects.order_by("position", "id")),
        )
        .order_by("taken_on", "id")
    )


def scores_by_key(measurement: Measurement, rater: str) -> dict[str, int]:
    return {s.competence.key: s.level for s in measurement.scores.all() if s.rater == rater}


def score_rows(measurement: Measurement) -> list[dict]:
    """Per competence of the measurement's framework: the coach's and the worker's own level side by side."""
    coach, own = scores_by_key(measurement, Rater.COACH), scores_by_key(measurement, Rater.SELF)
    return [
        {"competence": c, "coach": coach.get(c.key), "self": own.get(c.key),
         "coach_text": c.levels[coach[c.key] - 1] if c.key in coach else "",
         "self_text": c.levels[own[c.key] - 1] if c.key in own else ""}
        for c in measurement.framework.competences.all()
    ]


def competence_chart(measurements, *, own_words: bool = False) -> Chart | None:
    """The star chart over time: one polygon per scored measurement and rater (the coach's solid, the worker's
    own dashed). The axes are the competences of the latest measurement's framework, matched by key."""
    scored = [m for m in measurements if m.is_coach_scored or m.is_self_scored]
    if not scored:
        return None
    competences = list(scored[-1].framework.competences.all())
    axes = [c.name for c in competences]
    series = []
    for index, measurement in enumerate(scored):
        date = measurement.taken_on.strftime("%d/%m/%Y")
        for rater, dashed, label in (
            (Rater.COACH, False, _("Coach %(date)s")),
            (Rater.SELF, True, _("You %(date)s") if own_words else _("Self-assessment %(date)s")),
        ):
            levels = scores_by_key(measurement, rater)
            if levels:
                series.append(Series(
                    label=label % {"date": date},
                    values=[levels.get(c.key) for c in competences],
                    colour=_measurement_colour(index, len(scored)),
                    dashed=dashed,
                ))
    first, last = scored[0].taken_on.strftime("%d/%m/%Y"), scored[-1].taken_on.strftime("%d/%m/%Y")
    return radar_chart(
        title=_("Competences over time"),
        description=_(
            "Star chart of %(count)s measurements from %(first)s to %(last)s on a scale of 1 to 5; the further from "
            "the centre, the stronger. The table below gives the same scores."
        ) % {"count": len(scored), "first": first, "last": last},
        axes=axes,
        series=series,
        axis_heading=_("Competence"),
    )


def _measurement_colour(index: int, count: int) -> str:
    """Earlier measurements in a muted colour, the latest in the brand colour, so progress reads outwards."""
    ordered = (PALETTE[4], PALETTE[2], PALETTE[1], PALETTE[0])
    return ordered[max(0, len(ordered) - count + index)] if count <= len(ordered) else PALETTE[index % len(PALETTE)]
