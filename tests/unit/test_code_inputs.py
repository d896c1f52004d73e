"""Code inputs are read from the import graph (impleval.codeinputs), and they are what jobs import.

Three checks of the rerun promise (README, docs/architecture.md):
1. Static: for every script, notebook and the report's sources, `code_inputs` equals the set of
   impleval files that Python loads when the step's module is imported and every import statement
   of the step function, and of every module reached, is executed (module resolution, packages'
   `__init__`, `from package import submodule` as Python does them).
2. Real jobs: in the demo run every script job recorded what it imported (impleval.runner); each
   of those files is declared in the rule's `code` input.
3. Dry runs after a one-line edit rerun exactly the jobs that import the edited file and what
   depends on their outputs (plus write_provenance, which hashes every code file the pipeline runs).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from impleval.codeinputs import code_inputs
from tests.conftest import IMPORTS, REPO, run_snakemake

SCRIPTS = sorted((REPO / "scripts").glob("*.py"))
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py.ipynb"))
RULE_FILES = sorted((REPO / "workflow/rules").glob("*.smk"))

# Run in a fresh interpreter: import the entry's modules, execute every import statement of the
# named step functions and (to a fixpoint) of every impleval module loaded, report sys.modules.
PROBE = r"""
import ast, importlib, importlib.util, json, sys

def entry_source(path):
    text = open(path, encoding="utf-8").read()
    if path.endswith(".ipynb"):
        cells = json.loads(text)["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith(("%", "!")))
    return text

def statements(nodes):
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import):
                for alias in sub.names:
                    yield alias.name, ()
            elif isinstance(sub, ast.ImportFrom) and sub.level == 0:
                yield sub.module, tuple(a.name for a in sub.names)

def load(module, names):
    if not module.startswith("impleval"):
        return
    importlib.import_module(module)
    for name in names:
        try:
            spec = importlib.util.find_spec(f"{module}.{name}")
        except ModuleNotFoundError:  # `module` is not a package
            spec = None
        if spec is not None:
            importlib.import_module(f"{module}.{name}")

tree = ast.parse(entry_source(sys.argv[1]))
done = set()
for module, names in statements(tree.body):
    if module.endswith(".steps"):
        mod = importlib.import_module(module)
        source = ast.parse(open(mod.__file__, encoding="utf-8").read())
        funcs = [n for n in source.body if isinstance(n, ast.FunctionDef) and n.name in names]
        for m, n in statements(funcs):
            load(m, n)
        done.add(module)
    else:
        load(module, names)
changed = True
while changed:
    changed = False
    for name, mod in list(sys.modules.items()):
        if (name == "impleval" or name.startswith("impleval.")) and name not in done:
            done.add(name)
            changed = True
            if getattr(mod, "__file__", None):
                for m, n in statements(ast.parse(open(mod.__file__, encoding="utf-8").read()).body):
                    load(m, n)
mods = [m for n, m in sys.modules.items() if n == "impleval" or n.startswith("impleval.")]
print(json.dumps(sorted(m.__file__ for m in mods if getattr(m, "__file__", None))))
"""


def _probe(entry: Path) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(entry)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return {os.path.relpath(f, REPO).replace(os.sep, "/") for f in json.loads(proc.stdout)}


@pytest.mark.parametrize("entry", SCRIPTS + NOTEBOOKS, ids=lambda p: p.name)
def test_declared_code_equals_what_the_imports_load(entry):
    assert set(code_inputs(entry, REPO)) == _probe(entry)


def _by_ast(text: str, package: str):
    import impleval.codeinputs as ci

    return sorted(ci._imports(ast.parse(text).body, package))


@pytest.mark.parametrize(
    "path", sorted((REPO / "src").rglob("*.py")) + SCRIPTS, ids=lambda p: p.name
)
def test_imports_read_line_by_line_equal_the_syntax_trees(path):
    """The cold-build shortcut (import statements found as lines) reads every file of the
    repository as the full parse does, or declines and leaves it to the full parse."""
    import impleval.codeinputs as ci

    text = path.read_text(encoding="utf-8")
    by_line = ci._imports_by_line(text, "impleval.survey")
    assert by_line is None or sorted(by_line) == _by_ast(text, "impleval.survey")


HIDDEN_IMPORTS = [
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING: import impleval.figures\n",
    "try: import impleval.figures\nexcept ImportError: pass\n",
    "x = 1; import impleval.figures\n",
    "import os; import impleval.figures\n",
    "class A: import impleval.figures\n",
    "from impleval import (fmt,  # a comment (with a paren)\n    figures)\n",
    "from impleval import fmt, \\\n    figures\n",
    'def f():\n    """We import nothing here."""\n    from impleval import figures\n',
    "s = 'import this'\nfrom impleval import figures\n",
]


@pytest.mark.parametrize("text", HIDDEN_IMPORTS)
def test_a_statement_the_lines_could_miss_sends_the_file_to_the_full_parse(text):
    """Wherever the line reading could miss an import it declines (None) and the syntax tree
    decides; where it answers, it answers what the tree says."""
    import impleval.codeinputs as ci

    by_ast = _by_ast(text, "impleval")
    assert any("figures" in str(entry) for entry in by_ast)  # the case is real
    by_line = ci._imports_by_line(text, "impleval")
    assert by_line is None or sorted(by_line) == by_ast


def test_an_import_shown_in_a_docstring_can_only_add_a_code_input():
    import impleval.codeinputs as ci

    text = 'def f():\n    """Example:\n\n    from impleval import fmt\n    """\n'
    assert _by_ast(text, "impleval") == []
    assert ci._imports_by_line(text, "impleval") in (None, [("impleval", ("fmt",))])


def test_the_import_cache_gives_the_same_inputs_and_follows_edits(tmp_path, monkeypatch):
    """The import statements kept in .snakemake/ between runs: the same code inputs as a fresh
    parse, and a library file with a new mtime is parsed again (its new imports count)."""
    import impleval.codeinputs as ci

    def fresh():
        ci._disk_cache.cache_clear()
        ci._all_imports.cache_clear()
        ci._used.clear()

    src = tmp_path / "src"
    shutil.copytree(REPO / "src/impleval", src / "impleval")
    shutil.copy2(REPO / "scripts/plot_survey.py", tmp_path / "plot_survey.py")
    (tmp_path / "work/.snakemake").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    fresh()
    first = code_inputs(tmp_path / "plot_survey.py", tmp_path)
    ci._save_cache()
    kept = json.loads(Path(".snakemake/impleval-imports.json").read_text(encoding="utf-8"))
    assert kept and all(key.count("|") == 2 for key in kept)
    fresh()
    assert code_inputs(tmp_path / "plot_survey.py", tmp_path) == first
    figures = src / "impleval/figures.py"
    figures.write_text(figures.read_text() + "\nfrom impleval import valuemap\n")
    os.utime(figures, ns=(figures.stat().st_atime_ns, figures.stat().st_mtime_ns + 10**9))
    fresh()
    assert "src/impleval/valuemap.py" in code_inputs(tmp_path / "plot_survey.py", tmp_path)
    assert "src/impleval/valuemap.py" not in first
    fresh()


def test_steps_import_only_inside_their_functions():
    """The precision rule needs it: a steps module imports no impleval module at top level."""
    for steps in sorted((REPO / "src/impleval").rglob("steps.py")):
        tree = ast.parse(steps.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = [getattr(n, "module", None) or n.names[0].name for n in top]
        assert not [n for n in names if n and n.startswith("impleval")], steps


def test_every_script_is_named_after_its_rule_and_every_rule_declares_its_code():
    """scripts/<rule>.py for every script rule; every rule's `code` input comes from code_inputs."""
    rules = {}
    for smk in RULE_FILES:
        text = smk.read_text(encoding="utf-8")
        for match in re.finditer(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", text, re.M | re.S):
            rules[match.group(1)] = match.group(2)
    scripts = {p.stem for p in SCRIPTS}
    for rule, body in rules.items():
        script = re.search(r'script:\s*"\.\./\.\./scripts/(\w+)\.py"', body)
        notebook = re.search(r'notebook:\s*"\.\./\.\./(notebooks/[\w.]+)"', body)
        assert script or notebook, f"rule {rule} has neither script: nor notebook:"
        if script:
            assert script.group(1) == rule, f"rule {rule} runs scripts/{script.group(1)}.py"
            assert (
                f'code_inputs(\n            "scripts/{rule}.py"' in body
                or f'code=code_inputs("scripts/{rule}.py")' in body
            ), f"rule {rule}: code input"
        else:
            assert f'code=code_inputs("{notebook.group(1)}")' in body, f"rule {rule}: code input"
    assert scripts == {r for r, b in rules.items() if "script:" in b}


def test_no_import_cycles():
    """Module-level imports of the library form no cycle (lazy imports inside functions aside)."""
    src = REPO / "src"
    graph = {}
    for path in sorted((src / "impleval").rglob("*.py")):
        module = ".".join(path.relative_to(src).with_suffix("").parts).removesuffix(".__init__")
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("impleval")
            ):
                deps.add(node.module)
                deps |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("impleval")}
        graph[module] = deps
    graph = {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(module, stack):
        state[module] = 1
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join([*stack, module, dep]))
            if dep not in state:
                visit(dep, [*stack, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_every_module_a_job_imported_is_declared(demo_run):
    records = sorted((demo_run / IMPORTS).glob("*.txt"))
    assert {p.stem for p in records} == {p.stem for p in SCRIPTS}
    for record in records:
        imported = {
            os.path.relpath(line, demo_run).replace(os.sep, "/")
            for line in record.read_text(encoding="utf-8").split()
        }
        entries = [f"scripts/{record.stem}.py"]
        if record.stem == "render_report":
            entries += [str(p.relative_to(demo_run)) for p in (demo_run / "report").rglob("*.qmd")]
        declared = {f for e in entries for f in code_inputs(e, demo_run)}
        assert imported <= declared, (
            f"{record.stem} imported undeclared {sorted(imported - declared)}"
        )


def _jobs(proc: subprocess.CompletedProcess) -> set[str]:
    out = proc.stdout + proc.stderr
    if "Nothing to be done" in out:
        return set()
    table = out.split("Job stats:", 1)[1]
    rows = re.findall(r"^(\w+)\s+\d+\s*$", table, re.M)
    return {r for r in rows if r != "total"}


@pytest.fixture(scope="module")
def finished_copy(demo_run, tmp_path_factory):
    """A copy of the demo run (results and Snakemake's records) to edit."""
    work = tmp_path_factory.mktemp("rerun") / "repo"
    shutil.copytree(demo_run, work, symlinks=True)
    assert _jobs(run_snakemake(work, "-n")) == set(), "the copied run is not up to date"
    return work


def _after_edit(work: Path, rel: str) -> set[str]:
    path = work / rel
    text, stat = path.read_text(encoding="utf-8"), path.stat()
    try:
        path.write_text(text + "\n# edited\n", encoding="utf-8")
        return _jobs(run_snakemake(work, "-n"))
    finally:
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


# A code edit reruns write_provenance (it hashes every file the pipeline runs), then the report.
REPORT = {"write_provenance", "render_report", "all"}


def test_editing_a_plot_module_reruns_only_its_plot_job(finished_copy):
    assert _after_edit(finished_copy, "src/impleval/survey/plots/forest.py") == {
        "plot_survey",
        *REPORT,
    }


def test_editing_a_test_simulator_reruns_nothing(finished_copy):
    assert _after_edit(finished_copy, "src/impleval/demo/simulate_survey.py") == set()


def test_editing_figures_reruns_the_plot_and_notebook_jobs(finished_copy):
    assert _after_edit(finished_copy, "src/impleval/figures.py") == {
        "plot_participant_flow",
        "plot_survey",
        "plot_interviews",
        "plot_monitoring",
        "explore_survey",
        "explore_interviews",
        *REPORT,
    }


def test_editing_an_importer_reruns_its_branch_but_not_the_others(finished_copy):
    jobs = _after_edit(finished_copy, "src/impleval/interviews/io/maxqda.py")
    assert "prepare_interviews" in jobs
    assert not {j for j in jobs if j.endswith(("_survey", "_monitoring"))}
