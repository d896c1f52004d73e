"""Checks of the rendered HTML and of the report's `.qmd` sources (no browser needed).

The browser tests (tests/browser/) add what only a real browser can see: images that decode
and paint, the accessibility scan, and the network requests actually made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

import yaml

from impleval.config import safe_load
from impleval.report.variables import MissingVariableError, check_keys

# Attributes through which a browser loads something by itself (a plain <a href> it does not).
LOADING_ATTRS = {"src", "srcset", "data", "poster", "background", "action", "formaction"}
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
CSS_REMOTE = re.compile(r"""(url\(\s*['"]?\s*(https?:)?//|@import\s+['"]?(https?:)?//)""", re.I)
RAW_MARKERS = ("#| ", ":::", "{{<", "?var:", "```")
BANNER = {"nb": "SYNTETISKE DEMODATA", "en": "SYNTHETIC DEMO DATA"}


class HtmlCheckError(AssertionError):
    pass


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self._skip = 0  # inside <script>/<style>: not visible text

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            if CSS_REMOTE.search(data):
                self.text.append("\x00REMOTE-CSS\x00")
        else:
            self.text.append(data)


def html_problems(
    html: str, *, language: str, renderer: str | None = None, synthetic: bool | None = None
) -> list[str]:
    scan = _Scan()
    scan.feed(html)
    text = re.sub(r"\s+", " ", "".join(scan.text))
    problems = []
    html_tag = next((a for t, a in scan.tags if t == "html"), {})
    if html_tag.get("lang", "").split("-")[0] != language:
        problems.append(f"<html lang> is {html_tag.get('lang')!r}, expected {language!r}")
    if scan.headings.count(1) != 1:
        problems.append(f"{scan.headings.count(1)} h1 elements, expected exactly one (the title)")
    for tag, attrs in scan.tags:
        for name, value in attrs.items():
            loads = name in LOADING_ATTRS or (name == "href" and tag in ("link", "base"))
            if loads and value and REMOTE.match(value):
                problems.append(f"<{tag} {name}> loads an external URL: {value[:80]}")
            if name == "style" and value and CSS_REMOTE.search(value):
                problems.append(f"<{tag} style> loads an external URL")
        if tag == "img":
            if not attrs.get("alt", "").strip():
                problems.append(f"image without alt text: {attrs.get('src', '')[:60]}")
            if not attrs.get("src", "").startswith("data:"):
                problems.append(f"image not embedded: {attrs.get('src', '')[:60]}")
        if (
            tag == "pre"
            or "sourceCode" in attrs.get("class", "")
            or "cell-code" in attrs.get("class", "")
        ):
            problems.append("code is shown on the page")
    if "\x00REMOTE-CSS\x00" in text:
        problems.append("a stylesheet loads an external URL")
    tables = html.count("<table")
    if tables and html.count("<th") < tables:
        problems.append("a table without header cells")
    for marker in RAW_MARKERS:
        if marker in text:
            problems.append(f"raw source visible on the page: {marker!r}")
    if re.search(r"(^|---)\s*title:\s", text):
        problems.append("raw YAML header visible on the page")
    meta = next(
        (a for t, a in scan.tags if t == "meta" and a.get("name") == "impleval-renderer"), None
    )
    if meta is None:
        problems.append("no <meta name='impleval-renderer'> stating the renderer")
    elif renderer:
        expected = "Quarto" if renderer == "quarto" else "fallback"
        if not meta.get("content", "").startswith(expected):
            problems.append(f"renderer meta says {meta.get('content')!r}, but {renderer} rendered")
        if re.sub(r"\s+", " ", meta.get("content", "")) not in text:
            problems.append("the renderer is not stated in a visible line")
    if synthetic is not None and (BANNER[language] in text) != synthetic:
        problems.append(
            f"synthetic-data banner {'missing' if synthetic else 'shown for real data'}"
        )
    return problems


def check_html(html: str, **kwargs) -> None:
    problems = html_problems(html, **kwargs)
    if problems:
        raise HtmlCheckError("rendered report fails its checks:\n  - " + "\n  - ".join(problems))


# --- static checks of the .qmd sources -------------------------------------------------------

FIG_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)\{([^}]*)\}")
ID = re.compile(r"#((?:fig|tbl)-[\w-]+)")
LABEL = re.compile(r"^#\|\s*label:\s*((?:fig|tbl)-[\w-]+)", re.M)
REF = re.compile(r"(?<![\w@])@((?:fig|tbl)-[\w-]*[\w])")


def source_problems(text: str, variables: Mapping | None = None) -> list[str]:
    """Problems in one report text with its includes expanded (frame + chapters)."""
    problems = []
    if text.startswith("---"):
        end = text.find("\n---", 3)
        try:
            header = safe_load(text[3:end])
            if not isinstance(header, dict) or "title" not in header:
                problems.append("YAML header without a title")
        except yaml.YAMLError as err:
            problems.append(f"invalid YAML header: {err}")
    else:
        problems.append("no YAML header")
    targets = set(LABEL.findall(text))
    for attrs in FIG_IMAGE.findall(text):
        ids = ID.findall(attrs)
        targets.update(ids)
        if ids and "fig-alt=" not in attrs:
            problems.append(f"figure {ids[0]} has no fig-alt")
    targets.update(re.findall(r"\{#(tbl-[\w-]+)\}", text))
    for ref in dict.fromkeys(REF.findall(text)):
        if ref not in targets:
            problems.append(f"cross-reference @{ref} has no target")
    if variables is not None:
        try:
            check_keys(text, variables)
        except MissingVariableError as err:
            problems.append(str(err))
    return problems


def check_sources(
    source: str | Path, variables: Mapping | None = None, languages=("nb", "en")
) -> dict[str, list[str]]:
    """Problems per frame (`report/index-<lang>.qmd` with includes expanded)."""
    from impleval.report.fallback import RenderError, expand_includes

    source = Path(source)
    out = {}
    for lang in languages:
        frame = source / f"index-{lang}.qmd"
        text = frame.read_text(encoding="utf-8")
        # Generated includes (banner) exist only in the build folder: treat them as empty.
        text = re.sub(r"\{\{<\s*include\s+_generated/\S+\s*>\}\}", "", text)
        try:
            out[lang] = source_problems(expand_includes(text, source), variables)
        except RenderError as err:  # e.g. a chapter not written yet
            out[lang] = [str(err)]
    return out
