"""Glue between Snakemake `script:` jobs and the library.

Scripts stay thin: they call `run(snakemake, main)`. Before the step reads anything, the study's
names list is registered for message masking (the rule's `names` input, else the file named by
the environment variable IMPLEVAL_NAMES_FILE that the workflow sets). Logging goes to the rule's
`log:` file and to stderr, and every record (message, arguments, traceback; Python warnings
too) passes through `privacy.scan.mask`, so no identifier or listed name reaches a log or the
console. An `InputError` is written as a plain message (no traceback); any other exception as a
masked traceback; either way the job exits non-zero so Snakemake removes its outputs.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from impleval.errors import InputError, Problem
from impleval.privacy.scan import mask, read_names, set_names

log = logging.getLogger("impleval")

NAMES_ENV = "IMPLEVAL_NAMES_FILE"


class MaskingFilter(logging.Filter):
    """Mask identifiers and listed names in every record a handler emits.

    A record logged with `extra={"masked": True}` is already masked (an InputError's message,
    where an id column's 8-digit submission id must stay readable) and passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "masked", False):
            record.msg = mask(record.getMessage())
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def setup_logging(log_path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    for handler in handlers:
        handler.addFilter(MaskingFilter())
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    # warnings.warn(...) from libraries: masked like the rest. Released first: captureWarnings
    # does nothing while an earlier capture is active, and that one may have been installed over
    # a warnings.showwarning that is no longer current (a job run in-process after another).
    logging.captureWarnings(False)
    logging.captureWarnings(True)


def names_file(smk) -> str | None:
    """The study's names file for this job: the rule's `names` input, else $IMPLEVAL_NAMES_FILE."""
    inputs = getattr(smk, "input", None)
    path = inputs.get("names") if inputs is not None and hasattr(inputs, "get") else None
    if isinstance(path, str) and path:
        return path
    return os.environ.get(NAMES_ENV) or None


def register_names(path: str | None) -> None:
    """Register the names list for message masking (an empty list without a file)."""
    if path is None:
        set_names([])
        return
    try:
        set_names(read_names(path))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(
            Problem(
                str(path), f"a readable UTF-8 names file (deid.names_file): {type(err).__name__}"
            )
        ) from None


def run(smk, main: Callable) -> None:
    """Run `main(smk)` with masked logging to `smk.log[0]`; input problems and unexpected errors
    end the job with exit status 1 and a masked message."""
    setup_logging(smk.log[0] if len(smk.log) else None)
    try:
        register_names(names_file(smk))
        main(smk)
    except InputError as err:
        log.error("%s", err, extra={"masked": True})
        sys.exit(1)
    except Exception:
        log.exception("unexpected error (a bug, not a problem in the input; please report it)")
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
