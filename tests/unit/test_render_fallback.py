"""The fallback renderer on a tiny fixture project (no Quarto needed).

One module-scoped render is shared by the HTML assertions: a kernel start costs seconds."""

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from impleval.report import fallback
from impleval.report.checks import html_problems
from impleval.report.render import render_report
from impleval.report.variables import MissingVariableError

FRAME = """---
title: "Fikstur-rapport"
subtitle: "Test"
lang: nb
---

{{< include _generated/banner.qmd >}}

[Laget med {{< var report.renderer >}}.]{.renderer-line}

## Innledning

Vi fikk {{< var survey.n >}} svar (se @fig-demo og @tbl-demo).

::: {.callout-note}
## Om tallene
Alt er syntetisk.
:::

{{< include chapters/nb/_chapter.qmd >}}
"""

CHAPTER = """## Resultater

![Demofigur](figures/demo.png){#fig-demo fig-alt="En liten blå firkant"}

```{python}
#| label: tbl-demo
#| tbl-cap: "Demotabell"
from pathlib import Path
Path("../../../executions.log").open("a").write("x")  # counts real executions
from IPython.display import Markdown
from impleval.report.tables import markdown_table
Markdown(markdown_table("tables/demo.csv", {"group": "Gruppe", "n": "N"}, language="nb"))
```
"""


def tiny_png(path: Path) -> None:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([0, 114, 178]) * 4 for _ in range(4))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def make_project(root: Path) -> dict:
    src = root / "report"
    (src / "chapters" / "nb").mkdir(parents=True)
    (src / "index-nb.qmd").write_text(FRAME, encoding="utf-8")
    (src / "chapters" / "nb" / "_chapter.qmd").write_text(CHAPTER, encoding="utf-8")
    real = Path(__file__).resolve().parents[2] / "report"
    (src / "_filters").mkdir()
    for name in ("crossref.lua", "one-h1.lua"):
        (src / "_filters" / name).write_text((real / "_filters" / name).read_text())
    results = root / "results"
    (results / "tables").mkdir(parents=True)
    (results / "figures").mkdir()
    (results / "tables" / "demo.csv").write_text("group,n\nA,12\nB,30\n")
    tiny_png(results / "figures" / "demo.png")
    return dict(
        source=src,
        build=results / "report" / "_build",
        output=results / "report" / "report.html",
        results=results,
        variables={"survey": {"n": "42"}},
        language="nb",
        synthetic=True,
        renderer="fallback",
    )


def executions(project) -> int:
    log = project["results"].parent / "executions.log"  # outside the wiped build folder
    return len(log.read_text()) if log.exists() else 0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("fixture"))
    info = render_report(**project)
    return project, info, project["output"].read_text(encoding="utf-8")


def test_report_reads_like_a_report(rendered):
    project, info, html = rendered
    assert info.renderer == "fallback" and info.executed is True
    assert html_problems(html, language="nb", renderer="fallback", synthetic=True) == []
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="nb"' in html or 'lang="nb"' in html
    assert re.search(r'<h1 class="title">Fikstur-rapport</h1>', html)
    assert "lang: nb" not in html and "#|" not in html and ":::" not in html
    assert "import" not in re.sub(r"<(script|style).*?</\1>", "", html, flags=re.S)


def test_captions_numbered_and_references_linked(rendered):
    _, _, html = rendered
    assert re.search(r"<figcaption><strong>Figur 1:</strong> Demofigur", html)
    assert re.search(r"<caption><strong>Tabell 1:</strong> Demotabell", html)
    assert '<a href="#fig-demo">Figur\u00a01</a>' in html
    assert '<a href="#tbl-demo">Tabell\u00a01</a>' in html
    assert 'alt="En liten blå firkant"' in html
    assert re.search(r'<img [^>]*src="data:image/png;base64,', html)
    assert "<th" in html and "Gruppe" in html


def test_callout_banner_variable_and_renderer(rendered):
    _, _, html = rendered
    assert 'class="callout callout-note"' in html and "Om tallene" in html
    assert "SYNTETISKE DEMODATA" in html
    assert "Vi fikk 42 svar" in html
    assert 'name="impleval-renderer" content="fallback: jupytext + jupyter-cache + pandoc' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    assert "https://" not in html


def test_prose_edit_reuses_cache_data_change_reexecutes(rendered):
    project, _, _ = rendered
    before = executions(project)
    chapter = project["source"] / "chapters" / "nb" / "_chapter.qmd"
    chapter.write_text(chapter.read_text().replace("## Resultater", "## Resultater og funn"))
    info = render_report(**project)
    assert info.executed is False and executions(project) == before
    assert "Resultater og funn" in project["output"].read_text(encoding="utf-8")
    (project["results"] / "tables" / "demo.csv").write_text("group,n\nA,12\nB,31\n")
    info = render_report(**project)
    assert info.executed is True and executions(project) == before + 1
    assert ">31<" in project["output"].read_text(encoding="utf-8")


def test_missing_variable_fails(tmp_path):
    project = make_project(tmp_path)
    project["variables"] = {"survey": {}}
    with pytest.raises(MissingVariableError, match="survey.n"):
        render_report(**project)


def test_dangling_reference_fails(tmp_path):
    project = make_project(tmp_path)
    frame = project["source"] / "index-nb.qmd"
    frame.write_text(frame.read_text() + "\nSe @fig-none.\n")
    with pytest.raises(fallback.RenderError, match="fig-none"):
        render_report(**project, cache=False)


def test_cell_options_and_includes(tmp_path):
    opts, code = fallback.cell_options('#| label: tbl-a\n#| tbl-cap: "A: b"\nx = 1')
    assert opts == {"label": "tbl-a", "tbl-cap": "A: b"} and code == "x = 1"
    (tmp_path / "a.qmd").write_text("A {{< include b.qmd >}} no\n{{< include b.qmd >}}\n")
    (tmp_path / "b.qmd").write_text("B\n")
    assert fallback.expand_includes((tmp_path / "a.qmd").read_text(), tmp_path) == (
        "A {{< include b.qmd >}} no\nB\n"
    )


@pytest.mark.skipif(
    shutil.which("quarto") is None, reason="Quarto is not installed here (conda-forge `quarto`)"
)
def test_quarto_renders_the_same_fixture(tmp_path):
    """Where Quarto is installed, the same project renders through it and passes the same checks."""
    project = make_project(tmp_path)
    real = Path(__file__).resolve().parents[2] / "report"
    for name in ("_quarto.yml", "styles.css"):
        (project["source"] / name).write_text(
            (real / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    info = render_report(**{**project, "renderer": "quarto"})
    html = project["output"].read_text(encoding="utf-8")
    assert info.renderer == "quarto" and "Quarto" in info.label
    assert html_problems(html, language="nb", renderer="quarto", synthetic=True) == []


PROSE_ONLY = """---
title: "Bare tekst"
lang: nb
---

[Laget med {{< var report.renderer >}}.]{.renderer-line}

## Innledning {#sec-intro}

Vi fikk {{< var survey.n >}} svar.



Etter tre tomme linjer.

::: {.callout-note title="Om tallene"}
Alt er syntetisk.
:::

```
kode som vises, ikke kjøres


med tomme linjer
```

::: {.table-download}
```{=html}
<p><a href="data:text/csv;base64,QQo=" class="csv-download" download="a.csv">Last ned</a></p>
```
:::
"""


def test_document_without_code_reads_as_jupytext_would_read_it():
    """Without a code chunk the fallback skips jupytext (nothing to execute); pandoc must read
    the same document as from jupytext's cells."""
    import jupytext
    import pypandoc

    variables = {"report": {"renderer": "R"}, "survey": {"n": "42"}}
    assert not fallback.has_code(PROSE_ONLY)
    assert fallback.has_code(FRAME + CHAPTER) and fallback.has_code("<!-- #region -->\n")
    via_jupytext = fallback.assemble(jupytext.reads(PROSE_ONLY, fmt="Rmd"), variables, [])
    direct = fallback.plain_markdown(PROSE_ONLY, variables)
    assert "Vi fikk 42 svar" in direct
    native = [pypandoc.convert_text(t, "native", format="markdown") for t in (direct, via_jupytext)]
    assert native[0] == native[1]


def test_the_renderer_label_names_only_the_tools_that_ran(tmp_path, rendered):
    """A generated document without code chunks is converted by pandoc alone, and its label
    says so; a document with code chunks (the fixture's frame) names jupytext and jupyter-cache
    too (test_callout_banner_variable_and_renderer)."""
    project = {**make_project(tmp_path), "synthetic": False}
    shown_code = PROSE_ONLY[
        PROSE_ONLY.index("```\nkode") : PROSE_ONLY.index("::: {.table-download}")
    ]
    document = PROSE_ONLY.replace(shown_code, "")  # the checks refuse code on the page
    info = render_report(**project, document=lambda label: document)
    html = project["output"].read_text(encoding="utf-8")
    assert info.label.startswith("fallback: pandoc ") and info.executed is False
    assert f'name="impleval-renderer" content="{info.label}"' in html
    assert f"Laget med {info.label}." in html and "jupyter" not in info.label
    assert rendered[1].label.startswith("fallback: jupytext + jupyter-cache + pandoc ")
