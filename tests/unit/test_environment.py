"""The pip lock file and the conda environment pin the same packages at the same versions."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for raw in (REPO / "requirements.lock").read_text().splitlines():
        line = raw.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_norm(name)] = version.strip()
    return pins


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pins = {}
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    for spec in pip_section:
        if spec.startswith("-e "):
            continue  # the project itself
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s=]+)", spec)
        assert m, f"environment.yml: {spec!r} is not pinned to an exact version"
        pins[_norm(m.group(1))] = m.group(2)
    return pins


def top_level() -> list[str]:
    lines = (REPO / "requirements.in").read_text().splitlines()
    return [
        _norm(re.split(r"[=<>\[ ]", line)[0])
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def test_every_top_level_package_is_locked_and_in_environment():
    lock, env = lock_pins(), environment_pins()
    for name in top_level():
        assert name in lock, f"{name} missing from requirements.lock"
        assert name in env, f"{name} missing from environment.yml"
        assert env[name] == lock[name], (
            f"{name}: environment.yml {env[name]} != requirements.lock {lock[name]}"
        )


def test_environment_has_quarto_and_python_311():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert any(d.startswith("quarto") for d in conda)
    assert "python=3.11" in conda
    assert "conda-forge" in env["channels"]
