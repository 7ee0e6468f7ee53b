"""A static HTML page: one row per case, readable offline, sortable and filterable.

Everything is inline (style and a short script), so the file can be opened from disk or attached
to a CI run. Click a column heading to sort; type in the box to filter on any text; tick verdicts
to show only those.
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
document.querySelectorAll('.vf').forEach(e=>e.addEventListener('change',filter));
filter();
"""


def _cell(text: str, key: str | None = None, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<td{klass} data-k="{escape(key if key is not None else text)}">{escape(text)}</td>'


def _row(result: Result) -> str:
    case = result.case
    detail = (
        "<details><summary>bytes</summary>"
        f"<b>sent</b><pre>{escape(result.sent)}</pre>"
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
    body = "\n".join(_row(r) for r in results)
    return (
        f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1><p>{facts}</p>"
        f'<p><input id="q" placeholder="filter" size="40"> {boxes} · '
        f'<span id="shown">{len(results)}</span> shown</p>'
        f'<table id="cases"><thead><tr>{heads}</tr></thead><tbody>\n{body}\n</tbody></table>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def write_html(results: list[Result], path: Path, meta: dict[str, str]) -> None:
    """Write the HTML report to ``path``."""
    path.write_text(render_html(results, meta), encoding="utf-8")
