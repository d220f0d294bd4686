"""The competence framework (versioned, the organiser's own) and the measurements, scored by the coach and by the
worker themselves, drawn as a star chart with one polygon per measurement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import etree

from coaching import services
from coaching.models import Competence, CompetenceFramework, Measurement, Rater, Score
from coaching.selectors.competences import competence_chart, current_framework, measurements_of
from tests.coaching.factories import scored_measurement
from wijkwerken.core.dates import today
from wijkwerken.core.models import Notification
from wijkwerken.core.notifications import archived_notifications, new_notifications

pytestmark = pytest.mark.django_db


def _code(error):
    return error.error_list[0].code if not hasattr(error, "error_dict") else next(
        iter(error.error_dict.values()))[0].code


def test_the_default_framework_has_five_described_levels_per_competence(organiser):
    framework = services.competence_framework_ensure(organiser=organiser)
    assert framework.version == 1 and not framework.is_draft
    competences = list(framework.competences.all())
    assert {c.key for c in competences} >= {"afspraken-nakomen", "stiptheid", "samenwerken", "veilig-werken",
                                            "communiceren-nederlands", "zelfstandig-werken", "initiatief-nemen",
                                            "omgaan-met-feedback"}
    assert all(len(c.levels) == 5 and all(c.levels) for c in competences)
    assert services.competence_framework_ensure(organiser=organiser) == framework


def test_a_new_version_is_drafted_changed_and_put_in_use(organiser, beheerder):
    first = services.competence_framework_ensure(organiser=organiser)
    draft = services.competence_framework_draft(organiser=organiser, actor=beheerder)
    assert draft.version == 2 and draft.is_draft and draft.competences.count() == first.competences.count()
    with pytest.raises(ValidationError) as error:
        services.competence_framework_draft(organiser=organiser, actor=beheerder)
    assert _code(error.value) == "draft_exists"
    punctuality = draft.competences.get(key="stiptheid")
    services.competence_save(framework=draft, competence=punctuality, name="Op tijd komen", description="Stipt",
                             levels=["a", "b", "c", "d", "e"], actor=beheerder)
    added = services.competence_save(framework=draft, name="Klantvriendelijk", description="Vriendelijk",
                                     levels=["1", "2", "3", "4", "5"], actor=beheerder)
    assert added.key == "klantvriendelijk"
    with pytest.raises(ValidationError) as error:
        services.competence_save(framework=draft, name="Half", description="x", levels=["a", "", "c", "d", "e"],
                                 actor=beheerder)
    assert _code(error.value) == "levels_incomplete"
    # The version in use does not change.
    with pytest.raises(ValidationError) as error:
        services.competence_save(framework=first, competence=first.competences.first(), name="X", description="x",
                                 levels=list("abcde"), actor=beheerder)
    assert _code(error.value) == "framework_published"
    assert current_framework(organiser.pk) == first
    services.competence_framework_publish(framework=draft, actor=beheerder)
    assert current_framework(organiser.pk) == draft
    assert first.competences.get(key="stiptheid").name == "Stiptheid"


def test_only_the_beheerder_maintains_the_framework(organiser, coach):
    services.competence_framework_ensure(organiser=organiser)
    with pytest.raises(ValidationError) as error:
        services.competence_framework_draft(organiser=organiser, actor=coach)
    assert _code(error.value) == "not_beheerder"


def test_a_measurement_is_scored_by_the_coach_and_by_the_worker_side_by_side(worker, coach):
    measurement = services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    assert Notification.objects.filter(recipient=worker.user,
                                       key=f"coaching-self-assessment:{measurement.pk}").exists()
    competences = list(measurement.framework.competences.all())
    services.measurement_score(measurement=measurement, rater=Rater.COACH,
                               levels={c.pk: 2 for c in competences}, actor=coach)
    services.measurement_score(measurement=measurement, rater=Rater.SELF,
                               levels={str(c.pk): "4" for c in competences}, actor=worker.user)
    measurement.refresh_from_db()
    assert measurement.is_coach_scored and measurement.is_self_scored
    assert Score.objects.filter(measurement=measurement, rater="coach", level=2).count() == len(competences)
    assert Score.objects.filter(measurement=measurement, rater="zelf", level=4).count() == len(competences)
    with pytest.raises(ValidationError) as error:
        services.measurement_score(measurement=measurement, rater=Rater.COACH,
                                   levels={c.pk: 3 for c in competences}, actor=coach)
    assert _code(error.value) == "already_scored"


@pytest.mark.parametrize("levels", [{"all": 6}, {"all": 0}, {"all": "drie"}, {"missing": 3}])
def test_a_score_outside_the_scale_changes_nothing(worker, coach, levels):
    measurement = services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    competences = list(measurement.framework.competences.all())
    given = {c.pk: levels.get("all", 3) for c in competences}
    if "missing" in levels:
        given.pop(competences[0].pk)
    with pytest.raises(ValidationError) as error:
        services.measurement_score(measurement=measurement, rater=Rater.COACH, levels=given, actor=coach)
    assert _code(error.value) in ("score_out_of_range", "incomplete")
    assert not Score.objects.exists()
    measurement.refresh_from_db()
    assert not measurement.is_coach_scored


def test_nobody_else_scores(worker, coach, other_coach, bemiddelaar):
    measurement = services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    levels = {c.pk: 3 for c in measurement.framework.competences.all()}
    with pytest.raises(ValidationError):
        services.measurement_score(measurement=measurement, rater=Rater.COACH, levels=levels, actor=other_coach)
    with pytest.raises(ValidationError):
        services.measurement_score(measurement=measurement, rater=Rater.SELF, levels=levels, actor=bemiddelaar)
    with pytest.raises(ValidationError):
        services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=other_coach)
    assert not Score.objects.exists()


def test_one_intake_per_trajectory_and_none_in_the_future(worker, coach):
    services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    with pytest.raises(ValidationError) as error:
        services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    assert _code(error.value) == "already_measured"
    with pytest.raises(ValidationError) as error:
        services.measurement_start(worker=worker, moment="op_vraag", taken_on=today() + datetime.timedelta(1),
                                   actor=coach)
    assert _code(error.value) == "future"
    assert Measurement.objects.count() == 1


def test_the_star_chart_has_one_polygon_per_measurement_and_rater(worker, coach):
    first = scored_measurement(worker, coach, day=today() - datetime.timedelta(days=60), level=2, self_level=3)
    scored_measurement(worker, coach, moment="op_vraag", level=4)
    chart = competence_chart(measurements_of(worker))
    svg = etree.fromstring(str(chart.svg).encode())
    polygons = svg.findall("{http://www.w3.org/2000/svg}polygon")
    assert [p.findtext("{http://www.w3.org/2000/svg}title") for p in polygons] == [
        f"Werkcoach {first.taken_on:%d/%m/%Y}", f"Zelfevaluatie {first.taken_on:%d/%m/%Y}",
        f"Werkcoach {today():%d/%m/%Y}"]
    # Level 2 of 5 on the first axis (straight up from the centre at 240, 170 with radius 120): y = 170 - 48.
    first_point = polygons[0].get("points").split()[0]
    assert first_point == "240.0,122.0"
    assert polygons[2].get("points").split()[0] == "240.0,74.0"
    assert polygons[1].get("stroke-dasharray") == "6 4"


def test_the_score_form_rejects_a_level_that_is_not_offered(client, worker, coach):
    measurement = services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    competences = list(measurement.framework.competences.all())
    client.force_login(coach)
    url = reverse("coaching:measurement_score", args=[measurement.pk])
    data = {f"competence_{c.pk}": "3" for c in competences}
    data[f"competence_{competences[0].pk}"] = "7"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "geldige keuze" in response.content.decode()
    assert not Score.objects.exists()
    data[f"competence_{competences[0].pk}"] = "5"
    assert client.post(url, data).status_code == 302
    assert Score.objects.filter(measurement=measurement, rater="coach").count() == len(competences)


def test_the_worker_scores_themselves_through_their_page(client, worker, coach):
    measurement = services.measurement_start(worker=worker, moment="intake", taken_on=today(), actor=coach)
    client.force_login(worker.user)
    url = reverse("coaching:my_self_assessment", args=[measurement.pk])
    page = client.get(url).content.decode()
    assert "Stiptheid" in page
    data = {f"competence_{c.pk}": "4" for c in measurement.framework.competences.all()}
    asked = Notification.objects.get(recipient=worker.user, key=f"coaching-self-assessment:{measurement.pk}")
    assert asked in new_notifications(worker.user)
    assert client.post(url, data).status_code == 302
    assert Score.objects.filter(measurement=measurement, rater="zelf").count() == len(data)
    # Scored: the request is no longer new, unread or not; it is in the archive.
    assert asked not in new_notifications(worker.user) and asked in archived_notifications(worker.user)
    assert asked.text not in client.get(reverse("core:notification_list")).content.decode()


def test_a_framework_is_edited_through_its_pages(client, organiser, beheerder):
    services.competence_framework_ensure(organiser=organiser)
    client.force_login(beheerder)
    response = client.post(reverse("coaching:framework_draft"))
    draft = CompetenceFramework.objects.get(published_on__isnull=True)
    assert response.url == reverse("coaching:framework_detail", args=[draft.pk])
    url = reverse("coaching:competence_add", args=[draft.pk])
    bad = {"name": "Netheid", "description": "Werkt netjes", **{f"level_{n}": f"niveau {n}" for n in range(1, 5)}}
    assert client.post(url, bad).status_code == 400
    assert not Competence.objects.filter(name="Netheid").exists()
    assert client.post(url, {**bad, "level_5": "voorbeeld"}).status_code == 302
    assert client.post(reverse("coaching:framework_publish", args=[draft.pk])).status_code == 302
    assert current_framework(organiser.pk).competences.filter(name="Netheid").exists()
