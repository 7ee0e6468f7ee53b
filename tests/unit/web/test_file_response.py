"""FileResponse's choices made before any byte is sent: media type and compressed siblings."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiohttp.web.messages.file_response import _choose, guess_content_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html", "text/html"),
        ("style.css", "text/css"),
        ("data.json", "application/json"),
        ("archive.tar.gz", "application/gzip"),
        ("notes.txt.bz2", "application/x-bzip2"),
        ("blob", "application/octet-stream"),
        ("weird.unknownext", "application/octet-stream"),
    ],
)
def test_guess_content_type(name: str, expected: str) -> None:
    assert guess_content_type(Path(name)) == expected


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "app.js").write_text("x" * 100)
    (tmp_path / "app.js.gz").write_bytes(b"g")
    (tmp_path / "app.js.br").write_bytes(b"b")
    (tmp_path / "app.js.zst").mkdir()  # not a file: never chosen
    (tmp_path / "plain.js").write_text("p")
    return tmp_path


@pytest.mark.parametrize(
    ("accept", "suffix", "coding"),
    [
        (None, "", None),
        ("gzip", ".gz", "gzip"),
        ("gzip, br", ".br", "br"),
        ("br;q=0.5, gzip", ".gz", "gzip"),
        ("br;q=0, gzip;q=0", "", None),
        ("zstd", "", None),
        ("*", ".br", "br"),
        ("identity", "", None),
    ],
)
def test_choose_sibling_rfc9110_12_5_3(
    site: Path, accept: str | None, suffix: str, coding: str | None
) -> None:
    chosen = _choose(site / "app.js", accept)
    assert chosen.path == site / f"app.js{suffix}"
    assert chosen.coding == coding
    assert chosen.has_siblings
    assert chosen.stat.st_size == chosen.path.stat().st_size


def test_no_siblings(site: Path) -> None:
    chosen = _choose(site / "plain.js", "gzip, br")
    assert (chosen.path, chosen.coding, chosen.has_siblings) == (site / "plain.js", None, False)


def test_missing_file_raises(site: Path) -> None:
    with pytest.raises(FileNotFoundError):
        _choose(site / "missing.js", None)
