"""The command line: ``python -m conformance {server,client,all} [target] [options]``.

Targets: ``--target aiohttp`` (this library's server and client, in-process), ``--url URL`` (any
server), ``--client-driver DRIVER`` (any client behind a persistent driver; ``curl``, ``urllib``,
``http.client``, ``requests``, ``httpx``, ``aiohttp`` and ``websockets`` name the shipped ones) and
``--client-cmd CMD`` (any client run once per request; ``curl``, ``urllib`` and ``http.client``
name the shipped templates). ``--time-scale F`` stretches every time bound. The exit status is 1
when any MUST case fails, 3 when none fails but some case could not be run (ERROR: trouble in the
harness or the driver), 2 on a usage or corpus error, else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

from conformance.driver import DRIVERS, DriverClient
from conformance.model import Case, CaseFileError, Result, Verdict, set_time_scale
from conformance.registry import Target, load_cases, protocols_with_cases, runner_for
from conformance.report import summary, write_all
from conformance.targets import CommandClient, ServerTarget

#: Seconds one case may take before the harness gives up on it.
CASE_LIMIT = 30.0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m conformance",
        description="Replay the HTTP/1.1 (and WebSocket) conformance corpus against a server "
        "and/or a client under test.",
    )
    parser.add_argument("side", choices=("server", "client", "all"))
    parser.add_argument("--target", choices=("aiohttp",), help="this library, in-process")
    parser.add_argument("--url", help="a server under test, e.g. http://127.0.0.1:8080/")
    parser.add_argument(
        "--tls-url",
        help="the same server over TLS, e.g. https://127.0.0.1:8443/ (for the TLS cases)",
    )
    parser.add_argument(
        "--client-cmd",
        help="a client under test: a command template with {url} (and optionally {timeout}), "
        "or one of: curl, urllib, http.client",
    )
    parser.add_argument(
        "--client-driver",
        help="a client under test behind a persistent driver (conformance/cases/DRIVER.md): "
        "a command line, or one of: " + ", ".join(DRIVERS) + " (NAME@/path/to/python runs it "
        "with that interpreter)",
    )
    parser.add_argument(
        "--cases", action="append", default=[], help="glob on case ids or file paths (repeatable)"
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        help="multiply every time bound of the corpus (default: CONFORMANCE_TIME_SCALE or 1)",
    )
    parser.add_argument(
        "--protocol",
        action="append",
        help="only these protocols (http1, websocket); default: every one with case files",
    )
    parser.add_argument("--report-dir", type=Path, default=Path("build/conformance"))
    parser.add_argument("--jobs", type=int, default=16, help="cases run at once (default 16)")
    parser.add_argument("--list", action="store_true", help="list the selected cases and exit")
    return parser


async def run_cases(cases: list[Case], target: Target, jobs: int) -> list[Result]:
    """Run ``cases`` against ``target``, at most ``jobs`` at a time, results in case order."""
    gate = asyncio.Semaphore(max(1, jobs))

    async def one(case: Case) -> Result:
        async with gate:
            started = time.monotonic()
            try:
                runner = runner_for(case.protocol)
                return await asyncio.wait_for(runner.run_case(case, target), CASE_LIMIT)
            except Exception as exc:  # a broken case, harness or driver must not stop the run
                return Result(
                    case,
                    Verdict.ERROR,
                    f"the case could not be run: {type(exc).__name__}: {exc}",
                    duration=time.monotonic() - started,
                )

    return list(await asyncio.gather(*(one(case) for case in cases)))


@contextlib.asynccontextmanager
async def open_target(args: argparse.Namespace, sides: tuple[str, ...]) -> AsyncIterator[Target]:
    """Start (or just describe) what is under test."""
    target = Target(name=_label(args), client_cmd=args.client_cmd)
    async with contextlib.AsyncExitStack() as stack:
        if args.target == "aiohttp":
            from conformance.adapters import aiohttp_adapter

            if "server" in sides:
                target.server = await stack.enter_async_context(aiohttp_adapter.serve())
            if "client" in sides:
                target.client = aiohttp_adapter.AiohttpClient()
        if args.url:
            target.server = ServerTarget.from_url(args.url, args.tls_url)
        if args.client_cmd:
            target.client = CommandClient(args.client_cmd)
        if args.client_driver:
            driver = DriverClient(args.client_driver)
            stack.push_async_callback(driver.aclose)
            await driver.start()
            target.client = driver
            target.name = driver.name
        yield target


def _sides(args: argparse.Namespace) -> tuple[str, ...]:
    if args.side != "all":
        return (args.side,)
    if args.target or (args.url and (args.client_cmd or args.client_driver)):
        return ("server", "client")
    return ("server",) if args.url else ("client",)


def _label(args: argparse.Namespace) -> str:
    if args.target:
        return str(args.target)
    return " + ".join(str(x) for x in (args.url, args.client_cmd, args.client_driver) if x)


async def _main(args: argparse.Namespace) -> int:
    sides = _sides(args)
    protocols = tuple(args.protocol) if args.protocol else protocols_with_cases()
    cases = load_cases(args.cases, sides=sides, protocols=protocols)
    if args.list:
        for case in cases:
            print(f"{case.id:<48} {case.side:<6} {case.level:<6} {case.description}")
        return 0
    started = time.monotonic()
    label = _label(args)
    try:
        async with open_target(args, sides) as target:
            label = target.name if args.client_driver else label
            results = await run_cases(cases, target, args.jobs)
    except Exception as exc:
        print(f"conformance: the target could not be started: {type(exc).__name__}: {exc}")
        results = [
            Result(case, Verdict.ERROR, f"the peer under test could not start: {exc}")
            for case in cases
        ]
    meta = {
        "target": label,
        "sides": ",".join(sides),
        "cases": str(len(cases)),
        "seconds": f"{time.monotonic() - started:.1f}",
        "python": sys.version.split()[0],
    }
    paths = write_all(results, args.report_dir, meta)
    print(
        f"report: {paths['html']} (also {paths['json'].name}, {paths['junit'].name}, "
        f"{paths['text'].name}) in {meta['seconds']} s"
    )
    print(summary(results, meta))
    return exit_status(results)


def exit_status(results: list[Result]) -> int:
    """1 when a MUST case failed, else 3 when a case could not be run (ERROR), else 0."""
    if any(r.verdict is Verdict.FAIL and r.case.level == "MUST" for r in results):
        return 1
    return 3 if any(r.verdict is Verdict.ERROR for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    ``coverage`` and ``matrix`` as the first word run those commands instead
    (:mod:`conformance.coverage`, :mod:`conformance.matrix`).
    """
    words = sys.argv[1:] if argv is None else argv
    if words[:1] == ["coverage"]:
        from conformance import coverage

        return coverage.main(words[1:])
    if words[:1] == ["matrix"]:
        from conformance import matrix

        return matrix.main(words[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    client = args.client_cmd or args.client_driver
    if args.client_cmd and args.client_driver:
        parser.error("give --client-cmd or --client-driver, not both")
    if not (args.target or args.url or client):
        args.target = "aiohttp"
    if args.side == "server" and client and not (args.url or args.target):
        parser.error("server cases need --url or --target")
    if args.side == "client" and args.url and not (client or args.target):
        parser.error("client cases need --client-cmd, --client-driver or --target")
    if args.time_scale is not None:
        if args.time_scale <= 0:
            parser.error("--time-scale must be positive")
        set_time_scale(args.time_scale)
    try:
        if args.url:
            ServerTarget.from_url(args.url)
        return asyncio.run(_main(args))
    except (CaseFileError, ValueError) as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    finally:
        set_time_scale(None)
