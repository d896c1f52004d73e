"""Reading the study's definition files (YAML) that `config/config.yaml` points to."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from impleval.errors import InputError, Problem


def load_yaml(path: str | os.PathLike) -> dict:
    p = Path(path)
    try:
        with p.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise InputError(Problem(str(p), "an existing YAML file")) from None
    except yaml.YAMLError as err:
        raise InputError(Problem(str(p), f"valid YAML ({err})")) from None
    if not isinstance(data, dict):
        raise InputError(Problem(str(p), "a YAML mapping at the top level"))
    return data


def label(labels: dict, key: str, language: str) -> str:
    """Label for `key` in the report language, falling back to bokmål, then to the key itself."""
    entry = labels.get(key, key)
    if isinstance(entry, dict):
        return entry.get(language) or entry.get("nb") or key
    return str(entry)
