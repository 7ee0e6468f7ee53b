"""Advisories about static files: traversal, symbolic links, index pages, what leaks."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from aiohttp import web

from .wire import exchange, statuses


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``public/`` to serve, with a secret beside it and links leading out of it."""
    root = tmp_path / "public"
    root.mkdir()
    (root / "page.txt").write_text("public page")
    (tmp_path / "secret.txt").write_text("top secret")
    (tmp_path / "secret.gz").write_bytes(gzip.compress(b"top secret"))
    (root / "out").symlink_to(tmp_path)
    (root / "page.txt.gz").symlink_to(tmp_path / "secret.gz")
    return root


async def serve(aiohttp_server: Any, root: Path, **options: Any) -> Any:
    app = web.Application()
    app.router.add_static("/static", root, show_index=True, **options)
    return await aiohttp_server(app)


async def get(server: Any, target: str, *fields: bytes) -> bytes:
    head = b"GET " + target.encode() + b" HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
    return await exchange(server.port, [head + b"".join(f + b"\r\n" for f in fields) + b"\r\n"])


TRAVERSALS = [
    "/static/../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/..%2fsecret.txt",
    "/static/page.txt/../../secret.txt",
    "/static/%2E%2E%5Csecret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
async def test_ghsa_5h86_8mv2_jq9f_no_traversal_even_with_follow_symlinks(
    aiohttp_server: Any, tree: Path, target: str
) -> None:
    """CVE-2024-23334: with follow_symlinks=True no check kept ``..`` inside the root.
    Checks: ``..`` (however encoded) is refused before the file system is touched, with
    follow_symlinks on; following a link the application put in the root still works."""
    server = await serve(aiohttp_server, tree, follow_symlinks=True)
    answer = await get(server, target)
    assert statuses(answer)[0] in (400, 403, 404)
    assert b"top secret" not in answer
    assert b"top secret" in await get(server, "/static/out/secret.txt")


async def test_ghsa_7gpw_8wmc_pm8g_index_pages_escape_names(
    aiohttp_server: Any, tmp_path: Path
) -> None:
    """CVE-2024-27306: file names were put into index pages unescaped. Checks: names are
    HTML-escaped and links percent-encoded, so a name cannot add markup."""
    root = tmp_path / "idx"
    root.mkdir()
    (root / '<img src=x onerror="alert(1)">.txt').write_text("x")
    server = await serve(aiohttp_server, root)
    answer = await get(server, "/static/")
    assert statuses(answer) == [200]
    assert b"<img" not in answer
    assert b"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.txt" in answer


@pytest.mark.parametrize("coding", [b"gzip", b"br, gzip"])
async def test_ghsa_jwhx_xcg6_8xhj_precompressed_sibling_symlink_stays_in_root(
    aiohttp_server: Any, tree: Path, coding: bytes
) -> None:
    """CVE-2024-42367: ``page.txt.gz``, a link to a file outside the root, was served for
    ``Accept-Encoding: gzip`` with follow_symlinks off. Checks: such a sibling is ignored and
    the plain file is served."""
    server = await serve(aiohttp_server, tree)
    answer = await get(server, "/static/page.txt", b"Accept-Encoding: " + coding)
    assert statuses(answer) == [200]
    assert answer.endswith(b"\r\n\r\npublic page")
    assert b"Content-Encoding" not in answer


async def test_ghsa_54jq_c3m8_4m76_outside_paths_all_look_the_same(
    aiohttp_server: Any, tree: Path
) -> None:
    """CVE-2025-69226: answers differed by whether a path outside the root existed, so its
    components could be found by brute force. Checks: for targets outside the root, an
    existing and a missing one get byte-identical answers (status and body, Date aside)."""
    server = await serve(aiohttp_server, tree)

    def without_date(answer: bytes) -> bytes:
        return b"\r\n".join(line for line in answer.split(b"\r\n") if not line.startswith(b"Date:"))

    for existing, missing in [
        ("/static/../secret.txt", "/static/../nothing.txt"),
        ("/static/out/secret.txt", "/static/out/nothing.txt"),
        ("/static/%2e%2e/public/page.txt", "/static/%2e%2e/public/none.txt"),
    ]:
        assert without_date(await get(server, existing)) == without_date(await get(server, missing))


@pytest.mark.parametrize(
    "target",
    [
        "/static/%5C%5Cserver%5Cshare%5Cfile",
        "/static//server/share/file",
        "/static/C:%5Cwindows%5Cwin.ini",
        "/static/c:/windows/win.ini",
        "/static/%5C%5C%3F%5CUNC%5Cserver%5Cshare",
    ],
)
async def test_ghsa_p998_jp59_783m_unc_and_drive_paths_are_refused(
    aiohttp_server: Any, tree: Path, target: str
) -> None:
    """CVE-2026-34515: on Windows, a static path could name a UNC share (an SSRF that leaks
    NTLM credentials) or a drive. Applies on Windows only; checks on every platform that
    backslashes, drive names and absolute paths are refused before the file system."""
    server = await serve(aiohttp_server, tree)
    assert statuses(await get(server, target))[0] in (400, 403, 404)
    from aiohttp.web.routing.static import is_hostile_name

    for name in ("\\\\server\\share", "/server/share", "C:\\x", "c:/x", "\\\\?\\UNC\\s"):
        assert is_hostile_name(name), name
