"""Static resources: name checks before the file system, containment, url_for, index page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp.web.exceptions import HTTPForbidden, HTTPNotFound
from aiohttp.web.messages.file_response import FileResponse
from aiohttp.web.routing.router import UrlDispatcher
from aiohttp.web.routing.static import StaticResource, is_hostile_name

from .fakes import FakeRequest


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "index.txt").write_text("hello")
    (root / "sub" / "a.css").write_text("body{}")
    (root / 'we<ird>&"name.txt').write_text("x")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "outside-link").symlink_to(tmp_path / "secret.txt")
    (root / "inside-link").symlink_to(root / "index.txt")
    return root


HOSTILE = [
    "../secret.txt",
    "sub/../../secret.txt",
    "..",
    ".",
    "sub/./a.css",
    "/etc/passwd",
    "..\\secret.txt",
    "sub\\a.css",
    "index.txt\x00.png",
    "C:/windows",
    "c:secret",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names(name: str) -> None:
    assert is_hostile_name(name)


@pytest.mark.parametrize("name", ["index.txt", "sub/a.css", "", "sub/", "..hidden", "a..b"])
def test_ordinary_names(name: str) -> None:
    assert not is_hostile_name(name)


async def serve(resource: StaticResource, path: str, method: str = "GET") -> Any:
    router = UrlDispatcher()
    router.register_resource(resource)
    request = FakeRequest(method, path)
    info = await router.resolve(request)  # type: ignore[arg-type]
    if info.http_exception is not None:
        raise info.http_exception
    request.match_info = info  # type: ignore[attr-defined]
    return await info.handler(request)  # type: ignore[arg-type]


TRAVERSAL_PATHS = [
    "/static/../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2E%2E/secret.txt",
    "/static/.%2e/secret.txt",
    "/static/sub/..%2f..%2fsecret.txt",
    "/static/sub%2f..%2f..%2fsecret.txt",
    "/static/..%5csecret.txt",
    "/static/%2fetc%2fpasswd",
    "/static/index.txt%00.png",
    "/static/sub/%2e%2e/%2e%2e/secret.txt",
]


@pytest.mark.parametrize("path", TRAVERSAL_PATHS)
async def test_traversal_in_any_encoding_is_refused(tree: Path, path: str) -> None:
    resource = StaticResource("/static", tree)
    with pytest.raises((HTTPForbidden, HTTPNotFound)):
        await serve(resource, path)


async def test_symlink_leaving_root_is_not_followed_by_default(tree: Path) -> None:
    with pytest.raises(HTTPNotFound):
        await serve(StaticResource("/static", tree), "/static/outside-link")


async def test_symlink_leaving_root_is_followed_when_allowed(tree: Path) -> None:
    response = await serve(
        StaticResource("/static", tree, follow_symlinks=True), "/static/outside-link"
    )
    assert isinstance(response, FileResponse)


async def test_symlink_inside_root_is_served(tree: Path) -> None:
    response = await serve(StaticResource("/static", tree), "/static/inside-link")
    assert isinstance(response, FileResponse)


async def test_file_is_a_file_response(tree: Path) -> None:
    response = await serve(StaticResource("/static", tree), "/static/sub/a.css")
    assert isinstance(response, FileResponse)
    assert response._path == tree / "sub" / "a.css"


async def test_missing_file_is_404(tree: Path) -> None:
    with pytest.raises(HTTPNotFound):
        await serve(StaticResource("/static", tree), "/static/nope.txt")


async def test_directory_without_index_is_403(tree: Path) -> None:
    with pytest.raises(HTTPForbidden):
        await serve(StaticResource("/static", tree), "/static/sub")


async def test_index_page_escapes_every_name(tree: Path) -> None:
    response = await serve(StaticResource("/static", tree, show_index=True), "/static/")
    page = response.text
    # 3.x's title: the directory relative to the served root, "/." for the root itself.
    assert "<title>Index of /.</title>" in page
    assert "we&lt;ird&gt;&amp;&quot;name.txt" in page
    assert "we<ird>" not in page
    assert 'href="/static/we%3Cird%3E&amp;%22name.txt"' in page
    assert '<a href="/static/sub">sub/</a>' in page
    assert response.content_type == "text/html"


async def test_index_page_of_a_subdirectory_is_titled_by_its_relative_path(tree: Path) -> None:
    response = await serve(StaticResource("/static", tree, show_index=True), "/static/sub")
    assert "<title>Index of /sub</title>\n</head>\n<body>\n<h1>Index of /sub</h1>" in response.text


async def test_only_get_and_head(tree: Path) -> None:
    router = UrlDispatcher()
    router.add_static("/static", tree)
    info = await router.resolve(FakeRequest("POST", "/static/index.txt"))  # type: ignore[arg-type]
    assert info.http_exception is not None
    assert info.http_exception.headers["Allow"] == "GET,HEAD"


def test_url_for(tree: Path) -> None:
    router = UrlDispatcher()
    resource = router.add_static("/static/", tree, name="files")
    assert str(resource.url_for(filename="sub/a.css")) == "/static/sub/a.css"
    assert str(resource.url_for(filename="/a b.txt")) == "/static/a%20b.txt"
    assert str(router["files"].url_for(filename=Path("index.txt"))) == "/static/index.txt"


def test_url_for_with_version_hashes_the_content(tree: Path) -> None:
    resource = StaticResource("/static", tree, append_version=True)
    first = resource.url_for(filename="index.txt")
    assert first.query["v"]
    (tree / "index.txt").write_text("changed")
    assert resource.url_for(filename="index.txt").query["v"] != first.query["v"]
    assert "v" not in resource.url_for(filename="index.txt", append_version=False).query
    assert "v" not in resource.url_for(filename="../secret.txt").query
    assert "v" not in resource.url_for(filename="missing").query


def test_directory_must_exist(tmp_path: Path) -> None:
    missing, afile = tmp_path / "missing", tmp_path / "file"
    with pytest.raises(ValueError, match=f"^'{re.escape(str(missing))}' does not exist$"):  # 3.x
        StaticResource("/static", missing)
    afile.write_text("")
    with pytest.raises(ValueError, match=f"^'{re.escape(str(afile))}' is not a directory$"):
        StaticResource("/static", afile)


def test_options_route_for_cors(tree: Path) -> None:
    resource = StaticResource("/static", tree)

    async def options(request: Any) -> Any:
        return None

    resource.set_options_route(options)
    assert sorted(r.method for r in resource) == ["GET", "HEAD", "OPTIONS"]
    with pytest.raises(RuntimeError):
        resource.set_options_route(options)


def test_get_info(tree: Path) -> None:
    info = StaticResource("/static", tree).get_info()
    assert info["prefix"] == "/static"
    assert info["directory"] == tree.resolve()


@settings(max_examples=80, deadline=None)
@given(
    name=st.lists(
        st.sampled_from(
            ["..", ".", "sub", "a.css", "", "%2e", "\\", "\x00", "~", "C:", "index.txt"]
        ),
        max_size=6,
    ).map("/".join)
)
def test_no_name_resolves_outside_the_root(tmp_path_factory: Any, name: str) -> None:
    root = tmp_path_factory.getbasetemp() / "static-root"
    (root / "sub").mkdir(parents=True, exist_ok=True)
    resource = StaticResource("/static", root)
    target = resource._safe_target(name)
    if target is not None:
        assert target == root.resolve() or target.is_relative_to(root.resolve())
        assert not is_hostile_name(name)


async def test_a_socket_in_the_directory_is_forbidden(tree: Path) -> None:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tree / "s.sock"))
        with pytest.raises(HTTPForbidden):
            await serve(StaticResource("/static", tree), "/static/s.sock")
    finally:
        sock.close()


@pytest.mark.parametrize("name", ["sub", "sub/a.css"])
async def test_a_permission_error_is_forbidden(
    tree: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a directory without read or search permission gives a server not run as root.
    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", denied)
    monkeypatch.setattr(Path, "is_file", denied)
    with pytest.raises(HTTPForbidden):
        await serve(StaticResource("/static", tree, show_index=True), f"/static/{name}")
