"""Static files under a URL prefix, never outside their directory.

``router.add_static("/static", "/srv/files")`` serves ``/static/css/site.css`` from
``/srv/files/css/site.css``. The requested name is checked before the file system is touched:

* a ``..`` or ``.`` segment, however it was encoded (``%2e%2e``, ``%2E.``), is answered 404, as
  a file that does not exist (as in aiohttp 3.x: the answer tells nothing of why);
* so are an encoded slash that would form one (``..%2f``), a backslash, a NUL byte, an absolute
  path or a drive name;
* the resolved path must stay inside the directory; a symbolic link that leads out of it is
  only followed with ``follow_symlinks=True`` (404 otherwise). Pre-compressed siblings
  (``file.gz``, ``file.br``, ``file.zst``) obey the same rule: one that leads out is ignored.

A name the server may not read (a permission error) or that is not a regular file or a directory
(a socket, a FIFO, a device) is answered 403, as in aiohttp 3.x.

A directory is listed only with ``show_index=True``; every name in the listing is HTML-escaped and
every link percent-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from yarl import URL

from ..exceptions import HTTPForbidden, HTTPNotFound
from ..messages.file_response import FileResponse
from ..messages.full_response import Response
from .match_info import UrlMappingMatchInfo
from .resources import PrefixResource, unquote_safe
from .route import ExpectHandler, Handler, ResourceRoute

if TYPE_CHECKING:
    from ..messages.request import Request
    from ..messages.response import StreamResponse

__all__ = ["DEFAULT_CHUNK_SIZE", "StaticResource", "is_hostile_name"]

DEFAULT_CHUNK_SIZE = 256 * 1024


def is_hostile_name(name: str) -> bool:
    """Whether a requested file name tries to leave its directory or smuggle a byte.

    ``name`` is the decoded part of the path after the prefix.
    """
    if "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part in ("..", ".") for part in name.split("/"))


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fobj:
        for block in iter(lambda: fobj.read(64 * 1024), b""):
            digest.update(block)
    return base64.urlsafe_b64encode(digest.digest()).decode("ascii")


class StaticResource(PrefixResource):
    """Files under a directory, served at a URL prefix (GET and HEAD).

    Args:
        prefix: The URL prefix, e.g. ``/static``.
        directory: The directory to serve.
        name: The resource's name.
        expect_handler: Answers ``Expect`` headers.
        chunk_size: Bytes per read when the file cannot be sent with ``sendfile``.
        show_index: List directories as HTML pages.
        follow_symlinks: Follow symbolic links that lead outside ``directory``.
        append_version: Add ``?v=<hash of the content>`` to URLs built by :meth:`url_for`.

    Raises:
        ValueError: ``directory`` does not exist or is not a directory.
    """

    #: The query parameter carrying the content hash of a versioned URL.
    VERSION_KEY = "v"

    def __init__(
        self,
        prefix: str,
        directory: str | os.PathLike[str],
        *,
        name: str | None = None,
        expect_handler: ExpectHandler | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        show_index: bool = False,
        follow_symlinks: bool = False,
        append_version: bool = False,
    ) -> None:
        super().__init__(prefix, name=name)
        try:
            resolved = Path(directory).expanduser().resolve(strict=True)
        except FileNotFoundError as exc:
            raise ValueError(f"'{directory}' does not exist") from exc
        if not resolved.is_dir():
            raise ValueError(f"'{resolved}' is not a directory")
        self._directory = resolved
        self._chunk_size = chunk_size
        self._show_index = show_index
        self._follow_symlinks = follow_symlinks
        self._append_version = append_version
        self._expect_handler = expect_handler
        self._routes: dict[str, ResourceRoute] = {
            "GET": ResourceRoute("GET", self._handle, self, expect_handler=expect_handler),
            "HEAD": ResourceRoute("HEAD", self._handle, self, expect_handler=expect_handler),
        }
        self._allowed = set(self._routes)

    @property
    def canonical(self) -> str:
        """The prefix."""
        return self._prefix

    def url_for(  # type: ignore[override]
        self, *, filename: str | os.PathLike[str], append_version: bool | None = None
    ) -> URL:
        """The URL of a file under the prefix.

        Args:
            filename: The file's path relative to the directory.
            append_version: Add ``?v=<content hash>`` (defaults to the resource's setting); only
                done when the file exists inside the directory.
        """
        if append_version is None:
            append_version = self._append_version
        name = str(PurePosixPath(Path(filename))).lstrip("/") if filename else ""
        url = URL.build(path=self._prefix or "/")
        url = url / name if name else url
        if append_version:
            target = self._safe_target(name)
            if target is not None and target.is_file():
                url = url.with_query({self.VERSION_KEY: _file_hash(target)})
        return url

    def get_info(self) -> dict[str, Any]:
        """``{"directory": ..., "prefix": ..., "routes": ...}``."""
        return {"directory": self._directory, "prefix": self._prefix, "routes": self._routes}

    def set_options_route(self, handler: Handler) -> ResourceRoute:
        """Answer ``OPTIONS`` with ``handler`` (for CORS pre-flight requests).

        Returns:
            The new route (aiohttp 3.x returns ``None``; the route is also
            ``resource._routes["OPTIONS"]``, where CORS libraries look for it).

        Raises:
            RuntimeError: An OPTIONS route is already set.
        """
        if "OPTIONS" in self._routes:
            raise RuntimeError("OPTIONS route was set already")
        route = ResourceRoute("OPTIONS", handler, self, expect_handler=self._expect_handler)
        self._routes["OPTIONS"] = route
        self._allowed.add("OPTIONS")
        return route

    def match(self, path: str) -> dict[str, str] | None:
        """``{"filename": ...}`` for the prefix and everything under it."""
        if path == self._prefix:
            return {"filename": ""}
        if path.startswith(self._prefix2):
            return {"filename": unquote_safe(path[len(self._prefix2) :])}
        return None

    async def resolve(self, request: Request) -> tuple[UrlMappingMatchInfo | None, set[str]]:
        """Match the prefix, then the method (GET, HEAD, and OPTIONS when set)."""
        match_dict = self.match(request.rel_url.path_safe)
        if match_dict is None:
            return None, set()
        route = self._routes.get(request.method)
        if route is None:
            return None, set(self._allowed)
        return UrlMappingMatchInfo(match_dict, route), set(self._allowed)

    def __len__(self) -> int:
        return len(self._routes)

    def __iter__(self) -> Iterator[ResourceRoute]:
        return iter(self._routes.values())

    def _safe_target(self, name: str) -> Path | None:
        """The file system path for ``name``, or ``None`` when it leaves the directory."""
        if is_hostile_name(name):
            return None
        candidate = self._directory.joinpath(*[p for p in name.split("/") if p])
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        if self._follow_symlinks:
            return candidate
        if resolved != self._directory and not resolved.is_relative_to(self._directory):
            return None
        return resolved

    async def _handle(self, request: Request) -> StreamResponse:
        name = request.match_info["filename"]
        if is_hostile_name(name):
            raise HTTPNotFound()
        target = self._safe_target(name)
        if target is None:
            raise HTTPNotFound()
        try:
            if target.is_dir():
                if self._show_index:
                    return Response(text=self._index_page(target), content_type="text/html")
                raise HTTPForbidden()
            if target.is_file():
                response = FileResponse(target, chunk_size=self._chunk_size)
                if not self._follow_symlinks:
                    # Pre-compressed siblings obey the same rule as the file (CVE-2024-42367).
                    response._sibling_root = self._directory
                return response
            if target.exists():  # a socket, a FIFO, a device: never read (as in 3.x)
                raise HTTPForbidden()
        except PermissionError as exc:
            raise HTTPForbidden() from exc
        except (OSError, ValueError) as exc:
            raise HTTPNotFound() from exc
        raise HTTPNotFound()

    def _index_page(self, directory: Path) -> str:
        relative = directory.relative_to(self._directory).as_posix()
        base = self._prefix + "/" + ("" if relative == "." else relative)
        # The title names the directory relative to the served root ("/." for the root
        # itself), as aiohttp 3.x's index page does; the links carry the URL prefix.
        title = html.escape(f"Index of /{relative}", quote=True)
        items = []
        for entry in sorted(directory.iterdir(), key=lambda p: p.name):
            label = entry.name + ("/" if entry.is_dir() else "")
            link = URL.build(path=base.rstrip("/") + "/" + entry.name).raw_path
            items.append(
                f'<li><a href="{html.escape(link, quote=True)}">'
                f"{html.escape(label, quote=True)}</a></li>"
            )
        return (
            f"<html>\n<head>\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
            "<ul>\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>"
        )

    def __repr__(self) -> str:
        name = f"'{self.name}'" if self.name is not None else ""
        return f"<StaticResource {name} {self._prefix} -> {self._directory!r}>"
