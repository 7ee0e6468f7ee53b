"""``python -m conformance matrix``: the corpus against other HTTP stacks, side by side.

Each stack is installed as it ships, in a virtualenv of its own under ``build/matrix/`` (or from
the system: nginx through ``tools/system-deps.sh``, curl, the standard library), started on a
free loopback port (a server) or behind its persistent driver (a client), and run through the
whole corpus. One table goes to ``docs/conformance_matrix.rst`` with the date, the versions, the
verdict counts and, for each stack, its MUST failures with the sentence each one breaks. The
per-stack reports (JSON, HTML, JUnit) stay in ``build/matrix/reports/``.

``--stacks a,b`` picks stacks; ``--cases`` and ``--protocol`` narrow the corpus as for a normal
run; ``--out`` writes the page elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from conformance.cli import run_cases
from conformance.driver import DriverClient
from conformance.model import Case, Result, Verdict
from conformance.registry import Target, load_cases
from conformance.report import write_all
from conformance.targets import ServerTarget

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "matrix"
PEERS = Path(__file__).resolve().parent / "peers"
WS_PEERS = Path(__file__).resolve().parent / "websocket" / "peers"
PAGE = ROOT / "docs" / "conformance_matrix.rst"


@dataclass(frozen=True)
class Stack:
    """One stack of the matrix.

    Attributes:
        name: its name in the table.
        side: ``"server"`` or ``"client"``.
        venv: the virtualenv it is installed in, or ``""`` for the system's.
        requires: what pip installs in that virtualenv (as released).
        version_of: the distribution whose version the table shows (or a command that prints it).
        protocols: the protocols it speaks.
        how: server: a command with ``{python}`` and ``{port}``; client: a driver name.
        jobs: cases at once, when the stack cannot serve ``--jobs`` of them (a server of one
            single-threaded worker serves one connection at a time, so cases would wait their
            time bounds away in its backlog).
    """

    name: str
    side: str
    venv: str
    requires: tuple[str, ...]
    version_of: str
    protocols: tuple[str, ...]
    how: str
    jobs: int | None = None


_ASGI = "--app-dir {peers} asgi_app:app --host 127.0.0.1 --port {port} --log-level warning"
STACKS = [
    Stack("uvicorn+h11", "server", "uvicorn", ("uvicorn", "h11", "websockets"), "uvicorn",
          ("http1", "websocket"), "{python} -m uvicorn --http h11 --ws websockets " + _ASGI),
    Stack("uvicorn+httptools", "server", "uvicorn-httptools",
          ("uvicorn", "httptools", "websockets"), "uvicorn", ("http1", "websocket"),
          "{python} -m uvicorn --http httptools --ws websockets " + _ASGI),
    Stack("hypercorn", "server", "hypercorn", ("hypercorn",), "hypercorn", ("http1", "websocket"),
          "{python} -m hypercorn --bind 127.0.0.1:{port} --log-level warning asgi_app:app"),
    Stack("gunicorn sync", "server", "gunicorn", ("gunicorn",), "gunicorn", ("http1",),
          "{python} -m gunicorn --chdir {peers} --workers 1 --worker-class sync "
          "--bind 127.0.0.1:{port} --log-level warning wsgi_app:app", jobs=1),
    Stack("nginx", "server", "", (), "nginx", ("http1",), "nginx"),
    Stack("http.server", "server", "", (), "python", ("http1",), "stdlib"),
    Stack("aiohttp 3.14.5", "server", "aiohttp", ("aiohttp==3.14.5",), "aiohttp",
          ("http1", "websocket"), "{python} {peers}/aiohttp_app.py {port}"),
    Stack("websockets", "server", "websockets", ("websockets",), "websockets", ("websocket",),
          "{python} {ws_peers}/websockets_echo.py server {port}"),
    Stack("curl", "client", "", (), "curl", ("http1",), "curl"),
    Stack("urllib", "client", "", (), "python", ("http1",), "urllib"),
    Stack("http.client", "client", "", (), "python", ("http1",), "http.client"),
    Stack("requests", "client", "requests", ("requests",), "requests", ("http1",), "requests"),
    Stack("httpx", "client", "httpx", ("httpx",), "httpx", ("http1",), "httpx"),
    Stack("aiohttp 3.14.5 client", "client", "aiohttp", ("aiohttp==3.14.5",), "aiohttp",
          ("http1", "websocket"), "aiohttp"),
    Stack("websockets client", "client", "websockets", ("websockets",), "websockets",
          ("websocket",), "websockets"),
    Stack("this library", "server", "", (), "aiohttp-here", ("http1", "websocket"), "in-process"),
    Stack("this library's client", "client", "", (), "aiohttp-here", ("http1", "websocket"),
          "in-process"),
]  # fmt: skip
BY_NAME = {stack.name: stack for stack in STACKS}


def python_of(stack: Stack) -> str:
    """The interpreter that runs the stack (its virtualenv's, or this one)."""
    return str(BUILD / stack.venv / "bin" / "python") if stack.venv else sys.executable


def install(stack: Stack) -> None:
    """Create the stack's virtualenv and install what it needs, as released (once).

    Raises:
        RuntimeError: the installation failed.
    """
    if stack.name == "nginx":
        subprocess.run(["bash", str(ROOT / "tools" / "system-deps.sh"), "nginx"], check=True)
        return
    if not stack.venv:
        return
    home = BUILD / stack.venv
    marker = home / ".installed"
    if marker.exists() and marker.read_text() == " ".join(stack.requires):
        return
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "-q", *stack.requires]
    done = subprocess.run(pip, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(stack.requires)}: {done.stderr[-500:]}")
    marker.write_text(" ".join(stack.requires))


def version(stack: Stack) -> str:
    """The version of the stack as run."""
    if stack.version_of == "python":
        return f"Python {sys.version.split()[0]}"
    if stack.version_of == "aiohttp-here":
        from conformance.adapters.aiohttp_adapter import VERSION

        return VERSION
    if stack.version_of in ("nginx", "curl"):
        from conformance.peers.nginx import nginx_binary

        binary = nginx_binary() if stack.version_of == "nginx" else shutil.which("curl")
        if binary is None:
            return "not installed"
        out = subprocess.run([binary, "-v" if stack.version_of == "nginx" else "--version"],
                             capture_output=True, text=True, check=False)  # fmt: skip
        words = (out.stderr + out.stdout).split()
        return words[2].split("/")[-1] if stack.version_of == "nginx" else words[1]
    code = f"import importlib.metadata as m; print(m.version({stack.version_of!r}))"
    out = subprocess.run([python_of(stack), "-c", code], capture_output=True, text=True,
                         check=False, cwd=tempfile.gettempdir())  # fmt: skip
    return out.stdout.strip() or "?"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start listening")


@contextlib.contextmanager
def serving(stack: Stack) -> Iterator[ServerTarget]:
    """Start a server stack on a free port for the duration of the block."""
    if stack.how == "in-process":
        raise LookupError("served in-process")
    if stack.how == "stdlib":
        from conformance.peers.stdlib_server import running

        with running() as (host, port):
            yield ServerTarget(host, port, stack.name)
        return
    if stack.how == "nginx":
        from conformance.peers.nginx import running_nginx

        with running_nginx() as url:
            yield ServerTarget.from_url(url)
        return
    port = _free_port()
    command = stack.how.format(python=python_of(stack), port=port, peers=PEERS, ws_peers=WS_PEERS)
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen(
            command, shell=True, cwd=PEERS if "hypercorn" in command else cwd,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            _wait_port(port, proc)
            yield ServerTarget("127.0.0.1", port, stack.name)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()


@contextlib.asynccontextmanager
async def driving(stack: Stack) -> AsyncIterator[DriverClient]:
    """Start a client stack's driver for the duration of the block."""
    spec = stack.how if not stack.venv else f"{stack.how}@{python_of(stack)}"
    with tempfile.TemporaryDirectory() as cwd:
        driver = DriverClient(spec, cwd=cwd)
        await driver.start()
        try:
            yield driver
        finally:
            await driver.aclose()


async def run_stack(stack: Stack, cases: list[Case], jobs: int) -> list[Result]:
    """The results of ``cases`` (those of the stack's side and protocols) against ``stack``."""
    chosen = [c for c in cases if c.side == stack.side and c.protocol in stack.protocols]
    if stack.how == "in-process":
        from conformance.adapters import aiohttp_adapter

        if stack.side == "client":
            target = Target(client=aiohttp_adapter.AiohttpClient(), name=stack.name)
            return await run_cases(chosen, target, jobs)
        async with aiohttp_adapter.serve() as server:
            return await run_cases(chosen, Target(server=server, name=stack.name), jobs)
    if stack.side == "server":
        with serving(stack) as server:
            return await run_cases(chosen, Target(server=server, name=stack.name), jobs)
    async with driving(stack) as driver:
        return await run_cases(chosen, Target(client=driver, name=stack.name), jobs)


@dataclass
class Row:
    """One stack's line in the table."""

    stack: Stack
    version: str
    results: list[Result]
    seconds: float
    problem: str = ""

    def counts(self) -> Counter[str]:
        """Verdict counts, and ``MUST failed``."""
        counts = Counter(r.verdict.value for r in self.results)
        counts["MUST failed"] = len(self.must_failures())
        return counts

    def must_failures(self) -> list[Result]:
        """The FAIL verdicts of MUST cases."""
        return [r for r in self.results if r.verdict is Verdict.FAIL and r.case.level == "MUST"]


COLUMNS = ["PASS", "NON-STRICT", "INFORMATIONAL", "FAIL", "MUST failed", "ERROR"]


def _table(rows: list[Row], side: str) -> list[str]:
    chosen = [row for row in rows if row.stack.side == side]
    if not chosen:
        return []
    heads = ["stack", "version", "cases", *COLUMNS, "seconds"]
    body = []
    for row in chosen:
        counts = row.counts()
        if row.problem:
            body.append([row.stack.name, row.version, "", *([""] * len(COLUMNS)), row.problem])
            continue
        cells = [str(counts.get(name, 0)) for name in COLUMNS]
        seconds = f"{row.seconds:.0f}" if row.seconds else "-"  # not recorded by older runs
        body.append([row.stack.name, row.version, str(len(row.results)), *cells, seconds])
    widths = [max(len(h), *(len(line[i]) for line in body)) for i, h in enumerate(heads)]
    rule = "  ".join("=" * w for w in widths)

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [rule, fmt(heads), rule, *(fmt(line) for line in body), rule, ""]


def _failures(rows: list[Row]) -> list[str]:
    lines = ["MUST failures", "-------------", "",
             "Each MUST failure with the sentence it breaks (every one was checked against its",
             "sentence before this page was published).", ""]  # fmt: skip
    for row in rows:
        failures = row.must_failures()
        if not failures:
            continue
        title = f"{row.stack.name} {row.version}"
        lines += [title, "^" * len(title), ""]
        for result in failures:
            source, sentence = result.case.quote
            reason = result.reason.replace("`", "'")
            lines += [f"- ``{result.case.id}``: {_text(reason)}", "",
                      f"  RFC {source}: *{_text(sentence)}*", ""]  # fmt: skip
    return lines


def _text(text: str) -> str:
    return "".join("\\" + ch if ch in "*`|_\\" else ch for ch in text)


def render(rows: list[Row], cases: list[Case], when: str) -> str:
    """The matrix page as reStructuredText."""
    http = sum(c.protocol == "http1" for c in cases)
    ws = sum(c.protocol == "websocket" for c in cases)
    lines = [
        "Conformance matrix",
        "==================",
        "",
        f"Measured on {when} with ``python -m conformance matrix``, over loopback on a 2-core",
        f"machine, with a corpus of {http} HTTP/1.1 and {ws} WebSocket cases. Each stack runs as",
        "released, installed in a virtualenv of its own (or from the system), and serves the",
        "contract of ``conformance/cases/FORMAT.md`` (servers) or runs behind its persistent",
        'driver (clients). "MUST failed" counts FAIL verdicts of MUST cases; INFORMATIONAL holds',
        "the MAY cases and the cases that do not apply to the stack (no TLS endpoint, no",
        "persistent connections, no WebSocket). A row counts the cases of its side and",
        "protocols that were in the corpus when the stack ran.",
        "",
        "Servers",
        "-------",
        "",
        *_table(rows, "server"),
        "Clients",
        "-------",
        "",
        *_table(rows, "client"),
        *_failures(rows),
    ]
    return "\n".join(lines).rstrip() + "\n"


def build_parser() -> argparse.ArgumentParser:
    """The ``matrix`` arguments."""
    parser = argparse.ArgumentParser(prog="python -m conformance matrix", description=__doc__)
    parser.add_argument("--stacks", help="comma-separated stack names (default: all)")
    parser.add_argument("--cases", action="append", default=[], help="glob on case ids or files")
    parser.add_argument("--protocol", action="append", help="only these protocols")
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--out", type=Path, default=PAGE, help="the page to write")
    parser.add_argument("--reports", type=Path, default=BUILD / "reports")
    parser.add_argument("--list", action="store_true", help="list the stacks and exit")
    parser.add_argument(
        "--render",
        action="store_true",
        help="write the page from the reports of earlier runs (all stacks), running nothing",
    )
    return parser


async def _run(args: argparse.Namespace, stacks: list[Stack], cases: list[Case]) -> list[Row]:
    rows = []
    for stack in stacks:
        started = time.monotonic()
        try:
            await asyncio.to_thread(install, stack)
            results = await run_stack(stack, cases, stack.jobs or args.jobs)
        except Exception as exc:
            rows.append(Row(stack, "?", [], 0.0, f"could not run: {exc}"[:120]))
            print(f"matrix: {stack.name}: could not run: {exc}", file=sys.stderr)
            continue
        row = Row(stack, version(stack), results, time.monotonic() - started)
        rows.append(row)
        meta = {
            "target": f"{stack.name} {row.version}",
            "cases": str(len(results)),
            "seconds": f"{row.seconds:.1f}",
            "version": row.version,
        }
        write_all(results, _folder(args.reports, stack), meta)
        print(f"matrix: {stack.name} {row.version}: {dict(row.counts())}")
    return rows


def _folder(reports: Path, stack: Stack) -> Path:
    return reports / stack.name.replace(" ", "-").replace("+", "-").replace("'", "")


def rows_from_reports(reports: Path, stacks: list[Stack], cases: list[Case]) -> list[Row]:
    """The rows of earlier runs, read back from their JSON reports (``--render``)."""
    by_id = {case.id: case for case in cases}
    rows = []
    for stack in stacks:
        path = _folder(reports, stack) / "report.json"
        if not path.exists():
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        results = [
            Result(by_id[r["id"]], Verdict(r["verdict"]), r["reason"])
            for r in document["results"]
            if r["id"] in by_id
        ]
        meta = document["meta"]
        version = meta.get("version") or meta.get("target", "").removeprefix(stack.name).strip()
        rows.append(Row(stack, version or "?", results, float(meta.get("seconds", 0))))
    return rows


def main(argv: list[str]) -> int:
    """Run the matrix and write the page; 2 on a usage error, else 0."""
    args = build_parser().parse_args(argv)
    if args.list:
        for stack in STACKS:
            print(f"{stack.name:<24} {stack.side:<6} {','.join(stack.protocols)}")
        return 0
    names = [n.strip() for n in args.stacks.split(",")] if args.stacks else list(BY_NAME)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        print(f"matrix: unknown stacks {unknown}; known: {list(BY_NAME)}", file=sys.stderr)
        return 2
    protocols = tuple(args.protocol) if args.protocol else None
    cases = load_cases(args.cases, protocols=protocols)
    if args.render:
        rows = rows_from_reports(args.reports, [BY_NAME[n] for n in names], cases)
    else:
        rows = asyncio.run(_run(args, [BY_NAME[n] for n in names], cases))
    when = datetime.date.today().isoformat()
    args.out.write_text(render(rows, cases, when), encoding="utf-8")
    (args.reports / "matrix.json").write_text(json.dumps(
        [{"stack": r.stack.name, "version": r.version, "counts": dict(r.counts()),
          "problem": r.problem} for r in rows], indent=1) + "\n")  # fmt: skip
    print(f"matrix: wrote {args.out}")
    return 0
