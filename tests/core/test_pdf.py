import subprocess

import pytest

from wijkwerken.core.pdf import FONTS_DIR, local_files_only


def test_pdf_rendering_fetches_local_files_only():
    with pytest.raises(ValueError, match="disallowed protocol"):
        local_files_only().fetch("https://example.com/font.ttf")


def test_the_fonts_are_shipped():
    assert (FONTS_DIR / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (FONTS_DIR / "DejaVuSans-Bold.ttf").exists()
    assert (FONTS_DIR / "LICENSE-DejaVu.txt").exists()


@pytest.mark.django_db
def test_documents_embed_the_shipped_font(tmp_path, organiser, leuven, bemiddelaar):
    from tests.workers.factories import WorkerFactory
    from workers.pdf import render_agreement_pdf

    worker = WorkerFactory(organiser=organiser, municipality=leuven)
    path = tmp_path / "agreement.pdf"
    path.write_bytes(render_agreement_pdf(worker))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
