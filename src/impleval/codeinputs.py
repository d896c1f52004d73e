"""The library modules a job runs, read from the import graph: every rule's `code` input.

`code_inputs(entry, root)` parses a rule's script (`scripts/<rule>.py`), notebook (`*.ipynb`: its
code cells) or Quarto document (`*.qmd`: its `{python}` cells) with `ast` and returns, sorted and
relative to `root`, every `src/impleval/**.py` file the job imports, transitively: imports at
module level and inside functions (lazy imports) alike, and the `__init__.py` of every package
on the way. Editing any of those files reruns the job (workflow/rules/common.smk); editing any
other library file does not.

One precision rule keeps a job's inputs to its own step: where the entry file does
`from impleval.<branch>.steps import <step>`, only the steps module's top-level imports and the
imports inside the function `<step>` count; every other module reached contributes all of its
imports. (Each steps module imports its library modules inside the step functions for this.)

No Snakemake import here: `workflow/rules/common.smk` puts `src/` on `sys.path` and calls it.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import re
from functools import cache, lru_cache
from pathlib import Path

PACKAGE = "impleval"
_QMD_CELL = re.compile(r"^```\{python[^}]*\}[^\n]*\n(.*?)^```", re.M | re.S)


def entry_source(path: str | os.PathLike) -> str:
    """The Python code of a script, a notebook's code cells or a Quarto document's Python cells."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = json.loads(text).get("cells", [])
        code = ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
        # IPython magics and shell escapes are not Python: drop those lines.
        return "\n".join(
            line
            for cell in code
            for line in cell.splitlines()
            if not line.lstrip().startswith(("%", "!"))
        )
    if path.suffix == ".qmd":
        return "\n".join(_QMD_CELL.findall(text))
    return text


# Import statements are statements: they sit in the statement lists of other statements (bodies,
# else branches, handlers, match cases), never inside an expression. Walking only those lists finds
# every one and skips the expression trees, which `ast.walk` would visit: 0.6 → 0.1 s over the
# library when nothing is cached (a cold build's first job waits for it).
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(node):
    """`node` and every statement nested in its blocks."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for field in _STATEMENT_LISTS:
            stack.extend(getattr(current, field, None) or ())


def _imports(nodes, package: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """(module, imported names) of every import statement among `nodes` and their children.

    `package` resolves relative imports (the importing module's package)."""
    found = []
    for node in nodes:
        for sub in _statements(node):
            if isinstance(sub, ast.Import):
                found += [(alias.name, ()) for alias in sub.names]
            elif isinstance(sub, ast.ImportFrom):
                module = sub.module or ""
                if sub.level and package is not None:
                    base = package.split(".")
                    base = base[: len(base) - sub.level + 1]
                    module = ".".join([*base, module] if module else base)
                found.append((module, tuple(alias.name for alias in sub.names)))
    return found


# A cold build reads every library file's imports before its first job can start (ast.parse of
# ~1 MB). Only the import statements are needed, so each is found as a line and parsed alone
# (code inputs of every script and notebook, nothing cached: 0.41–0.47 → 0.13–0.16 s). The whole
# file is parsed only where that could miss one: an `import` word outside the statements found
# (a one-liner such as `if TYPE_CHECKING: import x`, `a; import b`, a string or a comment), or a
# statement that does not parse on its own. A docstring line that reads like an import of the
# library can only add a code input (one rerun too many), never drop one. The two readings are
# compared over every file of the repository in tests/unit/test_code_inputs.py.
_IMPORT_STATEMENT = re.compile(
    r"^[ \t]*(?:import[ \t]+[^\n]*|from[ \t]+[.\w]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*))",
    re.M,
)
_IMPORT_WORD = re.compile(r"\bimport\b")


def _imports_by_line(text: str, package: str | None) -> list[tuple[str, tuple[str, ...]]] | None:
    """The import statements of a module read line by line, or None where only a full parse
    can tell (see above)."""
    statements = _IMPORT_STATEMENT.findall(text)
    covered = sum(len(_IMPORT_WORD.findall(statement)) for statement in statements)
    if covered != len(_IMPORT_WORD.findall(text)):
        return None
    found = []
    for line in statements:
        statement = line.strip()
        if statement.endswith("\\"):  # continued on the next line
            return None
        try:
            found += _imports(ast.parse(statement).body, package)
        except SyntaxError:
            return None
    return found


def _module_imports(path: str, mtime_ns: int, package: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every import statement of the module at `path`, top level and inside functions alike."""
    found = _imports_by_line(Path(path).read_text(encoding="utf-8"), package)
    return found if found is not None else _imports(_parse(path, mtime_ns).body, package)


@lru_cache(maxsize=1024)
def _parse(path: str, mtime_ns: int) -> ast.Module:
    """A module's syntax tree; cached per file version (Snakemake asks for many rules at once)."""
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)


# Every Snakemake start reads the import graph of ~130 library files (ast: about 0.5 s, a fifth
# of a no-op run). The import statements of each file version are kept between runs in
# .snakemake/ (the working directory's Snakemake folder), keyed by path, mtime and package: an
# edited file has a new key, so the cache can only be stale if a file's mtime is set back by hand.
_CACHE_FILE = Path(".snakemake") / "impleval-imports.json"
_used: dict[str, list] = {}


@cache
def _disk_cache() -> dict[str, list]:
    """The kept entries, read once per process (the used ones are written back at exit)."""
    atexit.register(_save_cache)
    try:
        return json.loads(_CACHE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_cache() -> None:
    """Write the entries this process used (older file versions drop out), atomically."""
    if not _used or _used == _disk_cache() or not _CACHE_FILE.parent.is_dir():
        return
    tmp = _CACHE_FILE.with_name(f"{_CACHE_FILE.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(_used, sort_keys=True), encoding="utf-8")
        os.replace(tmp, _CACHE_FILE)
    except OSError:  # a read-only or vanished .snakemake/: the next run parses again
        tmp.unlink(missing_ok=True)


@lru_cache(maxsize=1024)
def _all_imports(path: str, mtime_ns: int, package: str) -> list[tuple[str, tuple[str, ...]]]:
    key = f"{path}|{mtime_ns}|{package}"
    found = _disk_cache().get(key)
    if found is None:
        found = [[m, list(n)] for m, n in _module_imports(path, mtime_ns, package)]
    _used[key] = found
    return [(m, tuple(n)) for m, n in found]


class _Graph:
    def __init__(self, src: Path):
        self.src = src

    @cache  # noqa: B019 (one graph per call of code_inputs)
    def file_of(self, module: str) -> Path | None:
        """The file of an impleval module or package, None for anything else."""
        if module != PACKAGE and not module.startswith(PACKAGE + "."):
            return None
        base = self.src.joinpath(*module.split("."))
        if (base / "__init__.py").is_file():
            return base / "__init__.py"
        if base.with_suffix(".py").is_file():
            return base.with_suffix(".py")
        return None

    def targets(self, module: str, names: tuple[str, ...]) -> list[str]:
        """Modules an import statement loads: the module, its parent packages and any imported
        name that is itself a submodule (`from impleval.survey import settings`)."""
        parts = module.split(".")
        out = [".".join(parts[: i + 1]) for i in range(len(parts))]
        out += [f"{module}.{name}" for name in names if self.file_of(f"{module}.{name}")]
        return [m for m in out if self.file_of(m)]

    def parsed(self, module: str) -> ast.Module:
        path = self.file_of(module)
        return _parse(str(path), path.stat().st_mtime_ns)

    def imports_of(self, module: str) -> list[tuple[str, tuple[str, ...]]]:
        """Every import statement of a module, top level and inside functions alike."""
        path = self.file_of(module)
        return _all_imports(str(path), path.stat().st_mtime_ns, self.package_of(module))

    def package_of(self, module: str) -> str:
        return module if self.file_of(module).name == "__init__.py" else module.rpartition(".")[0]


def code_inputs(entry: str | os.PathLike, root: str | os.PathLike = ".") -> list[str]:
    """Sorted `src/impleval/**.py` files (relative to `root`) that the job of `entry` imports."""
    root = Path(root)
    entry = Path(entry)
    graph = _Graph(root / "src")
    tree = ast.parse(entry_source(entry if entry.is_absolute() else root / entry))
    seen: set[str] = set()
    todo: list[str] = []
    steps: dict[str, set[str]] = {}
    for module, names in _imports(tree.body, None):
        if module.endswith(".steps") and graph.file_of(module):
            steps.setdefault(module, set()).update(names)
        else:
            todo.extend(graph.targets(module, names))
    for module, names in steps.items():  # only the named steps: top level plus those functions
        seen.add(module)
        body = graph.parsed(module).body
        chosen = [
            n
            for n in body
            if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            or (not isinstance(n, ast.ClassDef) and n.name in names)
        ]
        todo.extend(m for m in graph.targets(module, ()) if m != module)
        todo.extend(
            t for m, n in _imports(chosen, graph.package_of(module)) for t in graph.targets(m, n)
        )
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(t for m, n in graph.imports_of(module) for t in graph.targets(m, n))
    files = {graph.file_of(m) for m in seen}
    return sorted(os.path.relpath(f, root).replace(os.sep, "/") for f in files)


def main(argv: list[str] | None = None) -> None:
    """`python -m impleval.codeinputs scripts/plot_survey.py`: print a job's code inputs."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("entry", nargs="+", help="script, notebook or .qmd file")
    parser.add_argument("--root", default=".", help="repository root (holds src/)")
    args = parser.parse_args(argv)
    for entry in args.entry:
        print(f"{entry}:")
        for path in code_inputs(entry, args.root):
            print(f"  {path}")


if __name__ == "__main__":
    main()
