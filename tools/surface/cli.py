"""The command line of ``tools/api_surface.py``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .allowlist import AllowlistError, parse, render
from .check import ALLOWLIST, ROOT, run_check, selector
from .reference import ReferenceUnavailable
from .report import as_json, as_text


def _arguments(description: str, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="api_surface.py",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--module",
        action="append",
        metavar="PATTERN",
        help="only these modules (shell-style pattern, e.g. 'aiohttp.web*'); repeatable",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON")
    parser.add_argument("--show-allowed", action="store_true", help="list allowed differences")
    parser.add_argument("--show-extras", action="store_true", help="list what only we have")
    parser.add_argument(
        "--write-allowlist",
        action="store_true",
        help="rewrite the allowlist to today's differences (reasons kept, new ones 'TODO: gap')",
    )
    parser.add_argument("--allowlist", type=Path, default=ALLOWLIST, metavar="PATH")
    parser.add_argument(
        "--reference-python",
        metavar="PATH",
        help="an interpreter that already has aiohttp 3.14.5 (instead of the cached venv)",
    )
    return parser.parse_args(argv)


def main(description: str, argv: list[str] | None = None) -> int:
    """Exit status: 0 when every difference is allowed and no entry is stale, 1 when not,
    2 when the reference or the allowlist cannot be read."""
    args = _arguments(description, argv)
    try:
        result = run_check(ROOT, args.allowlist, args.module, args.reference_python)
    except (ReferenceUnavailable, AllowlistError) as exc:
        print(f"api-surface: {exc}", file=sys.stderr)
        return 2
    if args.write_allowlist:
        text = args.allowlist.read_text() if args.allowlist.is_file() else ""
        entries = parse(text)
        args.allowlist.write_text(render(result.differences, entries, selector(args.module)))
        print(
            f"wrote {len(result.differences)} entries for the selected modules to {args.allowlist}"
        )
        return 0
    print(as_text(result, _shown(args.allowlist), args.show_allowed, args.show_extras))
    if args.json:
        args.json.write_text(json.dumps(as_json(result), indent=1) + "\n")
    return 0 if result.verdict.ok else 1


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
