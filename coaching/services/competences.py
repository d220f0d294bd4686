"""The competence framework (maintained by the beheerder, versioned) and the measurements (scored by the coach and
by the worker themselves)."""

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijkwerken.accounts.models import Role
from wijkwerken.core.audit import audit_log
from wijkwerken.core.dates import today as get_today
from wijkwerken.core.models import Organiser
from workers.models import TrajectoryStatus, Worker

from ..framework_default import DEFAULT_COMPETENCES
from ..models import SCALE, Competence, CompetenceFramework, Measurement, MeasurementMoment, Rater, Score
from ..selectors.competences import current_framework
from .common import error, fmt, notify, require_current_coach


def _require_beheerder(actor, organiser_id) -> None:
    if actor.role != Role.BEHEERDER or actor.organiser_id != organiser_id:
        raise error(_("Only an administrator of the organisation maintains the framework."), "not_beheerder")


def _require_draft(framework: CompetenceFramework) -> None:
    if not framework.is_draft:
        raise error(
            _("A framework in use does not change; make a new version to change it."), "framework_published"
        )


def competence_framework_ensure(*, organiser: Organiser, actor=None) -> CompetenceFramework:
    """The organiser's framework in use; the first time, the default framework (version 1) is put in use."""
    framework = current_framework(organiser.pk)
    if framework is not None:
        return framework
    with transaction.atomic():
        Organiser.objects.select_for_update().get(pk=organiser.pk)
        framework = current_framework(organiser.pk)
        if framework is not None:
            return framework
        version = (CompetenceFramework.objects.filter(organiser=organiser).aggregate(v=Max("version"))["v"] or 0) + 1
        framework = CompetenceFramework.objects.create(
            organiser=organiser, version=version, published_on=get_today(), created_by=actor
        )
        Competence.objects.bulk_create(
            Competence(framework=framework, position=index, **competence)
            for index, competence in enumerate(DEFAULT_COMPETENCES)
        )
        audit_log(
            actor=actor, action="coaching.framework_default", obj=framework, organiser=organiser,
            summary=_("Default competence framework put in use"),
        )
    return framework


def competence_framework_draft(*, organiser: Organiser, actor) -> CompetenceFramework:
    """A new version to edit, copied from the framework in use."""
    _require_beheerder(actor, organiser.pk)
    current = competence_framework_ensure(organiser=organiser, actor=actor)
    with transaction.atomic():
        Organiser.objects.select_for_update().get(pk=organiser.pk)
        if CompetenceFramework.objects.filter(organiser=organiser, published_on__isnull=True).exists():
            raise error(_("There is already a draft version; finish that one first."), "draft_exists")
        version = CompetenceFramework.objects.filter(organiser=organiser).aggregate(v=Max("version"))["v"] + 1
        draft = CompetenceFramework.objects.create(organiser=organiser, version=version, created_by=actor)
        Competence.objects.bulk_create(
            Competence(framework=draft, key=c.key, name=c.name, description=c.description, levels=list(c.levels),
                       position=c.position)
            for c in current.competences.all()
        )
        audit_log(
            actor=actor, action="coaching.framework_draft", obj=draft, organiser=organiser,
            summary=_("Draft of competence framework version %(version)s") % {"version": version},
        )
    return draft


def competence_save(
    *, framework: CompetenceFramework, name: str, description: str, levels, competence: Competence | None = None,
    actor,
) -> Competence:
    """Add a competence to a draft, or change one of the draft's competences."""
    _require_beheerder(actor, framework.organiser_id)
    with transaction.atomic():
        framework = CompetenceFramework.objects.select_for_update().get(pk=framework.pk)
        _require_draft(framework)
        if competence is None:
            key = slugify(name)[:60] or "competentie"
            base, suffix = key, 2
            while framework.competences.filter(key=key).exists():
                key, suffix = f"{base[:56]}-{suffix}", suffix + 1
            position = (framework.competences.aggregate(p=Max("position"))["p"] or 0) + 1
            competence = Competence(framework=framework, key=key, position=position)
        elif competence.framework_id != framework.pk:
            raise error(_("This competence belongs to another version."), "foreign_competence")
        competence.name = (name or "").strip()
        competence.description = (description or "").strip()
        competence.levels = [(text or "").strip() for text in levels]
        competence.full_clean()
        created = competence.pk is None
        competence.save()
        audit_log(
            actor=actor, action="coaching.competence_save", obj=framework, organiser=framework.organiser,
            summary=(_("Competence added: %(name)s") if created else _("Competence changed: %(name)s"))
            % {"name": competence.name},
        )
    return competence


def competence_remove(*, competence: Competence, actor) -> None:
    framework = competence.framework
    _require_beheerder(actor, framework.organiser_id)
    with transaction.atomic():
        framework = CompetenceFramework.objects.select_for_update().get(pk=framework.pk)
        _require_draft(framework)
        if framework.competences.count() <= 1:
            raise error(_("A framework keeps at least one competence."), "last_competence")
        name = competence.name
        Competence.objects.filter(pk=competence.pk, framework=framework).delete()
        audit_log(
            actor=actor, action="coaching.competence_remove", obj=framework, organiser=framework.organiser,
            summary=_("Competence removed: %(name)s") % {"name": name},
        )


def competence_framework_publish(*, framework: CompetenceFramework, actor) -> CompetenceFramework:
    """Put a draft in use from today; new measurements use it, earlier ones keep their version."""
    _require_beheerder(actor, framework.organiser_id)
    with transaction.atomic():
        framework = CompetenceFramework.objects.select_for_update().get(pk=framework.pk)
        _require_draft(framework)
        if not framework.competences.exists():
            raise error(_("A framework needs at least one competence."), "no_competences")
        framework.published_on = get_today()
        framework.save(update_fields=["published_on"])
        audit_log(
            actor=actor, action="coaching.framework_publish", obj=framework, organiser=framework.organiser,
            summary=_("Competence framework version %(version)s in use") % {"version": framework.version},
        )
    return framework


def measurement_start(*, worker: Worker, moment: str, taken_on, actor) -> Measurement:
    """The coach opens a measurement on the framework in use; the worker is asked for their self-assessment."""
    if moment not in MeasurementMoment.values:
        raise error(_("Choose the moment of the measurement."), "invalid_moment", "moment")
    if taken_on > get_today():
        raise error(_("A measurement cannot be in the future."), "future", "taken_on")
    with transaction.atomic():
        worker = Worker.objects.select_for_update(of=("self",)).select_related("organiser", "user").get(pk=worker.pk)
        require_current_coach(actor, worker)
        trajectory = (
            worker.trajectories.filter(status=TrajectoryStatus.ACTIVE).first()
            or worker.trajectories.order_by("-start_date").first()
        )
        if trajectory is None:
            raise error(_("This worker has no trajectory yet."), "no_trajectory", "moment")
        if moment in (MeasurementMoment.INTAKE, MeasurementMoment.END) and Measurement.objects.filter(
            trajectory=trajectory, moment=moment
        ).exists():
            raise error(
                _("This trajectory already has a measurement at %(moment)s.")
                % {"moment": MeasurementMoment(moment).label},
                "already_measured",
                "moment",
            )
        framework = competence_framework_ensure(organiser=worker.organiser, actor=actor)
        measurement = Measurement(
            organiser_id=worker.organiser_id, worker=worker, trajectory=trajectory, framework=framework,
            moment=moment, taken_on=taken_on, created_by=actor,
        )
        measurement.full_clean()
        measurement.save()
        audit_log(
            actor=actor, action="coaching.measurement_start", obj=measurement, organiser=worker.organiser,
            summary=_("Competence measurement (%(moment)s) of %(date)s")
            % {"moment": measurement.get_moment_display(), "date": fmt(taken_on)},
            changes={"worker": worker.pk},
        )
        if worker.user is not None:
            notify([(
                worker.user,
                f"coaching-self-assessment:{measurement.pk}",
                _("Your work coach asks you to score yourself: how are you doing?"),
                reverse("coaching:my_self_assessment", args=[measurement.pk]),
                ("coaching.self_assessment", measurement.pk),
            )])
    return measurement


def measurement_score(*, measurement: Measurement, rater: str, levels: dict, actor) -> Measurement:
    """Score every competence once: the coach (rater "coach") or the worker themselves (rater "zelf").

    `levels` maps a competence id to a level on the 5-level scale.
    """
    with transaction.atomic():
        measurement = (
            Measurement.objects.select_for_update(of=("self",)).select_related("worker__organiser").get(pk=measurement.pk)
        )
        worker = measurement.worker
        if rater == Rater.SELF:
            if worker.user_id is None or worker.user_id != actor.pk:
                raise error(_("You can only score yourself."), "not_yourself")
            if measurement.is_self_scored:
                raise error(_("You already scored yourself for this measurement."), "already_scored")
        elif rater == Rater.COACH:
            require_current_coach(actor, worker)
            if measurement.is_coach_scored:
                raise error(_("This measurement was already scored."), "already_scored")
        else:
            raise error(_("Unknown rater."), "invalid_rater")
        competences = list(measurement.framework.competences.all())
        wanted = {c.pk for c in competences}
        given = {}
        for key, value in (levels or {}).items():
            try:
                given[int(key)] = int(value)
            except (TypeError, ValueError):
                raise error(_("Choose a level from 1 to 5 for every competence."), "score_out_of_range") from None
        if set(given) != wanted:
            raise error(_("Choose a level from 1 to 5 for every competence."), "incomplete")
        if any(level not in SCALE for level in given.values()):
            raise error(_("Choose a level from 1 to 5 for every competence."), "score_out_of_range")
        Score.objects.bulk_create(
            Score(measurement=measurement, competence_id=pk, rater=rater, level=level) for pk, level in given.items()
        )
        now = timezone.now()
        if rater == Rater.COACH:
            measurement.coach_scored_at, measurement.coach_scored_by = now, actor
            measurement.save(update_fields=["coach_scored_at", "coach_scored_by"])
            summary = _("Competences scored by the coach")
        else:
            measurement.self_scored_at = now
            measurement.save(update_fields=["self_scored_at"])
            summary = _("Competences scored by the worker themselves")
        audit_log(
            actor=actor, action="coaching.measurement_score", obj=measurement, organiser=worker.organiser,
            summary=summary, changes={"worker": worker.pk, "rater": rater},
        )
    return measurement
