import pytest
from django.core import mail

from wijkwerken.core.models import Notification
from wijkwerken.core.notifications import notifications_send, unread_count

pytestmark = pytest.mark.django_db


def test_sending_twice_creates_and_mails_once(bemiddelaar, django_capture_on_commit_callbacks):
    items = [(bemiddelaar, "trajectory-ending:1", "Het traject van Ann eindigt op 30/11/2026.", "/wijkwerkers/1/")]
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_send(items=items, subject="Wijk-werken") == 1
        assert notifications_send(items=items, subject="Wijk-werken") == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.endswith("/wijkwerkers/1/")


def test_inactive_users_get_nothing(bemiddelaar):
    bemiddelaar.is_active = False
    assert notifications_send(items=[(bemiddelaar, "k", "t", "")], subject="s") == 0


def test_badge_counts_unread_and_opening_marks_read(client, bemiddelaar):
    notifications_send(items=[(bemiddelaar, "k1", "Eerste melding", "/")], subject="s", email=False)
    client.force_login(bemiddelaar)
    page = client.get("/").content.decode()
    assert "1<span class=\"visually-hidden\"> ongelezen meldingen</span>" in page
    notification = Notification.objects.get()
    assert client.post(f"/meldingen/{notification.pk}/").status_code == 302
    assert unread_count(bemiddelaar) == 0


def test_the_bell_asks_once_when_nothing_is_unread(bemiddelaar, werkcoach, django_assert_num_queries):
    notifications_send(items=[(werkcoach, "k1", "Voor iemand anders", "")], subject="s", email=False)
    with django_assert_num_queries(1):
        assert unread_count(bemiddelaar) == 0
    notifications_send(items=[(bemiddelaar, "k2", "Voor Bram", "")], subject="s", email=False)
    assert unread_count(bemiddelaar) == 1


def test_someone_elses_notification_is_a_404(client, bemiddelaar, werkcoach):
    notifications_send(items=[(bemiddelaar, "k1", "Voor Bram", "")], subject="s", email=False)
    client.force_login(werkcoach)
    assert client.post(f"/meldingen/{Notification.objects.get().pk}/").status_code == 404
    assert "Voor Bram" not in client.get("/meldingen/").content.decode()


@pytest.fixture
def validated_hours(organiser, leuven, bemiddelaar):
    """A client asked to confirm two hours (a validated prestatie) and the client's login."""
    import datetime

    import time_machine

    from assignments.models import ClientContact
    from assignments.services import prestatie_register, prestatie_validate
    from tests.assignments.fixtures import at, make_assignment, make_worker

    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=datetime.date(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=datetime.date(2026, 3, 2),
                                     end=datetime.date(2026, 4, 30), weekdays=(0, 2))
        prestatie = prestatie_register(assignment=assignment, date=datetime.date(2026, 3, 2),
                                       start_time=datetime.time(9), end_time=datetime.time(11), actor=worker.user)
        prestatie_validate(prestatie=prestatie, actor=bemiddelaar)
    user = ClientContact.objects.filter(client=assignment.client).select_related("user").get().user
    return prestatie, user


def test_a_request_to_confirm_hours_resolves_itself_once_they_are_confirmed(client, validated_hours):
    from assignments.services import prestatie_confirm

    prestatie, user = validated_hours
    notification = Notification.objects.get(recipient=user, key__startswith="prestatie-confirm:")
    assert (notification.about_kind, notification.about_id) == ("prestatie.to_confirm", prestatie.pk)
    assert unread_count(user) == 2  # and the news of the assignment, which stays true
    client.force_login(user)
    assert "werkte voor u op 02/03/2026" in client.get("/meldingen/").content.decode()

    prestatie_confirm(prestatie=prestatie, actor=user)

    # Never read, but no longer true: not new, not counted; in the archive as dealt with.
    notification.refresh_from_db()
    assert notification.read_at is None
    assert unread_count(user) == 1
    assert "werkte voor u op 02/03/2026" not in client.get("/meldingen/").content.decode()
    archive = client.get("/meldingen/archief/").content.decode()
    assert "werkte voor u op 02/03/2026" in archive and "afgehandeld" in archive


def test_a_message_about_nothing_stays_new_until_read(bemiddelaar):
    notifications_send(items=[(bemiddelaar, "k1", "Gewoon nieuws", "")], subject="s", email=False)
    assert unread_count(bemiddelaar) == 1


def test_mark_all_as_read(client, bemiddelaar, werkcoach):
    notifications_send(items=[(bemiddelaar, f"k{i}", f"Melding {i}", "") for i in range(3)]
                       + [(werkcoach, "k1", "Voor de werkcoach", "")], subject="s", email=False)
    client.force_login(bemiddelaar)
    assert client.get("/meldingen/alles-gelezen/").status_code == 405  # a GET changes nothing
    response = client.post("/meldingen/alles-gelezen/", follow=True)
    assert "3 meldingen gemarkeerd als gelezen" in response.content.decode()
    assert unread_count(bemiddelaar) == 0
    assert unread_count(werkcoach) == 1  # someone else's messages are untouched


def test_old_messages_are_archived_per_day_a_page_at_a_time(client, bemiddelaar):
    import datetime

    from django.utils import timezone

    notifications_send(items=[(bemiddelaar, f"k{i}", f"Melding {i}", "") for i in range(30)], subject="s",
                       email=False)
    Notification.objects.filter(recipient=bemiddelaar, key__in=["k0", "k1"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3))
    Notification.objects.filter(recipient=bemiddelaar).update(read_at=timezone.now())
    client.force_login(bemiddelaar)
    assert "Geen nieuwe meldingen" in client.get("/meldingen/").content.decode()
    first = client.get("/meldingen/archief/").content.decode()
    assert "Pagina 1 van 2" in first
    assert first.count('class="card-header"><h2') == 1  # the 25 newest are all of today
    last = client.get("/meldingen/archief/?page=2").content.decode()
    assert "Melding 0" in last and last.count('class="card-header"><h2') == 2
