"""The coaching demo: a caseload of about a dozen workers with notes, measurements that show progress, check-ins,
goals, a peer group and a visit; running it twice changes nothing."""


import pytest

from coaching.models import (
    CoachingNote,
    CoachPeriod,
    GroupSession,
    NoteKind,
    Portfolio,
)
from coaching.selectors.caseload import attention_for
from tests.demo import seed_demo
from wijkwerken.accounts.models import User
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db


@pytest.mark.xdist_group("demo")
def test_demo_seeds_a_caseload():
    seed_demo(run_on_commit=True)
    coach = User.objects.get(email="werkcoach@demo.wijkwerken.be")
    caseload = list(coach.coached_workers.all())
    assert 10 <= len(caseload) <= 14
    assert CoachingNote.objects.filter(kind=NoteKind.WORKPLACE_VISIT).count() == 1
    measured = [w for w in caseload if w.measurements.filter(coach_scored_at__isnull=False).count() >= 2]
    assert len(measured) >= 8
    assert GroupSession.objects.filter(status="gehouden").exclude(group_note="").exists()
    assert GroupSession.objects.filter(status="gepland").exists()
    wout = next(w for w in caseload if w.user and w.user.email == "wijkwerker@demo.wijkwerken.be")
    assert Portfolio.objects.filter(worker=wout).exclude(pdf="").exists()
    assert wout.measurements.filter(self_scored_at__isnull=False).exists()
    rows = attention_for(caseload, on=today())
    assert sum(1 for r in rows.values() if r.attention) >= 3
    # A second coach took over the other coached workers: the demo coach was their coach before.
    assert CoachPeriod.objects.filter(coach=coach, ended_on__isnull=False).exists()
    # Seeding twice changes no row of any model: tests/reports/test_demo.py proves it for the whole demo.
