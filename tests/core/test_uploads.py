"""A 200 MB bank statement upload is refused while it streams in, without being held in memory.

The request goes through the whole Django stack (middleware, the upload handlers, the view) with a body that is
produced as it is read, as a slow client would send it; tracemalloc measures the most Python memory in use at
any moment. Before the streaming limit, the whole file was read into memory for the size check (a 200 MB
upload added 114 MB to the server's memory)."""

import threading
import tracemalloc

import pytest
from django.urls import reverse

from cheques.models import BankImport
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "----wijkwerkenboundary"


class StreamedBody:
    """A multipart body with one file of `size` bytes, made as it is read (never whole in memory)."""

    def __init__(self, size: int, csrf: str = ""):
        self.head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"groot.cod\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n").encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = size
        self.position = 0
        self.length = len(self.head) + size + len(self.tail)

    def read(self, count=-1):
        if count is None or count < 0:
            count = self.length - self.position
        out = bytearray()
        while count > 0 and self.position < self.length:
            if self.position < len(self.head):
                piece = self.head[self.position:self.position + count]
            elif self.position < len(self.head) + self.size:
                piece = b"x" * min(count, len(self.head) + self.size - self.position, 64 * 1024)
            else:
                start = self.position - len(self.head) - self.size
                piece = self.tail[start:start + count]
            out += piece
            self.position += len(piece)
            count -= len(piece)
        return bytes(out)

    def readline(self, count=-1):
        return self.read(count)


def upload(client, size: int):
    body = StreamedBody(size)
    return client.request(**{
        "REQUEST_METHOD": "POST", "PATH_INFO": reverse("cheques:bank_import_list"),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(body.length),
        "wsgi.input": body,
    })


def test_a_200_mb_upload_is_refused_as_it_streams_without_filling_memory(client, bemiddelaar, monkeypatch,
                                                                         settings):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    to_disk = []
    original = TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk",
                        lambda self, raw_data, start: to_disk.append(len(raw_data)) or original(self, raw_data, start))
    client.force_login(bemiddelaar)
    before = AuditEntry.objects.count()
    # One refused upload first, so what a first request loads once (templates, catalogues) is not counted.
    upload(client, settings.UPLOAD_MAX_SIZE + MB)
    # tracemalloc counts every thread of the process, so a thread an earlier test left behind (a live server, a
    # browser driver) can add to one measurement; holding the upload in memory would show in every one. So the
    # least of up to three measurements counts, as in a benchmark.
    peaks = []
    for _attempt in range(3):
        to_disk.clear()
        tracemalloc.start()
        try:
            response = upload(client, 200 * MB)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        peaks.append(peak)
        if peak < 12 * MB:
            break
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "too_large"
    assert "te groot" in response.content.decode()
    threads = ", ".join(thread.name for thread in threading.enumerate())
    assert min(peaks) < 12 * MB, (f"{', '.join(f'{p / MB:.0f}' for p in peaks)} MB of Python memory in use at the "
                                  f"peak (threads: {threads})")
    assert sum(to_disk) <= settings.UPLOAD_MAX_SIZE  # the rest was never written to a temporary file either
    assert not BankImport.objects.exists() and AuditEntry.objects.count() == before


def test_a_file_under_the_limit_still_reaches_the_service(client, bemiddelaar, settings):
    """Just under the limit: the handler lets it through (the service then finds it is no statement)."""
    settings.UPLOAD_MAX_SIZE = 2 * MB
    client.force_login(bemiddelaar)
    response = upload(client, 2 * MB - 10)
    assert response.context["form"].errors.as_data()["file"][0].code == "unknown_format"
    response = upload(client, 2 * MB + 10)
    error = response.context["form"].errors.as_data()["file"][0]
    assert error.code == "too_large" and error.params == {"megabytes": 2}
