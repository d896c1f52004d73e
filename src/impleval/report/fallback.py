"""The labelled fallback renderer: jupytext + jupyter-cache/nbclient + pandoc, no Quarto needed.

Steps: expand `{{< include >}}`, read the text as R Markdown with jupytext (it refuses `.qmd`
file names without Quarto, so it gets the text), execute the code cells (from jupyter-cache when
the code, including the injected input-hash cell, is unchanged), assemble markdown (YAML header
kept as pandoc metadata, code hidden, markdown outputs inserted, table cells wrapped in a
`#tbl-` div with their caption), substitute `{{< var >}}` values, then pandoc `--standalone
--embed-resources` with the Lua filters in `report/_filters/` (numbering, cross-references,
callouts, one h1). A document without code chunks (the generated report) goes straight from the
expanded text to the `{{< var >}}` substitution: jupytext would only split it into cells that are
joined again, and there is nothing to execute or cache (`has_code`, `plain_markdown`).
"""

from __future__ import annotations

import functools
import logging
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from impleval.config import safe_load
from impleval.report.variables import check_keys, substitute

log = logging.getLogger(__name__)

INCLUDE = re.compile(r"^[ \t]*\{\{<\s*include\s+(\S+)\s*>\}\}[ \t]*$", re.M)
OPTION = re.compile(r"^#\|\s?(.*)$")
# A line that may open an executable chunk for jupytext's R Markdown reader (```{python}, also
# ```{.python} to be safe); a raw block (```{=html}) stays Markdown. With none of these and no
# jupytext cell marker (<!-- #region -->, <!-- #raw -->...), jupytext would return the text as
# a header cell and Markdown cells (split only at blank lines), nothing to execute.
CODE_CHUNK = re.compile(r"^```\{(?!=)", re.M)
CELL_MARKER = "<!-- #"
TOC_TITLE = {"nb": "Innhold", "en": "Contents"}


class RenderError(RuntimeError):
    """The report cannot be rendered (a cell failed, an include or image is missing...)."""


@dataclass
class FallbackResult:
    html: Path
    executed: bool  # False when every cell output came from the cache
    n_code_cells: int
    warnings: list[str] = field(default_factory=list)


def expand_includes(text: str, base: Path, *, _stack: tuple[Path, ...] = ()) -> str:
    """Replace `{{< include path >}}` lines with the file's text (recursively).

    Paths resolve against the project folder (`base`), like the frame's includes in Quarto."""

    def repl(match: re.Match) -> str:
        path = (base / match.group(1)).resolve()
        if path in _stack:
            raise RenderError(f"include cycle at {match.group(1)}")
        if not path.exists():
            raise RenderError(f"included file not found: {match.group(1)}")
        inner = path.read_text(encoding="utf-8")
        return expand_includes(inner, base, _stack=_stack + (path,)).rstrip("\n")

    return INCLUDE.sub(repl, text)


def cell_options(source: str) -> tuple[dict, str]:
    """Split Quarto `#| key: value` option lines from a code cell's code."""
    lines = source.splitlines()
    opts = []
    i = 0
    while i < len(lines) and OPTION.match(lines[i]):
        opts.append(OPTION.match(lines[i]).group(1))
        i += 1
    options = safe_load("\n".join(opts)) if opts else {}
    return options or {}, "\n".join(lines[i:])


def _execute(nb, build: Path, cache_dir: Path | None, timeout: int) -> bool:
    """Execute `nb` in place (outputs filled); return True if a kernel ran, False on a cache hit."""
    import nbclient

    cache = None
    if cache_dir is not None:
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        try:
            _, merged = cache.merge_match_into_notebook(nb)
        except KeyError:
            pass
        else:
            nb.cells = merged.cells
            return False
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(build)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        raise RenderError(f"a report cell failed:\n{err}") from None
    if cache is not None:
        from jupyter_cache.base import CacheBundleIn

        for cell in nb.cells:  # jupyter-cache hashes cell metadata: keep only the code
            cell.metadata = {}
        cache.cache_notebook_bundle(
            CacheBundleIn(nb, uri=str(build / "index.qmd")), check_validity=False, overwrite=True
        )
    return True


def _markdown_outputs(cell, warnings: list[str]) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            if out.get("text", "").strip():
                warnings.append(f"cell printed to {out.name}: {out.text.strip()[:200]}")
            continue
        data = out.get("data", {})
        if "text/markdown" in data:
            parts.append(data["text/markdown"])
        elif data:
            warnings.append(f"cell output without markdown ignored ({', '.join(data)})")
    return "\n\n".join(p.strip("\n") for p in parts)


def _attr(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace('"', "&quot;")


def assemble(nb, variables: Mapping, warnings: list[str]) -> str:
    """Markdown for pandoc from the executed notebook: prose, header, cell outputs; no code."""
    blocks = []
    for cell in nb.cells:
        if cell.cell_type == "raw":
            blocks.append(substitute(cell.source, variables))
        elif cell.cell_type == "markdown":
            blocks.append(substitute(cell.source, variables))
        elif cell.cell_type == "code":
            options, _ = cell_options(cell.source)
            if options.get("include") is False or options.get("output") is False:
                continue
            body = _markdown_outputs(cell, warnings)
            if not body:
                continue
            label = str(options.get("label", ""))
            if label.startswith("tbl-"):
                cap = _attr(options.get("tbl-cap", ""))
                body = f'::: {{#{label} tbl-cap="{cap}"}}\n{body}\n:::'
            elif label:
                body = f"::: {{#{label}}}\n{body}\n:::"
            blocks.append(body)
    return "\n\n".join(b.strip("\n") for b in blocks if b.strip()) + "\n"


def front_matter(text: str) -> dict:
    """The YAML header of a Quarto document as a dict ({} when there is none)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end == -1:
        return {}
    data = safe_load(text[3:end])
    return data if isinstance(data, dict) else {}


@functools.cache
def pandoc_version() -> str:
    """The bundled pandoc's version (`pandoc --version`, run once per process)."""
    import pypandoc

    return pypandoc.get_pandoc_version()


def plain_markdown(text: str, variables: Mapping) -> str:
    """The Markdown for pandoc of a document without code (`has_code` false): `assemble` of
    jupytext's cells reads the same to pandoc (tests/unit/test_render_fallback.py)."""
    return substitute(text, variables).strip("\n") + "\n"


def has_code(text: str) -> bool:
    """Whether the document may hold a chunk that jupytext would make a code cell."""
    return bool(CODE_CHUNK.search(text)) or CELL_MARKER in text


def label(code: bool = False) -> str:
    """What the fallback uses for a document without code chunks (pandoc only) or with them
    (`code`: jupytext reads the cells, jupyter-cache runs them): the report names only the
    tools that made it."""
    tools = "jupytext + jupyter-cache + pandoc" if code else "pandoc"
    return f"fallback: {tools} {pandoc_version()}"


def render(
    build: str | Path,
    output: str | Path,
    *,
    variables: Mapping,
    language: str,
    cache: bool = True,
    timeout: int = 600,
) -> FallbackResult:
    """Render `build/index.qmd` to the self-contained HTML file `output`."""
    import pypandoc

    build, output = Path(build).resolve(), Path(output).resolve()
    text = expand_includes((build / "index.qmd").read_text(encoding="utf-8"), build)
    check_keys(text, variables, "index.qmd and its includes")
    warnings: list[str] = []
    if has_code(text):
        markdown, executed, n_code = _executed_markdown(
            text, build, variables, warnings, cache, timeout
        )
    else:
        # The generated report has no code chunk: nothing to execute or cache, and jupytext would
        # only split the text into cells that `assemble` joins again (the same Markdown). Not
        # importing jupytext, nbformat (and so jsonschema) and jupyter-cache saves 0.5 s.
        markdown = plain_markdown(text, variables)
        executed, n_code = False, 0
    for w in warnings:
        log.warning("%s", w)
    header = front_matter(text)
    crossref, one_h1 = build / "_filters" / "crossref.lua", build / "_filters" / "one-h1.lua"
    args = [
        "--standalone",
        "--embed-resources",
        "--toc",
        f"--toc-depth={int(header.get('toc-depth', 2))}",
        "--wrap=none",
        f"--resource-path={build}",
        f"--metadata=toc-title:{TOC_TITLE.get(language, 'Contents')}",
    ]
    if header.get("number-sections"):
        args.append("--number-sections")
    # Cross-references first: @fig-/@tbl- become links before citeproc sees citations.
    if crossref.exists():
        args.append(f"--lua-filter={crossref}")
    if header.get("bibliography"):
        args.append("--citeproc")
    if one_h1.exists():
        args.append(f"--lua-filter={one_h1}")
    if (build / "styles.css").exists():
        args.append(f"--css={build / 'styles.css'}")
    if (build / "_generated" / "generator.html").exists():
        args.append(f"--include-in-header={build / '_generated' / 'generator.html'}")
    (build / "_generated").mkdir(exist_ok=True)
    (build / "_generated" / "report.md").write_text(markdown, encoding="utf-8")  # for debugging
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        tmp_html = Path(tmp) / output.name
        try:
            pypandoc.convert_text(
                markdown,
                "html5",
                format="markdown",
                outputfile=str(tmp_html),
                extra_args=args,
                cworkdir=str(build),
            )
        except RuntimeError as err:
            raise RenderError(f"pandoc failed: {err}") from None
        tmp_html.replace(output)
    return FallbackResult(output, executed, n_code, warnings)


def _executed_markdown(
    text: str, build: Path, variables: Mapping, warnings: list[str], cache: bool, timeout: int
) -> tuple[str, bool, int]:
    """(Markdown, whether a kernel ran, number of code cells) of a document with code chunks:
    read with jupytext, code executed (or taken from jupyter-cache), outputs assembled."""
    import jupytext
    import nbformat

    nb = jupytext.reads(text, fmt="Rmd")
    # Only code reaches the kernel and the cache key: a prose-only edit reuses the outputs.
    code_nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c.source) for c in nb.cells if c.cell_type == "code"],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    executed = bool(code_nb.cells) and _execute(
        code_nb, build, build / ".jupyter_cache" if cache else None, timeout
    )
    outputs = iter(code_nb.cells)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell["outputs"] = next(outputs).get("outputs", [])
    return assemble(nb, variables, warnings), executed, len(code_nb.cells)
