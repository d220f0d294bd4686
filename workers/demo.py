"""Demo wijk-werkers in every state: new, in trajectory, ending next week, suspended, extended, ended with each
outflow reason, ex-PWA. Dates are relative to today. Safe to run again: a worker is looked up by its national
register number (the natural key) and left alone when it exists."""

import datetime

from stdnum.be import nn

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months, today

from . import services
from .activities import main_activity_choices
from .models import OutflowReason, Worker

DAY = datetime.timedelta(days=1)
POSTCODES = {
    "Leuven": "3000",
    "Kessel-Lo": "3010",
    "Heverlee": "3001",
    "Wilsele": "3012",
    "Herent": "3020",
    "Bertem": "3060",
}

# (first name, last name, city, state, extra) — the state decides what happens to the trajectory.
DEMO_WORKERS = [
    ("Wout", "Werker", "Bertem", "mid", {"months_ago": 2, "login": "wijkwerker@demo.wijkwerken.be"}),
    ("Aïcha", "El Amrani", "Kessel-Lo", "new", {}),
    ("Bart", "Claes", "Leuven", "new", {}),
    ("Yusuf", "Demir", "Heverlee", "new", {"referral": "ocmw"}),
    ("Olena", "Kovalenko", "Herent", "new", {"languages": ["uk", "ru", "en"]}),
    ("Sofie", "Janssens", "Leuven", "mid", {"months_ago": 1}),
    ("Karim", "Benali", "Kessel-Lo", "mid", {"months_ago": 3, "referral": "ocmw"}),
    ("Linda", "Vermeulen", "Herent", "mid", {"months_ago": 4}),
    ("Tom", "Peeters", "Wilsele", "mid", {"months_ago": 1, "interim": True}),
    ("Fatma", "Yilmaz", "Heverlee", "mid", {"months_ago": 2, "languages": ["tr", "nl"]}),
    ("Dirk", "Wouters", "Bertem", "mid", {"months_ago": 5}),
    ("Marie", "Dubois", "Leuven", "mid", {"months_ago": 3, "languages": ["fr", "nl"]}),
    ("Ahmed", "Haddad", "Kessel-Lo", "ending", {"days_left": 3, "referral": "ocmw"}),
    ("Ilse", "Maes", "Herent", "ending", {"days_left": 6}),
    ("Jan", "Goossens", "Leuven", "ending", {"days_left": 12}),
    ("Nadia", "Mertens", "Wilsele", "suspended", {"months_ago": 2}),
    ("Pieter", "Jacobs", "Heverlee", "suspended", {"months_ago": 4}),
    ("Greet", "Willems", "Leuven", "extended", {"months_ago": 8}),
    ("Samir", "Aziz", "Kessel-Lo", "extended", {"months_ago": 7, "referral": "ocmw"}),
    ("Els", "De Smet", "Leuven", "ended", {"reason": OutflowReason.WORK}),
    ("Koen", "Van Damme", "Herent", "ended", {"reason": OutflowReason.TRAINING}),
    ("Lotte", "Hermans", "Heverlee", "ended", {"reason": OutflowReason.INTERNSHIP}),
    ("Mohamed", "Ouali", "Kessel-Lo", "ended", {"reason": OutflowReason.WORK_CARE, "referral": "ocmw"}),
    ("Rita", "Aerts", "Bertem", "ended", {"reason": OutflowReason.TERM_ENDED}),
    ("Senne", "Michiels", "Wilsele", "ended", {"reason": OutflowReason.STOPPED}),
    ("Hilde", "Smets", "Leuven", "ended", {"reason": OutflowReason.ILLNESS}),
    ("Abdi", "Warsame", "Leuven", "ended", {"reason": OutflowReason.MOVED, "languages": ["so", "en"]}),
    ("Chris", "Lambrechts", "Herent", "ended", {"reason": OutflowReason.OTHER}),
    ("Josée", "Vandenberghe", "Bertem", "ex_pwa", {"months_ago": 20}),
    ("Frans", "Verbruggen", "Herent", "ex_pwa", {"months_ago": 3}),
]

ALL_SLOTS = [f"{day}-{part}" for day in range(5) for part in ("morning", "afternoon")]


def demo_national_number(index: int) -> str:
    """A valid rijksregisternummer for demo person `index`; stdnum finds the check digits."""
    born = datetime.date(1965 + (index * 7) % 40, 1 + index % 12, 1 + (index * 5) % 28)
    base = f"{born:%y%m%d}{(index * 37) % 997 + 1:03d}"
    return next(base + f"{check:02d}" for check in range(100) if nn.is_valid(base + f"{check:02d}"))


def _ago(months: int) -> datetime.date:
    return add_months(today(), -months)


def _create(organiser, index, first_name, last_name, city, extra, bemiddelaar, coach) -> Worker:
    activities = [code for code, _name in main_activity_choices()]
    return services.worker_create(
        organiser=organiser,
        actor=bemiddelaar,
        first_name=first_name,
        last_name=last_name,
        national_number=demo_national_number(index),
        email=f"{first_name.lower()}.{last_name.lower().replace(' ', '')}@voorbeeld.be".replace("ï", "i").replace(
            "é", "e"
        ),
        phone=f"0470 {index:02d} {index * 3 % 100:02d} {index * 7 % 100:02d}",
        street=f"Demostraat {index + 1}",
        postcode=POSTCODES[city],
        city=city,
        referral=extra.get("referral", "vdab"),
        referrer_name="An Verwijzer" if extra.get("referral") != "ocmw" else "Maatschappelijk werker OCMW",
        referral_date=_ago(extra.get("months_ago", 1)) - 14 * DAY,
        consent_signed_on=_ago(extra.get("months_ago", 1)) - 14 * DAY,
        languages=extra.get("languages", ["nl"]),
        mobility=[["bike"], ["foot", "public_transport"], ["car"]][index % 3],
        max_distance_km=[3, 5, 10, 15][index % 4],
        certificates=[[], ["first_aid"], ["childcare"]][index % 3],
        iban="BE71 0961 2345 6769",
        ex_pwa=extra.get("ex_pwa", False),
        notes="",
        bemiddelaar=bemiddelaar,
        coach=coach if index % 2 else None,
        skills=activities[index % len(activities) :: 3][:2],
        interests=[activities[(index + 1) % len(activities)]],
        availability=ALL_SLOTS[index % 4 :: (index % 3) + 2],
    )


def _run_state(worker, state, extra, actor):
    now = today()
    if state == "new":
        return
    if state == "ending":
        start = add_months(now + (extra["days_left"] + 1) * DAY, -6)
        services.trajectory_start(worker=worker, start_date=start, actor=actor)
        return
    if state == "ended":
        start = _ago(9)
        if extra["reason"] == OutflowReason.TERM_ENDED:
            # Entered now, its end date long past: it ends as it is written ("einde termijn").
            services.trajectory_start(worker=worker, start_date=start, actor=actor)
            return
        # Entered as it ran then (extended to the maximum), then ended early with its outflow reason.
        trajectory = services.trajectory_start(
            worker=worker, start_date=start, end_date=add_months(start, 12) - DAY, actor=actor
        )
        services.trajectory_end(
            trajectory=trajectory, ended_on=start + datetime.timedelta(days=60 + 11 * len(worker.last_name)),
            outflow_reason=extra["reason"], note="", actor=actor,
        )
        return
    if state == "extended":
        start = _ago(extra["months_ago"])
        trajectory = services.trajectory_start(
            worker=worker, start_date=start, end_date=add_months(now, 2), actor=actor
        )
        services.trajectory_evaluate(
            trajectory=trajectory,
            evaluated_on=add_months(start, 6) - 3 * DAY,
            note="Goede vooruitgang; verlenging afgesproken.",
            actor=actor,
        )
        return
    trajectory = services.trajectory_start(worker=worker, start_date=_ago(extra["months_ago"]), actor=actor)
    if state == "suspended":
        services.trajectory_suspend(
            trajectory=trajectory, start_date=now - 5 * DAY, end_date=now + 10 * DAY, reason="Ziekte", actor=actor
        )
    elif state == "ex_pwa":
        services.trajectory_evaluate(
            trajectory=trajectory,
            evaluated_on=now - 30 * DAY,
            note="Blijft als ex-PWA'er actief bij dezelfde gebruikers.",
            actor=actor,
        )
        services.trajectory_extend(
            trajectory=trajectory, new_end_date=add_months(now, 6), reason="Overgangsmaatregel ex-PWA", actor=actor
        )
    if extra.get("interim"):
        services.interim_work_record(
            worker=worker,
            start_date=now - 20 * DAY,
            end_date=now - 9 * DAY,
            employer="Uitzendbureau Leuven",
            actor=actor,
        )


def seed(organiser, stdout) -> None:
    bemiddelaar = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).order_by("pk").first()
    coach = User.objects.filter(organiser=organiser, role=Role.WERKCOACH).order_by("pk").first()
    created = 0
    for index, (first_name, last_name, city, state, extra) in enumerate(DEMO_WORKERS):
        if state == "ex_pwa":
            extra = {**extra, "ex_pwa": True}
        if Worker.objects.filter(organiser=organiser, national_number=demo_national_number(index)).exists():
            continue
        worker = _create(organiser, index, first_name, last_name, city, extra, bemiddelaar, coach)
        _run_state(worker, state, extra, bemiddelaar)
        login = User.objects.filter(email=extra.get("login", ""), role=Role.WIJKWERKER, organiser=organiser).first()
        if login is not None:
            services.worker_account_link(worker=worker, user=login, actor=bemiddelaar)
        created += 1
    stdout.write(f"  {created} wijk-werkers created ({len(DEMO_WORKERS)} in the demo set)")
