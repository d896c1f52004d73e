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


def test_the_installed_environment_is_complete():
    """The Makefile installs the lock with --no-deps: a package the lock forgot would only show
    when a job imports it. `pip check` finds any requirement of an installed package that is
    missing or at a version that does not fit."""
    import subprocess
    import sys

    check = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_left_out_packages_are_not_locked():
    """rfc3987-syntax (and its lark) stay out of the lock: see NOT_INSTALLED in
    scripts/dev/lock_dependencies.py for the 1.2 s each Jupyter process would pay."""
    assert {"rfc3987-syntax", "lark"}.isdisjoint(lock_pins())
