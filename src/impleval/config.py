"""Reading the study's definition files (YAML) that `config/config.yaml` points to.

One validator for every study-definition file: `load_validated(path, schema_path)` reads the YAML,
checks it against its JSON schema (Draft 2020-12) and fills the schema's `default`s. The schema
path always comes from the caller (a rule's `schema=` input), never from this package's location.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import yaml

from impleval.errors import InputError, Problem

# libyaml's C loader when PyYAML was built with it (it is, in the pinned wheels), else the
# pure-Python one. Same documents, same Python values; on the report's 25 files (phrase book,
# study definitions, values, checklists) the pure-Python loader took 1.0 s of the render job.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """`yaml.safe_load(text)`, with the C loader when available. A text the C loader rejects is
    read again by the pure-Python loader, so an error (its message, line and column) is exactly
    the one `yaml.safe_load` raises."""
    if _FAST_LOADER is not yaml.SafeLoader:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=yaml.SafeLoader)


def load_yaml(path: str | os.PathLike) -> dict:
    """A YAML file whose top level is a mapping; InputError naming the file (and the line and
    column of a syntax error) otherwise."""
    p = Path(path)
    try:
        data = safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(Problem(str(p), "an existing YAML file")) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        context, start = getattr(err, "context", None), getattr(err, "context_mark", None)
        if context and start is not None:  # e.g. an unclosed bracket: where it was opened
            where += f"; {context} that starts at line {start.line + 1}, column {start.column + 1}"
        raise InputError(Problem(str(p), f"valid YAML ({problem}{where})")) from None
    except UnicodeDecodeError as err:
        raise InputError(
            Problem(str(p), f"a UTF-8 text file (undecodable byte at offset {err.start})")
        ) from None
    if not isinstance(data, dict):
        raise InputError(Problem(str(p), "a YAML mapping at the top level"))
    return data


def _default_filling_validator():
    """Draft 2020-12 validator that also fills `default`s (the jsonschema docs' recipe for
    extending a validator: the `properties` keyword sets missing defaults before validating)."""
    from jsonschema import Draft202012Validator, validators

    validate_properties = Draft202012Validator.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if isinstance(sub, dict) and "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return validators.extend(Draft202012Validator, {"properties": set_defaults})


def validate(data: dict, schema_path: str | os.PathLike, *, file: str | os.PathLike) -> dict:
    """`data` (a copy) validated against the schema at `schema_path`, defaults filled in.

    Raises InputError with one problem per schema error, each naming `file` and the key path."""
    data = copy.deepcopy(data)
    schema = load_yaml(schema_path)
    validator = _default_filling_validator()(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise InputError(
            [
                Problem(
                    str(file),
                    f"a definition matching {Path(schema_path).name} ({e.message})",
                    column="/".join(map(str, e.absolute_path)) or None,
                )
                for e in errors
            ]
        )
    return data


def load_validated(path: str | os.PathLike, schema_path: str | os.PathLike) -> dict:
    """Read the YAML file at `path`, validate it against `schema_path` and fill defaults."""
    return validate(load_yaml(path), schema_path, file=path)


def label(labels: dict, key: str, language: str) -> str:
    """Label for `key` in the report language, falling back to bokmål, then to the key itself."""
    entry = labels.get(key, key)
    if isinstance(entry, dict):
        return entry.get(language) or entry.get("nb") or key
    return str(entry)


def main(argv: list[str] | None = None) -> int:
    """`python -m impleval.config FILE [SCHEMA]`: check a config or study-definition file and
    print every problem with file, line and column (Snakemake's own message for a broken
    `--configfile` names neither). Exit status 0 when the file is valid."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or len(args) > 2:
        print("usage: python -m impleval.config FILE [SCHEMA]", file=sys.stderr)
        return 2
    try:
        if len(args) == 2:
            load_validated(args[0], args[1])
        else:
            load_yaml(args[0])
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{Path(args[0]).name}: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
