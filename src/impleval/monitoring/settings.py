"""The monitoring study definition (monitoring.yaml) and the organisation's site labels."""

from __future__ import annotations

import os

from impleval.config import load_validated


def load_definition(path: str | os.PathLike, schema: str | os.PathLike) -> dict:
    """The monitoring study definition, validated against its JSON schema (defaults filled in)."""
    return load_validated(path, schema)


def site_labels(organisation: dict) -> dict[str, str]:
    """Site id → label from organisation.yaml."""
    return {s["id"]: s["label"] for s in organisation["sites"]}
