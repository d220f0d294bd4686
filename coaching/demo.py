"""Demo coaching: the demo werkcoach gets a caseload of twelve of the workers demo's workers, with notes, two or
three competence measurements each (the chart shows progress), check-ins, goals and actions, a peer group with a
held and an upcoming session, one workplace visit, shared summaries and two portfolios. A second coach takes
over the other coached workers, so the history and the former-coach access show too.

Dates are relative to today. Everything goes through the services, so the audit log and the rules are real; only
the moment a note was written is set back to its contact date (a demo note of last month is no longer
correctable). Safe to run again: nothing is done when the demo peer group exists.
"""

import datetime

from django.utils import timezone

from assignments.models import Assignment
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.management.commands.seed_demo import DEMO_PASSWORD
from workers.models import TrajectoryStatus, Worker

from . import services
from .models import ActionStatus, CoachingNote, Measurement, MeasurementMoment, PeerGroup, Rater

DEMO_GROUP = "Samen sterk"
SECOND_COACH = ("kobe.coach@demo.wijkwerken.be", "Kobe", "Coach")
DAY = datetime.timedelta(days=1)

# The demo werkcoach's caseload, by the workers demo's names: (first name, last name, story).
CASELOAD = [
    ("Wout", "Werker", "groei"),
    ("Sofie", "Janssens", "start"),
    ("Karim", "Benali", "groei"),
    ("Linda", "Vermeulen", "stil"),
    ("Fatma", "Yilmaz", "groei"),
    ("Marie", "Dubois", "groei"),
    ("Ilse", "Maes", "einde"),
    ("Nadia", "Mertens", "zorg"),
    ("Samir", "Aziz", "lang"),
    ("Frans", "Verbruggen", "groei"),
    ("Koen", "Van Damme", "afgesloten"),
    ("Aïcha", "El Amrani", "nieuw"),
]

NOTES = [
    ("gesprek", "Kennismakingsgesprek. {name} wil graag buiten werken en vindt structuur in de week belangrijk. "
                "Afgesproken om elke maand samen te zitten."),
    ("telefonisch", "Telefonisch contact: {name} was twee keer te laat door de bus. We zoeken samen een vroegere "
                    "verbinding; {name} zet een wekker op de gsm."),
    ("gesprek", "Opvolggesprek. De gebruiker is tevreden over het werk. {name} durft nu zelf vragen te stellen "
                "als iets niet duidelijk is. Volgende stap: zelfstandig de dag plannen."),
]
GOALS = [
    ("Elke dag op tijd op het werk", "stiptheid", "Een busabonnement aanvragen bij De Lijn"),
    ("Zelf de werkdag plannen", "zelfstandig-werken", "Een weekplanning maken en meebrengen"),
    ("Vlotter Nederlands spreken aan de telefoon", "communiceren-nederlands", "Inschrijven voor een taalcafé"),
]


def _coach_accounts(organiser):
    coach = User.objects.filter(organiser=organiser, role=Role.WERKCOACH, email="werkcoach@demo.wijkwerken.be").first()
    second = User.objects.filter(email=SECOND_COACH[0]).first()
    if second is None:
        second = User.objects.create_user(
            email=SECOND_COACH[0], password=DEMO_PASSWORD, first_name=SECOND_COACH[1], last_name=SECOND_COACH[2],
            role=Role.WERKCOACH, organiser=organiser,
        )
    return coach, second


def _written_on(note, day):
    """A demo note was written on its contact day, not today."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
    CoachingNote.objects.filter(pk=note.pk).update(created_at=moment)


def _measure(worker, coach, *, moment, day, base, step, self_score=True):
    measurement = services.measurement_start(worker=worker, moment=moment, taken_on=day, actor=coach)
    competences = list(measurement.framework.competences.order_by("position"))
    coach_levels = {c.pk: min(5, max(1, base + step + (i % 3 == 0) - (i % 4 == 1))) for i, c in enumerate(competences)}
    services.measurement_score(measurement=measurement, rater=Rater.COACH, levels=coach_levels, actor=coach)
    if worker.user_id and self_score:
        own = {pk: min(5, level + (1 if i % 2 else 0)) for i, (pk, level) in enumerate(coach_levels.items())}
        services.measurement_score(measurement=measurement, rater=Rater.SELF, levels=own, actor=worker.user)
    return measurement


def _measurements(worker, coach, trajectory, index):
    """Intake a few days after the start, the six-monthly one when it passed, and one on request last week, which
    still waits for the worker's own scores (their phone asks for them)."""
    now = today()
    start = trajectory.start_date
    base = 1 + index % 2
    _measure(worker, coach, moment=MeasurementMoment.INTAKE, day=min(start + 5 * DAY, now), base=base, step=0)
    six_months = add_months(start, 6) - DAY
    if six_months <= now - 14 * DAY:
        _measure(worker, coach, moment=MeasurementMoment.PERIODIC, day=six_months, base=base, step=1)
    if (now - start).days >= 21:
        _measure(worker, coach, moment=MeasurementMoment.REQUEST, day=now - 4 * DAY, base=base, step=2,
                 self_score=False)


def _notes(worker, coach, index, *, last_contact_days):
    days = [last_contact_days + 40, last_contact_days + 18, last_contact_days]
    trajectory = worker.trajectories.order_by("-start_date").first()
    for (kind, text), ago in zip(NOTES, days, strict=True):
        day = min(max(today() - ago * DAY, trajectory.start_date), trajectory.ended_on or today())
        action = []
        if kind == "telefonisch":
            action = [{"description": "Vroegere bus opzoeken", "owner": "wijkwerker", "due_on": day + 7 * DAY}]
        note = services.note_create(worker=worker, kind=kind, date=day, duration_minutes=[45, 15, 30][index % 3],
                                    text=text.format(name=worker.first_name), actions=action, actor=coach)
        _written_on(note, day)
        for agreed in note.actions.all():  # done by now
            services.goal_action_set_status(action=agreed, status=ActionStatus.DONE, actor=coach)


def _check_ins(worker, coach, story):
    actor = worker.user or coach
    values = [(4, 3, 3, 3), (4, 4, 3, 4), (5, 4, 4, 4)]
    if story == "zorg":
        values = [(4, 4, 3, 4), (4, 3, 3, 3), (2, 2, 2, 3)]  # dropped: flags the worker on the caseload
    for weeks_ago, (mood, energy, stress, connected) in zip((6, 3, 0), values, strict=True):
        services.check_in_record(
            worker=worker, mood=mood, energy=energy, stress=stress, connected=connected,
            sentence="Het gaat beter sinds ik vaste uren heb." if weeks_ago == 0 and story == "groei" else "",
            taken_on=today() - (weeks_ago * 7 + 1) * DAY, actor=actor,
        )


def _goals(worker, coach, index):
    framework = Measurement.objects.filter(worker=worker).first().framework
    title, key, action = GOALS[index % len(GOALS)]
    goal = services.goal_create(worker=worker, title=title, competence=framework.competences.get(key=key),
                                actor=coach)
    due = today() + (10 if index % 3 else -5) * DAY  # every third worker has an action past its date
    services.goal_action_add(worker=worker, goal=goal, description=action, owner="wijkwerker", due_on=due,
                             actor=coach)
    services.goal_action_add(worker=worker, goal=goal, description="Samen evalueren hoe het loopt",
                             owner="werkcoach", due_on=today() + 21 * DAY, actor=coach)


def _visit(worker, coach):
    assignment = Assignment.objects.filter(worker=worker).order_by("start_date").first()
    if assignment is None:
        return
    day = max(assignment.start_date, today() - 9 * DAY)
    note = services.visit_record(
        worker=worker, assignment=assignment, date=day, duration_minutes=40,
        text="Werkplek bekeken: veilig materiaal, duidelijke afspraken over de pauzes.",
        contact_person_said="Werkt nauwkeurig en is vriendelijk; mag wat meer zelf vragen wanneer iets op is.",
        worker_said="Ik voel me welkom. Ik wil graag ook eens met de haagschaar leren werken.",
        actor=coach,
    )
    _written_on(note, day)


def _peer_group(organiser, coach, workers):
    group = services.peer_group_create(organiser=organiser, name=DEMO_GROUP, facilitator=coach, actor=coach,
                                       description="Wijk-werkers leren van elkaar: solliciteren, werk en gezin")
    now = timezone.localtime()
    tuesday = now + ((1 - now.weekday()) % 7 or 7) * DAY  # sessions are on Tuesdays
    upcoming = services.group_session_plan(
        group=group, topic="Je sterktes vertellen in een sollicitatiegesprek", place="Diestsevest 32, Leuven",
        starts_at=tuesday.replace(hour=9, minute=30, second=0, microsecond=0), facilitator=coach, actor=coach)
    services.group_session_invite(session=upcoming, workers=workers[:6], actor=coach)
    past = services.group_session_plan(
        group=group, topic="Werk en gezin combineren", place="Diestsevest 32, Leuven",
        starts_at=now + DAY, facilitator=coach, actor=coach)
    services.group_session_invite(session=past, workers=workers[1:7], actor=coach)
    # The first session took place three weeks before the next one (a new session is planned in the future,
    # so it is moved back).
    type(past).objects.filter(pk=past.pk).update(
        starts_at=(tuesday - 21 * DAY).replace(hour=13, minute=30, second=0, microsecond=0))
    past.refresh_from_db()
    services.session_attendance_record(session=past, present_worker_ids=[w.pk for w in workers[1:6]], actor=coach)
    services.session_note_write(
        session=past, actor=coach,
        text="Zes uitnodigingen, vijf aanwezig. Tips uitgewisseld over kinderopvang en vaste werkuren; "
             "afgesproken om een lijst met opvangmogelijkheden te delen.",
    )


def seed(organiser, stdout) -> None:
    if PeerGroup.objects.filter(organiser=organiser, name=DEMO_GROUP).exists():
        stdout.write("  coaching: already there")
        return
    coach, second = _coach_accounts(organiser)
    bemiddelaar = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).order_by("pk").first()
    if coach is None or bemiddelaar is None:
        return
    services.competence_framework_ensure(organiser=organiser, actor=None)
    caseload = []
    for first_name, last_name, story in CASELOAD:
        worker = Worker.objects.filter(organiser=organiser, first_name=first_name, last_name=last_name).first()
        if worker is None:
            continue
        if worker.coach_id != coach.pk:
            services.coach_assign(worker=worker, coach=coach, reason="Demo: caseload", actor=bemiddelaar)
        worker.refresh_from_db()
        caseload.append((worker, story))
    # The other coached workers go to the second coach; Wendy keeps read-only access to what she wrote.
    others = Worker.objects.filter(organiser=organiser, coach=coach).exclude(pk__in=[w.pk for w, _ in caseload])
    for index, worker in enumerate(others.order_by("pk")):
        if index == 0:
            day = today() - 30 * DAY
            handover = services.note_create(
                worker=worker, kind="gesprek", date=day, duration_minutes=30, actor=coach,
                text=f"Eerste gesprek met {worker.first_name}. Wordt overgedragen aan Kobe, die in dezelfde "
                     "gemeente werkt.",
            )
            _written_on(handover, day)
        services.coach_assign(worker=worker, coach=second, reason="Demo: verdeling van de caseload",
                              actor=bemiddelaar)

    active, quiet = [], [w for w, story in caseload if story == "stil"]
    for index, (worker, story) in enumerate(caseload):
        trajectory = worker.trajectories.order_by("-start_date").first()
        if trajectory is None:
            continue  # a new worker: the intake measurement is due as soon as the trajectory starts
        _notes(worker, coach, index, last_contact_days=45 if story == "stil" else 3 + index % 9)
        if story != "afgesloten":
            _measurements(worker, coach, trajectory, index)
            _check_ins(worker, coach, story)
            _goals(worker, coach, index)
            active.append(worker)
        if story in ("groei", "lang") and index % 2 == 0:
            services.shared_summary_write(
                worker=worker, actor=coach,
                text=f"{worker.first_name} komt afspraken na en werkt graag in team. Klaar voor een opdracht met "
                     "meer verantwoordelijkheid; interesse in een opleiding groenzorg.",
            )
    _closed(caseload, coach)
    wout = next((w for w, story in caseload if w.first_name == "Wout"), None)
    if wout is not None:
        _visit(wout, coach)
        services.portfolio_issue(
            worker=wout, actor=coach,
            closing_summary="Wout werkt sinds enkele maanden als wijk-werker in de groenzorg. Hij komt zijn "
                            "afspraken na, werkt nauwkeurig en durft nu zelf vragen te stellen. Hij is klaar om "
                            "een opleiding tuinaanleg te volgen bij VDAB.",
        )
    _peer_group(organiser, coach, [w for w in active if w not in quiet])
    stdout.write(f"  coaching: {len(caseload)} workers in the demo werkcoach's caseload")


def _closed(caseload, coach):
    """Koen's trajectory ended: final measurement and closing summary done, portfolio issued."""
    koen = next((w for w, story in caseload if story == "afgesloten"), None)
    if koen is None:
        return
    trajectory = koen.trajectories.filter(status=TrajectoryStatus.ENDED).order_by("-start_date").first()
    if trajectory is None:
        return
    _measure(koen, coach, moment=MeasurementMoment.INTAKE, day=trajectory.start_date + 5 * DAY, base=2, step=0)
    _measure(koen, coach, moment=MeasurementMoment.END, day=min(trajectory.ended_on, today()), base=2, step=2)
    services.portfolio_issue(
        worker=koen, actor=coach,
        closing_summary="Koen heeft zijn traject afgerond en start een opleiding. Hij werkt zelfstandig, is stipt "
                        "en communiceert vlot met gebruikers.",
    )
