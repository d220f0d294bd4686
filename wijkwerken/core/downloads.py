"""Stored documents are private: they have no URL and reach a browser only through a view that scopes them.

Every FileField stores into `PrivateStorage` (the default storage, in MEDIA_ROOT), which has no base URL: asking
a stored file for its `.url` raises, and no URL route serves MEDIA_ROOT, in any mode. A download view fetches
its object through the user's scoped selector (someone else's document is a 404) and answers with
`document_response`, which always sends an attachment, a content type chosen here by the kind of document (never
the type the uploader claimed: an uploaded statement that is really an HTML page comes back as a plain download)
and `X-Content-Type-Options: nosniff`.
"""

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The only content types a document is ever sent with, by kind.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": XLSX,
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "sepa": "application/xml",  # pain.001 payment files
    "bank_statement": "application/octet-stream",  # an upload: whatever it really holds, never rendered
    "png": "image/png",
    "jpeg": "image/jpeg",
}


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT without a URL: documents are served by `document_response` only."""

    def url(self, name):
        raise ValueError("Stored documents have no URL; serve them with wijkwerken.core.downloads.document_response.")


def document_response(document, filename: str, kind: str) -> FileResponse:
    """`document` (a stored FieldFile, or an open binary file) as an attachment named `filename`.

    A FieldFile that is empty or whose file is gone is a 404, not a 500."""
    content_type = DOCUMENT_TYPES[kind]
    if hasattr(document, "storage"):
        if not document:
            raise Http404
        try:
            document = document.open("rb")
        except FileNotFoundError:
            raise Http404 from None
    response = FileResponse(document, as_attachment=True, filename=filename, content_type=content_type)
    return protect(response)


def protect(response):
    """The headers every document download carries (also for streamed exports built on the fly)."""
    response["X-Content-Type-Options"] = "nosniff"
    return response
