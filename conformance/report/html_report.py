"""A static HTML page: one row per case, failures first, readable offline, sortable, filterable.

Everything is inline (style and a short script), so the file can be opened from disk or attached
to a CI run. A table of counts per RFC section comes first (click a section to filter on it);
the cases follow with FAIL, ERROR and NON-STRICT at the top. Click a column heading to sort; type
in the box to filter on any text; tick verdicts to show only those.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from conformance.model import Result, Verdict

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#eee;cursor:pointer;position:sticky;top:0}
td.v{font-weight:bold;white-space:nowrap}
tr.PASS td.v{color:#070} tr.FAIL td.v{color:#b00}
tr.NON-STRICT td.v{color:#a60} tr.INFORMATIONAL td.v{color:#357} tr.ERROR td.v{color:#707}
pre{white-space:pre-wrap;word-break:break-all;margin:0;font-size:12px}
details summary{cursor:pointer;color:#335}
#sections{width:auto;margin-bottom:1em} #sections td{text-align:right}
#sections td:first-child{text-align:left}
"""

_SCRIPT = """
const rows=[...document.querySelectorAll('#cases tbody tr')];
function filter(){
  const q=document.getElementById('q').value.toLowerCase();
  const on=new Set([...document.querySelectorAll('.vf:checked')].map(e=>e.value));
  let n=0;
  for(const r of rows){
    const show=on.has(r.dataset.verdict)&&r.textContent.toLowerCase().includes(q);
    r.hidden=!show; if(show)n++;
  }
  document.getElementById('shown').textContent=n;
}
document.querySelectorAll('#cases th').forEach((th,i)=>th.addEventListener('click',()=>{
  const body=document.querySelector('#cases tbody');
  const dir=th.dataset.dir==='1'?-1:1; th.dataset.dir=dir;
  rows.sort((a,b)=>a.cells[i].dataset.k.localeCompare(b.cells[i].dataset.k,undefined,{numeric:true})*dir);
  rows.forEach(r=>body.appendChild(r));
}));
document.getElementById('q').addEventListener('input',filter);
document.querySelectorAll('#sections a').forEach(a=>a.addEventListener('click',e=>{
  e.preventDefault(); document.getElementById('q').value=a.dataset.q; filter();
}));
document.querySelectorAll('.vf').forEach(e=>e.addEventListener('change',filter));
filter();
"""


def _cell(text: str, key: str | None = None, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<td{klass} data-k="{escape(key if key is not None else text)}">{escape(text)}</td>'


def _row(result: Result) -> str:
    case = result.case
    source, sentence = case.quote
    detail = (
        "<details><summary>bytes</summary>"
        + (f"<b>quote (RFC {escape(source)})</b><pre>{escape(sentence)}</pre>" if source else "")
        + f"<b>sent</b><pre>{escape(result.sent)}</pre>"
        f"<b>expected</b><pre>{escape(result.expected)}</pre>"
        f"<b>observed</b><pre>{escape(result.observed)}</pre></details>"
    )
    return (
        f'<tr class="{result.verdict.value}" data-verdict="{result.verdict.value}" id="{case.id}">'
        + _cell(case.id)
        + _cell(case.side)
        + _cell(", ".join(case.rfc), case.section)
        + _cell(case.level)
        + _cell(result.verdict.value, cls="v")
        + _cell(case.description)
        + _cell(result.reason)
        + f'<td data-k="">{detail}</td></tr>'
    )


#: Row order of the page: what needs attention first.
ORDER = {
    Verdict.FAIL: 0,
    Verdict.ERROR: 1,
    Verdict.NON_STRICT: 2,
    Verdict.INFORMATIONAL: 3,
    Verdict.PASS: 4,
}


def failures_first(results: list[Result]) -> list[Result]:
    """The results with FAIL, then ERROR, NON-STRICT, INFORMATIONAL and PASS; case order within."""
    return sorted(results, key=lambda r: ORDER[r.verdict])


def section_counts(results: list[Result]) -> dict[str, Counter[str]]:
    """Verdict counts per main RFC section (the case's first citation), in section order."""
    table: dict[str, Counter[str]] = {}
    for result in results:
        table.setdefault(result.case.rfc[0], Counter())[result.verdict.value] += 1
    return dict(sorted(table.items(), key=lambda item: _section_key(item[0])))


def _section_key(citation: str) -> tuple[str, tuple[int, ...]]:
    rfc, _, number = citation.partition(" §")
    parts = tuple(int(p) if p.isdigit() else 1000 + ord(p[0]) for p in number.split("."))
    return rfc, parts


def _sections_table(results: list[Result]) -> str:
    heads = "".join(f"<th>{v.value}</th>" for v in Verdict)
    rows = []
    for citation, counts in section_counts(results).items():
        cells = "".join(f"<td>{counts.get(v.value, 0) or ''}</td>" for v in Verdict)
        link = f'<a href="#" data-q="{escape(citation)}">RFC {escape(citation)}</a>'
        rows.append(f"<tr><td>{link}</td><td>{sum(counts.values())}</td>{cells}</tr>")
    return (
        f'<table id="sections"><thead><tr><th>section</th><th>cases</th>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(results: list[Result], meta: dict[str, str]) -> str:
    """The whole page as text."""
    counts = Counter(r.verdict.value for r in results)
    boxes = " ".join(
        f'<label><input type="checkbox" class="vf" value="{v.value}" checked> '
        f"{v.value} ({counts.get(v.value, 0)})</label>"
        for v in Verdict
    )
    title = f"Conformance report: {escape(meta.get('target', ''))}"
    facts = " · ".join(f"{escape(k)}: {escape(v)}" for k, v in sorted(meta.items()))
    heads = "".join(
        f"<th>{name}</th>"
        for name in ("id", "side", "RFC", "level", "verdict", "description", "reason", "bytes")
    )
    body = "\n".join(_row(r) for r in failures_first(results))
    return (
        f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1><p>{facts}</p>"
        f"<h2>By section</h2>{_sections_table(results)}<h2>Cases, failures first</h2>"
        f'<p><input id="q" placeholder="filter" size="40"> {boxes} · '
        f'<span id="shown">{len(results)}</span> shown</p>'
        f'<table id="cases"><thead><tr>{heads}</tr></thead><tbody>\n{body}\n</tbody></table>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def write_html(results: list[Result], path: Path, meta: dict[str, str]) -> None:
    """Write the HTML report to ``path``."""
    path.write_text(render_html(results, meta), encoding="utf-8", errors="backslashreplace")
