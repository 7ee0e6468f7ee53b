"""normalize_path_middleware's candidate paths (the redirects are tested over loopback)."""

from __future__ import annotations

import pytest

from aiohttp.web.middlewares import _candidates, middleware, normalize_path_middleware


@pytest.mark.parametrize(
    ("path", "flags", "expected"),
    [
        ("/a", {"append": True, "remove": False, "merge": True}, ["/a", "/a/", "/a/"]),
        ("//a//b", {"append": True, "remove": False, "merge": True}, ["/a/b", "/a//b/", "/a/b/"]),
        ("/a/", {"append": False, "remove": True, "merge": False}, ["/a"]),
        ("//a//", {"append": False, "remove": True, "merge": True}, ["/a/", "/a/", "/a"]),
        ("/a", {"append": False, "remove": False, "merge": False}, []),
        ("//evil.example", {"append": True, "remove": False, "merge": False}, ["/evil.example/"]),
    ],
)
def test_candidates(path: str, flags: dict[str, bool], expected: list[str]) -> None:
    assert _candidates(path, **flags) == expected


def test_open_redirect_never_proposed() -> None:
    for found in _candidates("///evil.example//x", append=True, remove=False, merge=False):
        assert not found.startswith("//")


def test_both_append_and_remove_is_refused() -> None:
    with pytest.raises(AssertionError, match="Cannot both"):  # 3.x's type
        normalize_path_middleware(append_slash=True, remove_slash=True)


def test_middleware_decorator_marks_new_style() -> None:
    async def mw(request: object, handler: object) -> None:
        return None

    assert middleware(mw) is mw
    assert mw.__middleware_version__ == 1  # type: ignore[attr-defined]
    assert normalize_path_middleware().__middleware_version__ == 1  # type: ignore[attr-defined]
