"""File names that hold identifiers: found before Snakemake prints or records any path.

An export saved as `Kari Nordmann 311299 56715.csv` would otherwise reach the console (Snakemake
lists every job's input), the logs, `results/provenance.json` and the report's appendix. The
workflow calls `check_config_paths(config)` while it parses the Snakefile, before any job is
scheduled: every path under `inputs`, `study` and `deid.names_file` is scanned with the one
scanner (`privacy.scan`) and the study's names list. A hit stops the run, in both `deid.on_hit`
modes, with a message that names the config key and the kind of identifier, never the path:
a file name cannot be redacted without writing beside the raw data or renaming it, and
Snakemake prints the path of every input as it schedules a job, so the user renames the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from impleval.privacy.scan import compile_names, read_names, scan_text

KIND_WORDS = {
    "fnr": "a fødselsnummer",
    "dnr": "a D-number",
    "hnr": "an H-number",
    "phone": "a phone number",
    "email": "an e-mail address",
    "orgnr": "an organisation number",
    "name": "a listed name",
}


class IdentifyingPathError(Exception):
    """A configured path holds an identifier; the message names only the config key and kind."""


def config_paths(config: Mapping) -> Iterator[tuple[str, str]]:
    """(config key, path) of every file path in the main config: `inputs.<strand>.<key>`,
    `study.<name>` and `deid.names_file`."""
    for strand, settings in (config.get("inputs") or {}).items():
        for key, value in (settings or {}).items():
            if key != "format" and isinstance(value, str):
                yield f"inputs.{strand}.{key}", value
    for name, value in (config.get("study") or {}).items():
        if isinstance(value, str):
            yield f"study.{name}", value
    names_file = (config.get("deid") or {}).get("names_file")
    if isinstance(names_file, str):
        yield "deid.names_file", names_file


def path_hits(path: str | os.PathLike, names_re=None) -> list[str]:
    """Kinds of identifier in the path's components (folders and file name, extension dropped),
    each scanned as text with `_` and `+` read as spaces (file names rarely hold spaces)."""
    kinds = []
    parts = Path(path).parts
    for i, part in enumerate(parts):
        text = Path(part).stem if i == len(parts) - 1 else part
        text = text.replace("_", " ").replace("+", " ")
        kinds += [h.kind for h in scan_text(text, _names_re=names_re)]
    return kinds


def check_config_paths(
    config: Mapping,
    *,
    names: list[str] | None = None,
    extra: Iterable[tuple[str, str]] = (),
) -> None:
    """Raise IdentifyingPathError naming every config key whose path holds an identifier.

    `names` defaults to the list in `deid.names_file` (when that file exists); `extra` adds
    (label, path) pairs, e.g. the config files given with `--configfile`."""
    if names is None:
        names_file = (config.get("deid") or {}).get("names_file")
        names = read_names(names_file) if names_file and Path(names_file).is_file() else []
    names_re = compile_names(names)
    found = []
    for key, path in [*(("config " + k, p) for k, p in config_paths(config)), *extra]:
        kinds = path_hits(path, names_re)
        if kinds:
            words = " and ".join(sorted({KIND_WORDS[k] for k in kinds}))
            found.append(f"  - {key}: the file name or folder holds {words}")
    if found:
        raise IdentifyingPathError(
            "identifying file names (the paths are not printed):\n"
            + "\n".join(found)
            + "\nRename the file or folder (data/raw/ is never written by the pipeline) and point "
            "the config key at the new name. A file name cannot be redacted: Snakemake prints "
            "and records every input path, so this holds in both deid.on_hit modes."
        )


def redact_path(path: str | os.PathLike, names_re=None) -> str:
    """`path` with every component that holds an identifier replaced by `[KIND]` placeholders
    (the extension kept), e.g. `data/raw/[FNR][NAME].csv`; other components unchanged.

    `names_re` defaults to the names registered for message masking (`privacy.scan.set_names`)."""
    from impleval.privacy.scan import PLACEHOLDERS, registered_names

    names_re = registered_names() if names_re is None else names_re
    parts = []
    for i, part in enumerate(Path(path).parts):
        kinds = path_hits(part, names_re)
        if not kinds:
            parts.append(part)
            continue
        last = i == len(Path(path).parts) - 1
        suffix = Path(part).suffix if last else ""
        parts.append("".join(PLACEHOLDERS[k] for k in dict.fromkeys(kinds)) + suffix)
    return str(Path(*parts)) if parts else str(path)
