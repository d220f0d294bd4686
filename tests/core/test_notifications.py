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


def test_someone_elses_notification_is_a_404(client, bemiddelaar, werkcoach):
    notifications_send(items=[(bemiddelaar, "k1", "Voor Bram", "")], subject="s", email=False)
    client.force_login(werkcoach)
    assert client.post(f"/meldingen/{Notification.objects.get().pk}/").status_code == 404
    assert "Voor Bram" not in client.get("/meldingen/").content.decode()
