"""Glue between Snakemake `script:` jobs and the library.

Scripts stay thin: they call `run(snakemake, main)`. Logging goes to the rule's `log:` file;
an `InputError` is written there and to stderr as a plain message (no traceback), and the job
exits non-zero so Snakemake removes its outputs.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from impleval.errors import InputError

log = logging.getLogger("impleval")


def setup_logging(log_path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )


def run(smk, main: Callable) -> None:
    """Run `main(smk)` with logging to `smk.log[0]`; turn input problems into a clean exit 1."""
    setup_logging(smk.log[0] if len(smk.log) else None)
    try:
        main(smk)
    except InputError as err:
        log.error("%s", err)
        sys.exit(1)
    finally:
        record_imports(getattr(smk, "rule", None) or getattr(main, "__name__", "job"))


def record_imports(job: str) -> None:
    """With IMPLEVAL_RECORD_IMPORTS=<folder> set, write the impleval files this process imported to
    <folder>/<job>.txt (tests/unit/test_code_inputs.py checks them against the rule's inputs)."""
    folder = os.environ.get("IMPLEVAL_RECORD_IMPORTS")
    if not folder:
        return
    files = sorted(
        str(Path(m.__file__).resolve())
        for name, m in list(sys.modules.items())
        if (name == "impleval" or name.startswith("impleval.")) and getattr(m, "__file__", None)
    )
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / f"{job}.txt").write_text("\n".join(files) + "\n", encoding="utf-8")
