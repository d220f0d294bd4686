"""Uploads are measured while they stream in: a file larger than `UPLOAD_MAX_SIZE` is never held in memory or
written to disk in full.

`SizeLimitedUploadHandler` is the first of FILE_UPLOAD_HANDLERS. It counts each file's bytes as they arrive;
past the limit it passes nothing more on to Django's memory and temporary-file handlers (the rest of the
request is read and thrown away chunk by chunk), and the form receives a `TooLargeUpload` instead, which
`LimitedFileField` refuses with a Dutch message. (Other form fields are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.)
"""

import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _


class TooLargeUpload(UploadedFile):
    """Stands in for a file that was larger than the limit: no content, its size as far as it was counted."""

    too_large = True

    def __init__(self, *, name, content_type, counted, limit):
        super().__init__(file=io.BytesIO(b""), name=name, content_type=content_type, size=counted)
        self.limit = limit


class SizeLimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.counted = 0

    def receive_data_chunk(self, raw_data, start):
        self.counted += len(raw_data)
        if self.counted > settings.UPLOAD_MAX_SIZE:
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.counted > settings.UPLOAD_MAX_SIZE:
            return TooLargeUpload(name=self.file_name, content_type=self.content_type, counted=self.counted,
                                  limit=settings.UPLOAD_MAX_SIZE)
        return None  # the next handler hands over the file


class LimitedFileField(forms.FileField):
    """A file field that refuses a file the upload handler cut off (see the module docstring)."""

    def clean(self, data, initial=None):
        if getattr(data, "too_large", False):
            raise forms.ValidationError(_("The file is too large (at most %(megabytes)s MB)."), code="too_large",
                                        params={"megabytes": data.limit // (1024 * 1024)})
        return super().clean(data, initial)
