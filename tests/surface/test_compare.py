"""The surface check's judgement, on small synthetic packages read by the same introspection
script that reads aiohttp 3.14.5 and this package (no venv needed)."""

from __future__ import annotations

from collections.abc import Callable

from tests.surface.conftest import Compared, Files

Surfaces = Callable[[Files, Files], Compared]

CONNECT = """
__all__ = ("connect",)
def connect(host, port=80, *, ssl=True, timeout=300):
    pass
"""


def test_identical_surfaces_have_no_differences(surfaces: Surfaces) -> None:
    assert surfaces(CONNECT, CONNECT) == (set(), set())


def test_missing_parameter(surfaces: Surfaces) -> None:
    ours = CONNECT.replace("*, ssl=True, ", "*, ")
    differences, _ = surfaces(CONNECT, ours)
    assert differences == {"aiohttp:connect:param ssl missing"}


def test_changed_default_shows_both_values(surfaces: Surfaces) -> None:
    differences, _ = surfaces(CONNECT, CONNECT.replace("timeout=300", "timeout=60"))
    assert differences == {"aiohttp:connect:param timeout default 300 != 60"}


def test_a_default_that_became_required(surfaces: Surfaces) -> None:
    differences, _ = surfaces(CONNECT, CONNECT.replace("port=80", "port"))
    assert differences == {"aiohttp:connect:param port default 80 != <required>"}


def test_an_integral_float_default_is_the_same_default(surfaces: Surfaces) -> None:
    assert surfaces(CONNECT, CONNECT.replace("timeout=300", "timeout=300.0")) == (set(), set())


def test_annotations_are_not_compared(surfaces: Surfaces) -> None:
    ours = CONNECT.replace("def connect(host, port=80", "def connect(host: 'str', port: int = 80")
    assert surfaces(CONNECT, ours) == (set(), set())


def test_parameter_kind_and_order(surfaces: Surfaces) -> None:
    ours = CONNECT.replace("host, port=80, *, ssl=True", "port=80, host=None, ssl=True, *")
    differences, extras = surfaces(CONNECT, ours)
    assert differences == {
        "aiohttp:connect:param ssl kind keyword-only != positional-or-keyword",
        "aiohttp:connect:positional order (host, port) != (port, host)",
    }
    assert extras == {"aiohttp:connect:param host optional"}


def test_an_extra_optional_parameter_is_information(surfaces: Surfaces) -> None:
    ours = CONNECT.replace("timeout=300", "timeout=300, proxy=None")
    assert surfaces(CONNECT, ours) == (set(), {"aiohttp:connect:param proxy extra"})


def test_an_extra_required_or_inserted_parameter_breaks_callers(surfaces: Surfaces) -> None:
    differences, _ = surfaces(CONNECT, CONNECT.replace("host, port=80", "host, loop, port=80"))
    assert differences == {
        "aiohttp:connect:param loop extra and required",
        "aiohttp:connect:param loop extra before port",
    }


SENTINEL_REF = """
import enum
__all__ = ("request",)
class _SENTINEL(enum.Enum):
    sentinel = enum.auto()
sentinel = _SENTINEL.sentinel
def request(method, *, timeout=sentinel, params=None):
    pass
"""


def test_sentinels_compare_equal_whatever_they_are_made_of(surfaces: Surfaces) -> None:
    ours = """
    __all__ = ("request",)
    _NOT_GIVEN = object()
    def request(method, *, timeout=_NOT_GIVEN, params=None):
        pass
    """
    assert surfaces(SENTINEL_REF, ours) == (set(), set())


def test_a_sentinel_is_not_none(surfaces: Surfaces) -> None:
    differences, _ = surfaces(
        SENTINEL_REF, SENTINEL_REF.replace("timeout=sentinel", "timeout=None")
    )
    assert differences == {"aiohttp:request:param timeout default <sentinel> != None"}


def test_function_and_class_defaults_by_name_without_addresses(surfaces: Surfaces) -> None:
    ref = """
    import json, logging
    __all__ = ("Logger", "run")
    class Logger: pass
    def run(*, dumps=json.dumps, log_class=Logger, log=logging.getLogger("x.y"), flags={"b", "a"}):
        pass
    """
    assert surfaces(ref, ref) == (set(), set())
    differences, _ = surfaces(ref, ref.replace("dumps=json.dumps", "dumps=lambda o: ''"))
    assert differences == {"aiohttp:run:param dumps default json.dumps != <lambda>"}


SESSION = """
__all__ = ("Session",)
class Session:
    retries = 3
    def __init__(self, *, limit=100):
        self.timeout = 5
    async def close(self):
        pass
    async def __aenter__(self):
        return self
    async def __aexit__(self, exc_type, exc_val, exc_tb):
        pass
    @property
    def closed(self):
        return False
"""


def test_missing_member(surfaces: Surfaces) -> None:
    ours = SESSION.replace("    @property\n    def closed(self):\n        return False\n", "")
    differences, _ = surfaces(SESSION, ours)
    assert differences == {"aiohttp:Session.closed missing"}


def test_missing_context_manager_and_instance_attribute(surfaces: Surfaces) -> None:
    ours = """
    __all__ = ("Session",)
    class Session:
        retries = 3
        def __init__(self, *, limit=100):
            pass
        async def close(self):
            pass
        closed = False
    """
    differences, _ = surfaces(SESSION, ours)
    assert differences == {
        "aiohttp:Session.__aenter__ missing",
        "aiohttp:Session.__aexit__ missing",
        "aiohttp:Session.timeout missing",
    }


def test_member_kind_value_and_constructor(surfaces: Surfaces) -> None:
    ours = (
        SESSION.replace("async def close", "def close")
        .replace("retries = 3", "retries = 5")
        .replace("limit=100", "limit=10")
    )
    differences, _ = surfaces(SESSION, ours)
    assert differences == {
        "aiohttp:Session.close kind coroutine method != method",
        "aiohttp:Session.retries value 3 != 5",
        "aiohttp:Session.__init__:param limit default 100 != 10",
    }


def test_protocol_dunders_are_compared_by_position(surfaces: Surfaces) -> None:
    ours = SESSION.replace("exc_type, exc_val, exc_tb", "et, exc, tb")
    assert surfaces(SESSION, ours) == (set(), set())
    differences, _ = surfaces(SESSION, SESSION.replace(", exc_val, exc_tb", ", *exc"))
    assert differences == {
        "aiohttp:Session.__aexit__:param #2 missing",
        "aiohttp:Session.__aexit__:param #3 missing",
    }


EXCEPTIONS = """
import enum
__all__ = ("ClientError", "PayloadError", "Code")
class ClientError(Exception): pass
class PayloadError(ClientError, ValueError): pass
class Code(enum.IntEnum):
    OK = 1000
    GOING_AWAY = 1001
"""


def test_exception_bases_and_enum_members(surfaces: Surfaces) -> None:
    ours = EXCEPTIONS.replace("(ClientError, ValueError)", "(ClientError)").replace(
        "GOING_AWAY = 1001", "GOING_AWAY = 1002\n    ABNORMAL = 1006"
    )
    differences, extras = surfaces(EXCEPTIONS, ours)
    assert differences == {
        "aiohttp:PayloadError base ValueError missing",
        "aiohttp:Code.GOING_AWAY value 1001 != 1002",
    }
    assert extras == {"aiohttp:Code.ABNORMAL extra"}


def test_an_inherited_member_is_compared_once_on_its_base(surfaces: Surfaces) -> None:
    ref = """
    __all__ = ("Payload", "BytesPayload", "JsonPayload")
    class Payload:
        def decode(self, encoding="utf-8"): pass
    class BytesPayload(Payload): pass
    class JsonPayload(BytesPayload):
        def decode(self, encoding="utf-8"): pass
    """
    ours = """
    __all__ = ("Payload", "BytesPayload", "JsonPayload")
    class Payload: pass
    class BytesPayload(Payload): pass
    class JsonPayload(BytesPayload): pass
    """
    differences, _ = surfaces(ref, ours)
    assert differences == {"aiohttp:Payload.decode missing", "aiohttp:JsonPayload.decode missing"}


def test_modules_names_kinds_and_all(surfaces: Surfaces) -> None:
    ref = {
        "__init__.py": "__all__ = ('get', 'TIMEOUT')\nasync def get(): pass\nTIMEOUT = 5\n",
        "log.py": "import logging\naccess_logger = logging.getLogger('aiohttp.access')\n",
        "streams.py": "__all__ = ('EofStream',)\nclass EofStream(Exception): pass\n",
        "_private.py": "X = 1\n",
    }
    ours = {
        "__init__.py": "__all__ = ('get', 'TIMEOUT')\ndef get(): pass\nTIMEOUT = 5.5\n",
        "streams.py": "class EofStream(Exception): pass\n",
    }
    differences, _ = surfaces(ref, ours)
    assert differences == {
        "aiohttp:get kind coroutine function != function",
        "aiohttp:TIMEOUT type int != float",
        "aiohttp.log missing",
        "aiohttp.streams:__all__ missing",
    }


def test_public_names_without_all_are_what_the_module_itself_defines(surfaces: Surfaces) -> None:
    ref = {
        "__init__.py": "",
        "helpers.py": """
            import asyncio
            from typing import Any, TYPE_CHECKING
            from multidict import CIMultiDict
            from .other import Thing
            if TYPE_CHECKING:
                from .other import Thing as Hidden
            else:
                Hidden = Any
            PY_311 = True
            def helper(): pass
            """,
        "other.py": "__all__ = ('Thing',)\nclass Thing: pass\n",
    }
    ours = {"__init__.py": "", "helpers.py": "", "other.py": ref["other.py"]}
    differences, _ = surfaces(ref, ours)
    missing = {"CIMultiDict", "Thing", "PY_311", "helper"}
    assert differences == {f"aiohttp.helpers:{name} missing" for name in missing}


def test_where_3x_has_no_all_a_name_that_imports_is_present(surfaces: Surfaces) -> None:
    other = "__all__ = ('Thing',)\nclass Thing: pass\n"
    ref = {"__init__.py": "", "other.py": other, "helpers.py": "from .other import Thing\n"}
    ours = {
        "__init__.py": "",
        "other.py": other,
        "helpers.py": "from .other import Thing\n__all__ = ()\n",
        "listed.py": "from .other import Thing\n__all__ = ()\n",
    }
    assert surfaces(ref, ours)[0] == set()
    # With __all__ in 3.14.5, the name must be listed: star imports see only those.
    ref["listed.py"] = "from .other import Thing\n__all__ = ('Thing',)\n"
    assert surfaces(ref, ours)[0] == {"aiohttp.listed:Thing missing"}


def test_one_object_under_two_names_stays_one_object(surfaces: Surfaces) -> None:
    ref = {
        "__init__.py": "from .web_request import Request\n__all__ = ('Request',)\n",
        "web_request.py": "__all__ = ('Request',)\nclass Request:\n    def json(self): pass\n",
    }
    ours = {
        "__init__.py": "__all__ = ('Request',)\nclass Request:\n    def json(self): pass\n",
        "web_request.py": "__all__ = ('Request',)\nclass Request:\n    def text(self): pass\n",
    }
    differences, extras = surfaces(ref, ours)
    assert differences == {
        "aiohttp.web_request:Request.json missing",
        "aiohttp:Request is not aiohttp.web_request:Request",
    }
    assert extras == {"aiohttp.web_request:Request.text extra"}


def test_extras_are_information_only(surfaces: Surfaces) -> None:
    ours = {
        "__init__.py": CONNECT.replace('("connect",)', '("connect", "Fast")')
        + "class Fast: pass\n",
        "wsgi.py": "__all__ = ()\n",
    }
    differences, extras = surfaces(CONNECT, ours)
    assert differences == set()
    assert extras == {"aiohttp:Fast extra", "aiohttp.wsgi extra"}
