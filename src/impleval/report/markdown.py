"""Markdown blocks of the generated report, in the plain Quarto syntax both renderers read.

- sections: `## Title {#sec-id}` (numbered by the renderer),
- figures: `![caption](figures/x.png){#fig-x fig-alt="…"}` alone in a paragraph,
- tables: a pipe table followed by `: caption {#tbl-x}`, inside a `.table-scroll` div so that a
  wide table scrolls in its own box on a phone, with the table's data as an embedded CSV link
  (a raw HTML block: see `csv_link`),
- callouts: `::: {.callout-note}`.
Free text from the data (labels, quotes) is escaped so it shows as text, never as markup.
"""

from __future__ import annotations

import base64
import html
import re

import pandas as pd

_SPECIAL = re.compile(r"([\\`*_\[\]<>@#$|~^])")


def escape(text) -> str:
    """Markdown-safe inline text: emphasis, links, references, HTML and pipes show literally."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def attribute(text) -> str:
    return str(text).replace("\\", "\\\\").replace('"', "&quot;").replace("\n", " ")


def heading(
    title: str, level: int, identifier: str | None = None, *, unnumbered: bool = False
) -> str:
    attrs = []
    if identifier:
        attrs.append(f"#{identifier}")
    if unnumbered:
        attrs.append(".unnumbered")
    suffix = f" {{{' '.join(attrs)}}}" if attrs else ""
    return f"{'#' * level} {title}{suffix}"


def figure(path: str, caption: str, alt: str, identifier: str) -> str:
    return f'![{caption}]({path}){{#{identifier} fig-alt="{attribute(alt)}"}}'


def pipe_table(frame: pd.DataFrame, right_align: set[str] | frozenset[str] = frozenset()) -> str:
    """Pandoc/Quarto pipe table of already formatted text cells."""
    headers = [escape(h) for h in frame.columns]
    align = ["---:" if h in right_align else ":---" for h in frame.columns]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


def csv_link(frame: pd.DataFrame, filename: str, label: str) -> str:
    """A link that downloads `frame` as CSV from the HTML file itself (a data: URI, so the one
    file still works offline).

    Written as a raw HTML block (```{=html}), which Quarto and pandoc pass through unchanged,
    rather than as a Markdown link `[label](data:…){download=…}`: pandoc's Markdown reader took
    0.4–0.7 s to parse the base64 of the report's 21 links as link targets, of a 1.1–1.9 s read.
    The HTML is the element pandoc wrote for that link (same attributes, in its order; the
    label and file name HTML-escaped as pandoc escapes them). `label` is plain text (a phrase):
    pandoc's typographic quotes and dashes are not applied to it."""
    data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    uri = "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")
    link = (
        f'<p><a href="{uri}" class="csv-download" download="{html.escape(filename)}">'
        f"{html.escape(label, quote=False)}</a></p>"
    )
    return f"```{{=html}}\n{link}\n```"


def table(body: str, caption: str, identifier: str, *, note: str = "", download: str = "") -> str:
    """A captioned, cross-referenceable table block. `body` is a pipe table of formatted cells."""
    # A focusable, labelled region: a keyboard user can scroll a wide table (WCAG 2.1.1).
    label = attribute(re.sub(r"[*_`\\]|\[@[^\]]*\]", "", caption))
    box = f'::: {{.table-scroll tabindex="0" role="region" aria-label="{label}"}}'
    parts = [box, body, "", f": {caption} {{#{identifier}}}", ":::"]
    if note:
        parts += ["", f"::: {{.table-note}}\n{note}\n:::"]
    if download:
        parts += ["", f"::: {{.table-download}}\n{download}\n:::"]
    return "\n".join(parts)


def callout(kind: str, body: str, title: str = "", classes: str = "") -> str:
    """A Quarto callout; the title as an attribute, so it is never counted as a section."""
    extra = "".join(f" .{c}" for c in classes.split())
    title_attr = f' title="{attribute(title)}"' if title else ""
    return f"::: {{.callout-{kind}{extra}{title_attr}}}\n{body.strip()}\n:::"


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def blocks(*parts: str | None) -> str:
    """Join non-empty blocks with blank lines."""
    return "\n\n".join(p.strip("\n") for p in parts if p and p.strip()) + "\n"
