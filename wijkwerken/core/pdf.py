"""PDF documents: WeasyPrint from a Django template, in Dutch, A4, with the fonts shipped here (DejaVu Sans,
wijkwerken/core/fonts) and nothing fetched from the network while rendering. Every app's PDFs go through here."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


def local_files_only():
    """A URL fetcher that opens local files only (the shipped fonts); anything else fails the rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` to PDF bytes. Templates load fonts from `{{ fonts_dir }}`."""
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string(template_name, {**context, "fonts_dir": FONTS_DIR.as_uri()})
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=local_files_only()).write_pdf()
